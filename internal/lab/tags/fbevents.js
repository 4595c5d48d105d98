/* leakwatch lab: a work-alike of the Meta Pixel library, written for the demo
 * from docs/pixel-protocols.md. Not Meta's code. It keeps the wire format:
 * events go to https://www.facebook.com/tr/ as an image GET, or a multipart
 * sendBeacon when the URL would pass 2048 characters; automatic advanced
 * matching (udff[...]) is turned on by the per-pixel signals config. */
(function (w, d) {
  'use strict';
  var stub = w.fbq;
  if (!stub || stub.__lab) return;
  var VERSION = '2.9.179', RELEASE = 'stable', MAX_URL = 2048;
  var ENDPOINT = 'https://www.facebook.com/tr/';
  var initTime = Date.now(), eventCount = 0;
  var pixels = {}, plugins = {};

  // Match keys: which fields automatic matching recognises and how.
  var FIELDS = [
    { key: 'em', ac: ['email', 'username'], name: /e-?mail/i, itemprop: 'email' },
    { key: 'ph', ac: ['tel', 'tel-national'], name: /phone|mobile|^tel/i, itemprop: 'telephone' },
    { key: 'fn', ac: ['given-name'], name: /first.?name|fname|given/i, itemprop: 'givenName' },
    { key: 'ln', ac: ['family-name'], name: /last.?name|lname|surname|family/i, itemprop: 'familyName' },
    { key: 'ct', ac: ['address-level2'], name: /city|town/i, itemprop: 'addressLocality' },
    { key: 'st', ac: ['address-level1'], name: /state|province|region/i, itemprop: 'addressRegion' },
    { key: 'zp', ac: ['postal-code'], name: /zip|postal|postcode/i, itemprop: 'postalCode' },
    { key: 'country', ac: ['country', 'country-name'], name: /country/i, itemprop: 'addressCountry' }
  ];
  var STATES = {
    alabama: 'al', alaska: 'ak', arizona: 'az', arkansas: 'ar', california: 'ca', colorado: 'co',
    connecticut: 'ct', delaware: 'de', 'district of columbia': 'dc', florida: 'fl', georgia: 'ga',
    hawaii: 'hi', idaho: 'id', illinois: 'il', indiana: 'in', iowa: 'ia', kansas: 'ks', kentucky: 'ky',
    louisiana: 'la', maine: 'me', maryland: 'md', massachusetts: 'ma', michigan: 'mi', minnesota: 'mn',
    mississippi: 'ms', missouri: 'mo', montana: 'mt', nebraska: 'ne', nevada: 'nv', 'new hampshire': 'nh',
    'new jersey': 'nj', 'new mexico': 'nm', 'new york': 'ny', 'north carolina': 'nc', 'north dakota': 'nd',
    ohio: 'oh', oklahoma: 'ok', oregon: 'or', pennsylvania: 'pa', 'rhode island': 'ri',
    'south carolina': 'sc', 'south dakota': 'sd', tennessee: 'tn', texas: 'tx', utah: 'ut', vermont: 'vt',
    virginia: 'va', washington: 'wa', 'west virginia': 'wv', wisconsin: 'wi', wyoming: 'wy',
    alberta: 'ab', 'british columbia': 'bc', manitoba: 'mb', 'new brunswick': 'nb', 'newfoundland and labrador': 'nl',
    'nova scotia': 'ns', ontario: 'on', 'prince edward island': 'pe', quebec: 'qc', saskatchewan: 'sk'
  };
  var COUNTRIES = {
    'united states': 'us', 'united states of america': 'us', usa: 'us', 'u.s.a.': 'us', america: 'us',
    canada: 'ca', 'united kingdom': 'gb', 'great britain': 'gb', uk: 'gb', germany: 'de', france: 'fr',
    mexico: 'mx', australia: 'au', ireland: 'ie', spain: 'es', italy: 'it', netherlands: 'nl'
  };
  var PUNCT = /[\s!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;

  var NORMALIZE = {
    em: function (v) { v = v.trim().toLowerCase().replace(/,+$/, ''); return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v) ? v : ''; },
    ph: function (v) { return v.replace(/\D/g, '').replace(/^0+/, ''); },
    fn: function (v) { return v.toLowerCase().replace(PUNCT, ''); },
    ln: function (v) { return v.toLowerCase().replace(PUNCT, ''); },
    ct: function (v) { return v.toLowerCase().replace(/[^a-z0-9]/g, ''); },
    st: function (v) {
      var s = v.trim().toLowerCase().replace(/\s+/g, ' ');
      if (STATES[s]) return STATES[s];
      return s.replace(/[^a-z]/g, '');
    },
    zp: function (v) { return v.toLowerCase().split('-')[0].trim(); },
    country: function (v) {
      var s = v.trim().toLowerCase();
      if (COUNTRIES[s]) return COUNTRIES[s];
      return s.replace(/[^a-z]/g, '');
    }
  };

  function isHashed(v) { return /^[a-f0-9]{64}$/i.test(v) || /^[a-f0-9]{32}$/i.test(v); }

  function sha256(text) {
    return crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)).then(function (buf) {
      return Array.prototype.map.call(new Uint8Array(buf), function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
    });
  }

  // hashUserData normalizes and hashes {key: raw} into [[prefix[key], hash]].
  function hashUserData(prefix, data) {
    var keys = Object.keys(data).filter(function (k) { return data[k]; });
    return Promise.all(keys.map(function (k) {
      var raw = String(data[k]);
      if (k === 'uid') return Promise.resolve([prefix + '[' + k + ']', raw]);
      if (isHashed(raw)) return Promise.resolve([prefix + '[' + k + ']', raw.toLowerCase()]);
      var norm = (NORMALIZE[k] || function (x) { return x.trim().toLowerCase().replace(/\s/g, ''); })(raw);
      if (!norm) return Promise.resolve(null);
      return sha256(norm).then(function (h) { return [prefix + '[' + k + ']', h]; });
    })).then(function (pairs) { return pairs.filter(Boolean); });
  }

  function readCookie(name) {
    var m = d.cookie.match(new RegExp('(?:^|; )' + name + '=([^;]*)'));
    return m ? decodeURIComponent(m[1]) : '';
  }

  // writeRootCookie sets a first-party cookie on the widest domain that
  // accepts it, the way analytics tags find the site's registrable domain.
  function writeRootCookie(name, value, days) {
    var parts = location.hostname.split('.');
    for (var i = Math.max(parts.length - 2, 0); i >= 0; i--) {
      var dom = parts.slice(i).join('.');
      d.cookie = name + '=' + value + '; domain=.' + dom + '; path=/; max-age=' + days * 86400 + '; SameSite=Lax; Secure';
      if (readCookie(name) === value) return;
    }
    d.cookie = name + '=' + value + '; path=/; max-age=' + days * 86400 + '; SameSite=Lax; Secure';
  }

  function browserID() {
    var v = readCookie('_fbp');
    if (!v) {
      v = 'fb.1.' + Date.now() + '.' + Math.floor(Math.random() * 2147483647);
      writeRootCookie('_fbp', v, 90);
    }
    return v;
  }

  function whenReady(fn) {
    if (d.readyState === 'loading') d.addEventListener('DOMContentLoaded', fn); else fn();
  }

  function fieldFor(el) {
    var type = (el.type || '').toLowerCase();
    if (type === 'password' || type === 'hidden' || type === 'submit' || type === 'button') return null;
    if (type === 'email') return 'em';
    if (type === 'tel') return 'ph';
    var ac = (el.getAttribute('autocomplete') || '').toLowerCase().split(/\s+/);
    var label = (el.name || '') + ' ' + (el.id || '');
    for (var i = 0; i < FIELDS.length; i++) {
      for (var j = 0; j < FIELDS[i].ac.length; j++) if (ac.indexOf(FIELDS[i].ac[j]) >= 0) return FIELDS[i].key;
    }
    for (i = 0; i < FIELDS.length; i++) if (FIELDS[i].name.test(label)) return FIELDS[i].key;
    return null;
  }

  // scrape collects match-key values from form fields, then from visible
  // elements marked up with schema.org properties.
  function scrape(root, keys) {
    var out = {};
    var inputs = root.querySelectorAll('input, select, textarea');
    for (var i = 0; i < inputs.length; i++) {
      var key = fieldFor(inputs[i]), val = (inputs[i].value || '').trim();
      if (key && val && keys.indexOf(key) >= 0 && !out[key]) out[key] = val;
    }
    for (var f = 0; f < FIELDS.length; f++) {
      if (out[FIELDS[f].key] || keys.indexOf(FIELDS[f].key) < 0) continue;
      var el = root.querySelector('[itemprop="' + FIELDS[f].itemprop + '"]');
      if (el && el.offsetParent !== null && el.textContent.trim()) out[FIELDS[f].key] = el.textContent.trim();
    }
    return out;
  }

  function encodePair(p) { return encodeURIComponent(p[0]) + '=' + encodeURIComponent(p[1]); }

  function transmit(pairs, preferBeacon) {
    var query = pairs.map(encodePair).join('&');
    var url = ENDPOINT + '?' + query + '&rqm=GET';
    if (!preferBeacon && url.length <= MAX_URL) {
      var img = new Image();
      img.src = url;
      return 'GET';
    }
    if (navigator.sendBeacon) {
      var form = new FormData();
      pairs.forEach(function (p) { form.append(p[0], p[1]); });
      form.append('rqm', 'SB');
      if (navigator.sendBeacon(ENDPOINT, form)) return 'SB';
    }
    fetch(ENDPOINT, { method: 'POST', body: new URLSearchParams(pairs.concat([['rqm', 'formPOST']])), mode: 'no-cors', credentials: 'include', keepalive: true });
    return 'formPOST';
  }

  function flatten(prefix, obj, pairs) {
    Object.keys(obj || {}).forEach(function (k) {
      var v = obj[k];
      if (v === undefined || v === null) return;
      pairs.push([prefix + '[' + k + ']', typeof v === 'object' ? JSON.stringify(v) : String(v)]);
    });
  }

  function sendEvent(px, ev, customData, opts) {
    opts = opts || {};
    var pairs = [['id', px.id], ['ev', ev], ['dl', location.href], ['rl', d.referrer], ['if', String(w.top !== w)], ['ts', String(Date.now())]];
    flatten('cd', customData, pairs);
    var matched = Promise.resolve([]);
    if (px.automaticMatching) {
      var found = scrape(opts.root || d, px.matchKeys);
      matched = hashUserData('udff', found);
    }
    var manual = hashUserData('ud', px.userData || {});
    return Promise.all([matched, manual]).then(function (res) {
      pairs = pairs.concat(res[0]);
      pairs.push(['sw', String(screen.width)], ['sh', String(screen.height)]);
      pairs = pairs.concat(res[1]);
      pairs.push(['v', VERSION], ['r', RELEASE], ['ec', String(eventCount++)], ['o', '4126'],
        ['fbp', browserID()], ['cs_est', 'true'], ['ler', 'empty'], ['it', String(initTime)], ['coo', 'false']);
      return transmit(pairs, opts.beacon);
    });
  }

  function runWhenConfigured(px, fn) {
    if (px.configured) whenReady(fn); else px.pending.push(fn);
  }

  function loadConfig(id) {
    var s = d.createElement('script');
    s.async = true;
    s.src = 'https://connect.facebook.net/signals/config/' + id + '?v=' + VERSION + '&r=' + RELEASE;
    s.onerror = function () { markConfigured(id); };
    d.head.appendChild(s);
  }

  function markConfigured(id) {
    var px = pixels[id];
    if (!px || px.configured) return;
    px.configured = true;
    var queue = px.pending.splice(0);
    whenReady(function () { queue.forEach(function (fn) { fn(); }); });
  }

  // The signals config calls back through these two objects.
  var config = {
    set: function (id, name, value) {
      var px = pixels[id];
      if (!px) return;
      px.config[name] = value;
      if (name === 'automaticMatching' && value && value.selectedMatchKeys) px.matchKeys = value.selectedMatchKeys.slice();
    }
  };
  var instance = {
    optIn: function (id, feature, on) {
      var px = pixels[id];
      if (!px) return;
      if (feature === 'AutomaticMatching') px.automaticMatching = !!on;
      if (feature === 'InferredEvents') px.inferredEvents = !!on;
    },
    configLoaded: markConfigured
  };

  var commands = {
    init: function (id, userData) {
      id = String(id);
      if (pixels[id]) return;
      pixels[id] = { id: id, userData: userData || null, config: {}, matchKeys: [], automaticMatching: false,
        inferredEvents: false, configured: false, pending: [] };
      loadConfig(id);
      setTimeout(function () { markConfigured(id); }, 4000);
    },
    track: function (ev, customData) {
      Object.keys(pixels).forEach(function (id) {
        var px = pixels[id];
        runWhenConfigured(px, function () { sendEvent(px, ev, customData); });
      });
    },
    trackCustom: function (ev, customData) { commands.track(ev, customData); },
    trackSingle: function (id, ev, customData) {
      var px = pixels[String(id)];
      if (px) runWhenConfigured(px, function () { sendEvent(px, ev, customData); });
    }
  };

  // Inferred events: a click on a button sends SubscribedButtonClick with
  // what the form around it holds (automatic matching scrapes that form).
  function onClick(e) {
    var btn = e.target && e.target.closest && e.target.closest('button, input[type="submit"], input[type="button"], a');
    if (!btn) return;
    var form = btn.form || btn.closest('form');
    var features = { classList: btn.className, destination: form ? form.action : (btn.href || ''), id: btn.id,
      imageUrl: '', innerText: (btn.innerText || btn.value || '').trim(), numChildButtons: 0,
      tag: btn.tagName.toLowerCase(), type: btn.type || null };
    var formFeatures = [];
    if (form) {
      Array.prototype.forEach.call(form.elements, function (el) {
        formFeatures.push({ id: el.id, name: el.name, tag: el.tagName.toLowerCase(), placeholder: el.placeholder || '', inputType: el.type });
      });
    }
    var cd = { buttonFeatures: features, buttonText: features.innerText, formFeatures: formFeatures,
      pageFeatures: { title: d.title } };
    Object.keys(pixels).forEach(function (id) {
      var px = pixels[id];
      if (px.configured && px.inferredEvents) sendEvent(px, 'SubscribedButtonClick', cd, { root: form || d, beacon: true });
    });
  }

  function call() {
    var args = Array.prototype.slice.call(arguments);
    var cmd = commands[args[0]];
    if (cmd) cmd.apply(null, args.slice(1));
  }

  var fbq = w.fbq = function () { call.apply(null, arguments); };
  fbq.__lab = true;
  fbq.version = VERSION;
  fbq.loaded = true;
  fbq.callMethod = call;
  fbq.registerPlugin = function (name, plugin) {
    if (plugins[name]) return;
    plugins[name] = plugin;
    if (plugin && typeof plugin.plugin === 'function') plugin.plugin(fbq, instance, config);
  };
  if (!w._fbq) w._fbq = fbq;
  d.addEventListener('click', onClick, true);
  (stub.queue || []).forEach(function (args) { call.apply(null, args); });
})(window, document);
