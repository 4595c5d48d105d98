/* The ParcelPost consent banner: a small IAB TCF-style CMP written for the
 * leakwatch lab. It exposes __tcfapi (ping, getTCData, addEventListener,
 * removeEventListener), shows a banner with "Accept all" and "Reject all"
 * in an open shadow root, at the top of the page in the flow (covering
 * nothing), until a choice is made, stores the choice through
 * POST /consent (the server sets the euconsent-v2 TC string cookie) and
 * tells listeners. A reject reloads the page, as many CMPs do, since tags
 * already running cannot be unloaded. */
(function (w, d) {
  'use strict';
  var CMP_ID = 4095, PURPOSES = 11, VENDORS = [755, 804, 1126];
  function cookie(name) {
    var parts = d.cookie ? d.cookie.split('; ') : [];
    for (var i = 0; i < parts.length; i++) {
      var eq = parts[i].indexOf('=');
      if (parts[i].slice(0, eq) === name) return decodeURIComponent(parts[i].slice(eq + 1));
    }
    return '';
  }
  var state = { choice: cookie('pp_consent'), tc: cookie('euconsent-v2'), acted: false };
  if (state.choice !== 'accept' && state.choice !== 'reject') state.choice = '';
  var listeners = [], nextID = 1;

  function flags(ids, on) {
    var o = {};
    ids.forEach(function (id) { o[id] = on; });
    return o;
  }
  function range(n) {
    var ids = [];
    for (var i = 1; i <= n; i++) ids.push(i);
    return ids;
  }
  function tcData(listenerId) {
    var yes = state.choice === 'accept';
    var status = !state.choice ? 'cmpuishown' : (state.acted ? 'useractioncomplete' : 'tcloaded');
    return {
      tcString: state.choice ? state.tc : '', tcfPolicyVersion: 5, cmpId: CMP_ID, cmpVersion: 1,
      gdprApplies: true, eventStatus: status, cmpStatus: 'loaded', listenerId: listenerId,
      isServiceSpecific: true, useNonStandardTexts: false, publisherCC: 'US', purposeOneTreatment: false,
      purpose: { consents: flags(range(PURPOSES), yes), legitimateInterests: {} },
      vendor: { consents: flags(VENDORS, yes), legitimateInterests: {} },
      specialFeatureOptins: {}, publisher: { consents: {}, legitimateInterests: {}, customPurpose: { consents: {}, legitimateInterests: {} }, restrictions: {} }
    };
  }
  w.__tcfapi = function (cmd, version, cb, param) {
    if (typeof cb !== 'function') return;
    switch (cmd) {
      case 'ping':
        cb({ gdprApplies: true, cmpLoaded: true, cmpStatus: 'loaded', displayStatus: state.choice ? 'hidden' : 'visible',
          apiVersion: '2.2', cmpVersion: 1, cmpId: CMP_ID, gvlVersion: 150, tcfPolicyVersion: 5 });
        return;
      case 'getTCData':
        cb(tcData(), true);
        return;
      case 'addEventListener':
        var id = nextID++;
        listeners.push({ id: id, cb: cb });
        cb(tcData(id), true);
        return;
      case 'removeEventListener':
        var before = listeners.length;
        listeners = listeners.filter(function (l) { return l.id !== param; });
        cb(listeners.length < before);
        return;
      default:
        cb(null, false);
    }
  };

  var host = null;
  function choose(choice) {
    var body = new URLSearchParams({ choice: choice });
    return fetch('/consent', { method: 'POST', body: body, credentials: 'same-origin' })
      .then(function (r) { if (!r.ok) throw new Error('consent: HTTP ' + r.status); return r.json(); })
      .then(function (j) {
        state.choice = j.choice; state.tc = j.tcString; state.acted = true;
        if (host) { host.remove(); host = null; }
        listeners.forEach(function (l) { l.cb(tcData(l.id), true); });
        if (choice === 'reject') setTimeout(function () { w.location.reload(); }, 100);
        return j.choice;
      });
  }
  w.__ppcmp = {
    acceptAll: function () { return choose('accept'); },
    rejectAll: function () { return choose('reject'); },
    choice: function () { return state.choice; }
  };

  function showBanner() {
    if (state.choice || host) return;
    host = d.createElement('div');
    host.id = 'pp-cmp';
    var root = host.attachShadow({ mode: 'open' });
    root.innerHTML = '<style>' +
      '.b{background:#fff;border-bottom:2px solid #1b4d89;padding:16px;font:15px system-ui,sans-serif;display:flex;gap:12px;align-items:center;flex-wrap:wrap}' +
      '.b p{flex:1;margin:0;min-width:240px}button{font:inherit;padding:8px 16px;border-radius:4px;border:1px solid #1b4d89;cursor:pointer}' +
      '#pp-cmp-accept{background:#1b4d89;color:#fff}#pp-cmp-reject{background:#fff;color:#1b4d89}</style>' +
      '<div class="b" role="dialog" aria-label="Cookie consent"><p>ParcelPost and our partners use cookies and similar technologies ' +
      'to measure and personalise advertising. You can accept or reject all of them.</p>' +
      '<button id="pp-cmp-reject" type="button">Reject all</button><button id="pp-cmp-accept" type="button">Accept all</button></div>';
    root.getElementById('pp-cmp-accept').addEventListener('click', function () { choose('accept'); });
    root.getElementById('pp-cmp-reject').addEventListener('click', function () { choose('reject'); });
    d.body.insertBefore(host, d.body.firstChild); // in the flow: it covers nothing
  }
  if (d.readyState === 'loading') d.addEventListener('DOMContentLoaded', showBanner); else showBanner();
})(window, document);
