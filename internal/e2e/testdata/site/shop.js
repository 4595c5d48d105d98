// The shop's own tag setup: the three tracker clients, configured against the
// test's collectors, and the handler that saves the contact form.
(function () {
  'use strict';

  posthog.init('phc_e2eLeakwatchToken', {
    api_host: 'https://eu.i.posthog.com',
    autocapture: true,
    capture_pageview: true,
    disable_session_recording: true,
    disable_surveys: true,
    advanced_disable_decide: false,
    request_queue_config: { flush_interval_ms: 250 },
    // PostHog drops events from user agents it takes for bots, and headless
    // Chromium says "HeadlessChrome"; a site's test setup turns that off.
    opt_out_useragent_filter: true,
  });
  // A second project whose server asks for PostHog's other compression,
  // base64 in a data= form field.
  posthog.init('phc_e2eBase64Token', {
    api_host: 'https://eu.i.posthog.com',
    autocapture: false,
    capture_pageview: true,
    disable_session_recording: true,
    disable_surveys: true,
    request_queue_config: { flush_interval_ms: 250 },
    opt_out_useragent_filter: true,
  }, 'b64');

  var sp = snowplowBrowserTracking;
  var formPlugin = snowplowFormTracking.FormTrackingPlugin;
  sp.newTracker('spget', 'https://collector.snowplow.test', {
    appId: 'shop-e2e', eventMethod: 'get', encodeBase64: true, plugins: [formPlugin()],
  });
  sp.newTracker('sppost', 'https://collector.snowplow.test', {
    appId: 'shop-e2e', eventMethod: 'post', bufferSize: 1, plugins: [formPlugin()],
  });
  sp.trackPageView();
  snowplowFormTracking.enableFormTracking({
    options: { events: ['submit_form', 'change_form'] },
  });

  // rrweb: record the page and send the events in batches, each batch in
  // another way replay vendors do it.
  var events = [];
  rrweb.record({ emit: function (e) { events.push(e); } });

  function take() {
    var batch = events;
    events = [];
    return JSON.stringify({ session: 'e2e-session', events: batch });
  }

  function gzip(text) {
    var stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
    return new Response(stream).arrayBuffer();
  }

  function base64(buf) {
    var bytes = new Uint8Array(buf), s = '';
    for (var i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    return btoa(s);
  }

  // flushReplay sends the events recorded since the last flush:
  // 'json' as a plain JSON body, 'gzip' compressed with Content-Encoding:
  // gzip, 'b64' as base64 of gzip inside a JSON field.
  window.flushReplay = async function (mode) {
    var text = take(), res;
    if (mode === 'json') {
      res = await fetch('https://replay.rrweb.test/ingest/json', {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: text,
      });
    } else if (mode === 'gzip') {
      res = await fetch('https://replay.rrweb.test/ingest/gzip', {
        method: 'POST', body: await gzip(text),
        headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
      });
    } else {
      var packed = base64(await gzip(text));
      res = await fetch('https://replay.rrweb.test/ingest/b64', {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ v: 1, encoding: 'gzip+base64', payload: packed }),
      });
    }
    return res.status;
  };

  function value(id) { return document.getElementById(id).value; }

  async function sha256hex(text) {
    var digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
    return Array.from(new Uint8Array(digest), function (b) {
      return b.toString(16).padStart(2, '0');
    }).join('');
  }

  document.getElementById('checkout').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var email = value('email');
    posthog.identify(email, {
      name: value('first_name') + ' ' + value('last_name'),
      city: value('city'),
    });
    posthog.capture('contact_details_saved', { zip: value('zip'), phone: value('phone') });
    posthog.b64.identify(email, { city: value('city') });
    posthog.b64.capture('contact_details_saved', { street: value('street') });
    sp.setUserId(email, ['spget']);
    sp.trackStructEvent({ category: 'account', action: 'save', label: 'contact' }, ['spget']);
    // A customer context with the hashed email, as sites add for matching.
    sha256hex(email.trim().toLowerCase()).then(function (hash) {
      sp.trackSelfDescribingEvent({
        event: { schema: 'iglu:test.shop/contact_saved/jsonschema/1-0-0', data: { form: 'checkout' } },
        context: [{ schema: 'iglu:test.shop/customer/jsonschema/1-0-0', data: { email_sha256: hash } }],
      });
    });
    fetch('/api/profile', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(Object.fromEntries(new FormData(ev.target))),
    }).then(function (r) {
      document.getElementById('status').textContent = r.ok ? 'Saved.' : 'Not saved.';
    });
  });
})();
