/* leakwatch lab: a work-alike of the Google tag (gtag.js), written for the
 * demo from docs/pixel-protocols.md. Not Google's code. A G- ID sends GA4
 * hits (POST region1.google-analytics.com/g/collect, fields in the query); an
 * AW- ID sends a Google Ads remarketing hit to googleads.g.doubleclick.net
 * carrying enhanced-conversion user data in em=tv.1~... (SHA-256 as base64url,
 * postal code and country in plaintext). */
(function (w, d) {
  'use strict';
  var dl = w.dataLayer = w.dataLayer || [];
  if (dl.__lab) return;
  dl.__lab = true;
  var GTM = '45je5ca1v9', GA_HOST = 'https://region1.google-analytics.com', ADS_HOST = 'https://googleads.g.doubleclick.net';
  var targets = {}, order = [], userData = null, scheduled = false, hitCount = 0;
  var sessionStart = Math.floor(Date.now() / 1000);

  function readCookie(name) {
    var m = d.cookie.match(new RegExp('(?:^|; )' + name + '=([^;]*)'));
    return m ? decodeURIComponent(m[1]) : '';
  }
  function writeRootCookie(name, value, days) {
    var parts = location.hostname.split('.');
    for (var i = Math.max(parts.length - 2, 0); i >= 0; i--) {
      d.cookie = name + '=' + value + '; domain=.' + parts.slice(i).join('.') + '; path=/; max-age=' + days * 86400 + '; SameSite=Lax; Secure';
      if (readCookie(name) === value) return;
    }
  }
  function rand() { return String(Math.floor(Math.random() * 2147483647)); }
  var firstVisit = false;
  function clientID() {
    var v = readCookie('_ga');
    if (!v) { v = 'GA1.1.' + rand() + '.' + sessionStart; writeRootCookie('_ga', v, 400); firstVisit = true; }
    return v.split('.').slice(2).join('.');
  }
  function adsUserID() {
    var v = readCookie('_gcl_au');
    if (!v) { v = '1.1.' + rand() + '.' + sessionStart; writeRootCookie('_gcl_au', v, 90); }
    return v.split('.').slice(2).join('.');
  }
  function query(pairs) {
    return pairs.filter(function (p) { return p[1] !== undefined && p[1] !== null && p[1] !== ''; })
      .map(function (p) { return encodeURIComponent(p[0]) + '=' + encodeURIComponent(p[1]); }).join('&');
  }

  function sha256b64url(text) {
    return crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)).then(function (buf) {
      var bin = String.fromCharCode.apply(null, new Uint8Array(buf));
      return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    });
  }
  function normEmail(v) {
    v = String(v).toLowerCase().replace(/\s+/g, '');
    var at = v.lastIndexOf('@');
    if (at > 0 && /^(gmail|googlemail)\.com$/.test(v.slice(at + 1))) v = v.slice(0, at).replace(/\./g, '') + v.slice(at);
    return v;
  }
  function normName(v) { return String(v).trim().toLowerCase(); }

  // userDataToken builds the em value: tv.1~em.<h>~fn0.<h>~ln0.<h>~pc0.<zip>~co0.<country>.
  function userDataToken(ud) {
    if (!ud) return Promise.resolve('');
    var jobs = [];
    var emails = [].concat(ud.email || ud.sha256_email_address || []);
    emails.forEach(function (e) { jobs.push(sha256b64url(normEmail(e)).then(function (h) { return 'em.' + h; })); });
    if (ud.phone_number) jobs.push(sha256b64url(String(ud.phone_number).replace(/[^\d+]/g, '')).then(function (h) { return 'pn.' + h; }));
    [].concat(ud.address || []).forEach(function (a, i) {
      if (a.first_name) jobs.push(sha256b64url(normName(a.first_name)).then(function (h) { return 'fn' + i + '.' + h; }));
      if (a.last_name) jobs.push(sha256b64url(normName(a.last_name)).then(function (h) { return 'ln' + i + '.' + h; }));
      if (a.postal_code) jobs.push(Promise.resolve('pc' + i + '.' + String(a.postal_code).replace(/\s+/g, '')));
      if (a.country) jobs.push(Promise.resolve('co' + i + '.' + String(a.country).trim()));
    });
    return Promise.all(jobs).then(function (tokens) { return tokens.length ? ['tv.1'].concat(tokens).join('~') : ''; });
  }

  function ga4Hit(id, name, params) {
    hitCount++;
    var pairs = [['v', '2'], ['tid', id], ['gtm', GTM], ['_p', String(Date.now())], ['gcd', '13l3l3l3l1l1'], ['npa', '0'],
      ['dma', '0'], ['cid', clientID()], ['ul', navigator.language.toLowerCase()], ['sr', screen.width + 'x' + screen.height],
      ['frm', String(w.top !== w ? 1 : 0)], ['pscdl', 'noapi'], ['_s', String(hitCount)], ['sid', String(sessionStart)],
      ['sct', '1'], ['seg', '0'], ['dl', location.href], ['dr', d.referrer], ['dt', d.title], ['en', name]];
    if (firstVisit && hitCount === 1) pairs.push(['_fv', '1'], ['_nsi', '1'], ['_ss', '1']);
    Object.keys(params || {}).forEach(function (k) {
      var v = params[k];
      if (k === 'send_to' || k === 'allow_enhanced_conversions' || v === undefined) return;
      pairs.push([(typeof v === 'number' ? 'epn.' : 'ep.') + k, String(v)]);
    });
    pairs.push(['tfd', String(Math.round(performance.now()))]);
    var url = GA_HOST + '/g/collect?' + query(pairs);
    if (!(navigator.sendBeacon && navigator.sendBeacon(url))) {
      fetch(url, { method: 'POST', mode: 'no-cors', credentials: 'include', keepalive: true });
    }
  }

  function adsHit(id, name, params) {
    var num = id.replace(/^AW-/, '');
    userDataToken(targets[id].enhanced ? userData : null).then(function (em) {
      var pairs = [['random', String(Date.now())], ['cv', '11'], ['fst', String(Date.now())], ['bg', 'ffffff'], ['guid', 'ON'],
        ['async', '1'], ['gtm', GTM], ['gcd', '13l3l3l3l1l1'], ['dma', '0'], ['u_w', String(screen.width)],
        ['u_h', String(screen.height)], ['url', location.href], ['ref', d.referrer], ['label', params && params.send_to ? String(params.send_to).split('/')[1] : ''],
        ['hn', 'www.googleadservices.com'], ['frm', String(w.top !== w ? 1 : 0)], ['tiba', d.title],
        ['data', 'event=' + name], ['auid', adsUserID()], ['em', em], ['rfmt', '3'], ['fmt', '4']];
      new Image().src = ADS_HOST + '/pagead/viewthroughconversion/' + encodeURIComponent(num) + '/?' + query(pairs);
    });
  }

  function sendEvent(id, name, params) {
    if (/^G-/.test(id)) ga4Hit(id, name, params);
    else if (/^AW-/.test(id)) adsHit(id, name, params);
  }

  // Hits wait until the queued commands are all read, so a 'set' after a
  // 'config' still applies, as with the real tag.
  var pending = [];
  function schedule(fn) {
    pending.push(fn);
    if (scheduled) return;
    scheduled = true;
    setTimeout(function () {
      scheduled = false;
      pending.splice(0).forEach(function (f) { f(); });
    }, 0);
  }

  function command(args) {
    var cmd = args[0];
    if (cmd === 'config' && args[1]) {
      var id = String(args[1]), opts = args[2] || {};
      if (!targets[id]) order.push(id);
      targets[id] = { enhanced: /^AW-/.test(id) ? opts.allow_enhanced_conversions !== false : false };
      if (opts.send_page_view !== false) schedule(function () { sendEvent(id, 'page_view', {}); });
    } else if (cmd === 'set' && args[1] === 'user_data') {
      userData = args[2] || null;
    } else if (cmd === 'event' && args[1]) {
      var params = args[2] || {}, name = String(args[1]);
      var to = params.send_to ? [].concat(params.send_to).map(function (s) { return String(s).split('/')[0]; }) : order;
      schedule(function () { to.forEach(function (t) { if (targets[t]) sendEvent(t, name, params); }); });
    }
  }

  var push = dl.push;
  dl.push = function () {
    var r = push.apply(dl, arguments);
    for (var i = 0; i < arguments.length; i++) if (arguments[i] && arguments[i].length !== undefined) command(arguments[i]);
    return r;
  };
  for (var i = 0; i < dl.length; i++) if (dl[i] && dl[i].length !== undefined) command(dl[i]);
})(window, document);
