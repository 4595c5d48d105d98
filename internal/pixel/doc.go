// Package pixel decodes tracking pixels and analytics beacons: one decoder per
// vendor in a table, each naming the fields of a hit with their meaning, plus
// configuration and behaviour findings drawn from the traffic.
//
// # Decoding
//
// Decode runs the first decoder of the table (Decoders) whose Match accepts a
// request, by host and path. A decoder reads the query, the body by content
// type (form, multipart, JSON, text lines; Content-Encoding and bare gzip
// undone; HAR postData params when no body was kept) and path parameters, and
// returns hits. Every parameter becomes a Field, named as on the wire
// ("ud[em]", "ep.search_term"); values decoded from inside a parameter are
// named "<parameter>><path>" ("pd>em", "data>properties.token", "p2>m",
// "em>tv.1~em"); a JSON body's values are named by their dotted path
// ("context.page.url"). A parameter no rule knows keeps Meaning Raw; input
// that does not decode (bad JSON, base64, gzip, lz-string) stays as sent.
//
// A matched request that carries no event data is not a hit: no parameters
// and no body (a script or iframe load, a beacon whose body was not
// recorded), a tag's iframe document (Pinterest ct.html), a CORS preflight.
// Vendors whose paths are distinctive are also matched on first-party
// proxies and CNAMEs by path shape (Adobe /b/ss/, /id?d_visid_ver=,
// /ee/.../interact; Comscore /b?c1=..&c2=<digits>; AT Internet /hit.xiti);
// Google endpoints on every Google country domain (google.<public suffix>).
//
// Google hits spell out their Consent Mode parameters as Technical fields
// (gcs>ad_storage, gcd>ad_user_data, dma_cps>services); ConsentState reads
// them into a GoogleConsent. Meta's dpo/dpoco/dpost become
// dpo>limited_data_use, dpoco>country and dpost>state.
//
// Meanings: page_url, referrer, title, user_id, hashed_email, hashed_phone,
// hashed_name, hashed_address, hashed_other (birth date, gender), plain_pii,
// custom_data, click_id, browser_id (cookie-based browser or session IDs),
// device, event, account, technical (known, not personal), "" (raw).
//
// # Findings
//
// An Analyzer decodes requests in capture order and keeps bounded evidence
// for Findings, of these types:
//
//   - automatic-advanced-matching: a Meta signals config
//     (connect.facebook.net/signals/config/<id>) sets automaticMatching or
//     opts in to AutomaticMatching (details: selectedMatchKeys, unwantedData,
//     protectedDataMode, optIn flags; source=config), or udff[...] fields
//     were sent (details: keys; source=wire).
//   - pixel-config: a Meta signals config with automatic matching off, or a
//     session-replay settings response (best effort: keys such as
//     recording_capture_keystrokes, anonymize_digits, anonymize_emails,
//     suppress_all, maskAllInputs, maskAllText, recordCanvas,
//     consoleLogRecordingEnabled, recordBody, recordHeaders, read from
//     responses of replay vendors' hosts such as Hotjar's site settings and
//     PostHog's /decide; Clarity's and FullStory's settings are not read).
//   - third-party-cookie: cookies a third-party domain set (Set-Cookie) and
//     received (Cookie header or recorded request cookies).
//   - identifier-cookie: cookies whose values look like identifiers: at least
//     8 characters, Shannon entropy ≥ 2.5 bits per character and ≥ 24 bits in
//     all, not a Unix timestamp, boolean, URL or JSON; and a vendor's own
//     identifier cookie (_ga, _fbp, _uetvid, ... in vendorcookies.go) whose
//     value went to that vendor's own domains.
//   - cookie-sync: an identifier from a cookie sent in the URL of a request
//     to another company. Identifiers are whole tokens or token runs (UUIDs
//     whole) of Privacy Badger's strength (≥ 8 characters, > 33 bits), not
//     words, host labels, timestamps, dates, versions, UUID fragments or
//     parts of the page URL; the longest wins over its substrings (idrules.go).
//     One finding per (identifier, receiver domain), credited to the cookie
//     that carried it first; details: identifier, cookie, giver, giver_kind,
//     receiver, first_request (where that cookie first carried it). A part
//     that many distinct cookie values share (a common prefix) is not an
//     identifier, and a URL echoing the receiver's own cookie value back to
//     it is not a sync.
//   - session-replay: uploads to session-replay vendors (Clarity, Hotjar,
//     FullStory, LogRocket, Smartlook, Mouseflow, ...), recording endpoints of
//     analytics vendors (PostHog /s/, Mixpanel /record, Yandex Webvisor),
//     PostHog $snapshot events, and rrweb-shaped payloads anywhere (objects
//     with numeric "type", "data" and "timestamp"), in bodies or WebSocket
//     frames.
//   - fingerprinting: requests to known fingerprinting and fraud/bot
//     detection services (FingerprintJS, ThreatMetrix, iovation, Kount,
//     HUMAN, Forter, Sift, ...) or fingerprinting library scripts.
//   - tracking-beacon: 1×1 images (or image responses of at most 200 bytes
//     when the body was not kept) with query parameters, to third parties no
//     decoder recognises.
package pixel
