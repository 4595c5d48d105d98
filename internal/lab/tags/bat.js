/* leakwatch lab: a work-alike of Microsoft Advertising's UET tag (bat.js),
 * written for the demo from docs/pixel-protocols.md. Not Microsoft's code.
 * Hits are image GETs to bat.bing.com/action/0 carrying the page URL (p),
 * title (tl) and referrer (r). */
(function (w, d) {
  'use strict';
  if (w.UET) return;
  var HOST = 'https://bat.bing.com';

  function hex(n) {
    return Array.prototype.map.call(crypto.getRandomValues(new Uint8Array(n)), function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }
  function readCookie(name) {
    var m = d.cookie.match(new RegExp('(?:^|; )' + name + '=([^;]*)'));
    return m ? decodeURIComponent(m[1]) : '';
  }
  function writeRootCookie(name, value, days) {
    var parts = location.hostname.split('.');
    for (var i = Math.max(parts.length - 2, 0); i >= 0; i--) {
      d.cookie = name + '=' + value + '; domain=.' + parts.slice(i).join('.') + '; path=/; max-age=' + Math.round(days * 86400) + '; SameSite=Lax; Secure';
      if (readCookie(name) === value) return;
    }
  }
  function idCookie(name, days) {
    var v = readCookie(name);
    var fresh = !v;
    if (fresh) v = hex(16);
    writeRootCookie(name, v, days);
    return { id: v, fresh: fresh };
  }
  function clickID() {
    var m = location.search.match(/[?&]msclkid=([^&]*)/);
    return m ? decodeURIComponent(m[1]) : 'N';
  }

  function UET(o) {
    this.ti = String(o.ti);
    this.opts = o;
    this.userData = null;
    // Commands queued before the tag loaded sit flat in the array:
    // 'pageLoad' | 'event', action, params | 'set', data.
    var q = o.q || [];
    for (var i = 0; i < q.length; i++) {
      if (q[i] === 'event') { this.push('event', q[i + 1], q[i + 2]); i += 2; }
      else if (q[i] === 'set') { this.push('set', q[i + 1]); i += 1; }
      else if (q[i] === 'pageLoad') this.push('pageLoad');
    }
  }

  UET.prototype.hit = function (params) {
    var sid = idCookie('_uetsid', 1), vid = idCookie('_uetvid', 390);
    var nav = performance.getEntriesByType('navigation')[0];
    var base = [
      ['ti', this.ti], ['tm', 'al001'], ['Ver', '2'], ['mid', crypto.randomUUID()], ['bo', '1'],
      ['sid', sid.id], ['vid', vid.id], ['vids', vid.fresh ? '1' : '0'], ['msclkid', clickID()],
      ['pi', '918639831'], ['lg', navigator.language], ['sw', String(screen.width)], ['sh', String(screen.height)],
      ['sc', String(screen.colorDepth)], ['tl', d.title], ['p', location.href], ['r', d.referrer],
      ['lt', String(nav ? Math.round(nav.domContentLoadedEventEnd || performance.now()) : Math.round(performance.now()))]
    ];
    var all = base.concat(params, [['sv', '1'], ['cdb', 'AQAQ'], ['rn', String(Math.floor(Math.random() * 1e6))]]);
    var qs = all.map(function (p) { return encodeURIComponent(p[0]) + '=' + encodeURIComponent(p[1]); }).join('&');
    new Image().src = HOST + '/action/0?' + qs;
  };

  UET.prototype.push = function () {
    var a = Array.prototype.slice.call(arguments);
    if (a[0] === 'pageLoad') {
      this.hit([['evt', 'pageLoad']]);
    } else if (a[0] === 'event') {
      var p = a[2] || {};
      var params = [['evt', 'custom'], ['ea', a[1] || '']];
      if (p.event_category) params.push(['ec', p.event_category]);
      if (p.event_label) params.push(['el', p.event_label]);
      if (p.event_value !== undefined) params.push(['ev', String(p.event_value)]);
      if (p.revenue_value !== undefined) params.push(['gv', String(p.revenue_value)]);
      if (p.currency) params.push(['gc', p.currency]);
      this.hit(params);
    } else if (a[0] === 'set' && a[1] && a[1].pid) {
      this.userData = a[1].pid;
    }
  };

  w.UET = UET;
})(window, document);
