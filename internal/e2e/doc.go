// Package e2e holds leakwatch's end-to-end test: a shop site of its own that
// loads real npm tracker clients (posthog-js, the Snowplow browser tracker with
// its form-tracking plugin, rrweb) against loopback collectors, visited in
// headless Chromium, recorded to HAR and analysed with the full audit
// pipeline. The package has no code outside its tests.
//
// The collectors keep every request they receive; the test decodes those on
// its own (base64url, gzip, JSON, PostHog's compression) to know where each
// client put the persona, and checks that the audit reports exactly that.
//
// The tracker clients are installed by the test with `npm ci` into
// testdata/trackers/node_modules (never committed). Without npm or Chromium
// the test skips, unless the CI environment variable is set, where that fails.
package e2e
