/* leakwatch lab: a work-alike of the Pinterest Tag (core.js), written for the
 * demo from docs/pixel-protocols.md. Not Pinterest's code. Hits are image GETs
 * to ct.pinterest.com/v3/ with JSON in the ad (page) and pd (user) fields;
 * the email given to pintrk('load', ...) travels as its SHA-256. */
(function (w, d) {
  'use strict';
  var stub = w.pintrk;
  if (!stub || stub.__lab) return;
  var HOST = 'https://ct.pinterest.com';
  var tags = [];

  function sha256(text) {
    return crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)).then(function (buf) {
      return Array.prototype.map.call(new Uint8Array(buf), function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
    });
  }
  function hashEmail(v) {
    if (!v) return Promise.resolve('');
    v = String(v).trim().toLowerCase();
    return /^[a-f0-9]{64}$/.test(v) ? Promise.resolve(v) : sha256(v);
  }
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
  function unauthID() {
    var v = readCookie('_pin_unauth');
    if (!v) {
      v = btoa('uid=' + crypto.randomUUID());
      writeRootCookie('_pin_unauth', v, 365);
    }
    return v;
  }

  function hit(tag, event, eventData) {
    tag.ready.then(function (emHash) {
      var ad = { loc: location.href, ref: d.referrer, if: w.top !== w, sh: screen.height, sw: screen.width,
        mh: 'lab', is_eu: false, ecm_enabled: true, pin_unauth: unauthID() };
      var pd = { np: 'lab' };
      if (emHash) pd.em = emHash;
      var url = HOST + '/v3/?event=' + encodeURIComponent(event) + '&ed=' + encodeURIComponent(JSON.stringify(eventData || {})) +
        '&tid=' + encodeURIComponent(tag.id) + '&pd=' + encodeURIComponent(JSON.stringify(pd)) +
        '&ad=' + encodeURIComponent(JSON.stringify(ad)) + '&cb=' + Date.now();
      new Image().src = url;
    });
  }

  var commands = {
    load: function (id, data) {
      var tag = { id: String(id), ready: hashEmail(data && data.em) };
      tags.push(tag);
      hit(tag, 'init', {});
    },
    page: function (data) { tags.forEach(function (t) { hit(t, 'pagevisit', data); }); },
    track: function (event, data) { tags.forEach(function (t) { hit(t, String(event).toLowerCase(), data); }); },
    set: function (data) {
      if (data && data.em) tags.forEach(function (t) { t.ready = hashEmail(data.em); });
    }
  };

  function handle() {
    var args = Array.prototype.slice.call(arguments);
    var cmd = commands[args[0]];
    if (cmd) cmd.apply(null, args.slice(1));
  }
  var pintrk = w.pintrk = function () { handle.apply(null, arguments); };
  pintrk.__lab = true;
  pintrk.version = '3.0';
  (stub.queue || []).forEach(function (args) { handle.apply(null, args); });
})(window, document);
