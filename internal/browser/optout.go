package browser

import "fmt"

// Opt-out signals: Global Privacy Control (Sec-GPC: 1 and
// navigator.globalPrivacyControl, https://privacycg.github.io/gpc-spec/)
// and Do Not Track (DNT: 1 and navigator.doNotTrack). Chromium sends
// neither by itself in a fresh profile, so both are set per target: the
// headers with Network.setExtraHTTPHeaders on every recorded target
// (pages, iframes, workers), the navigator properties with a script that
// runs in every document before the page's own.

// optOutHeaders returns the request headers the options ask for, or nil.
func (o *Options) optOutHeaders() map[string]string {
	h := map[string]string{}
	if o.GPC {
		h["Sec-GPC"] = "1"
	}
	if o.DNT {
		h["DNT"] = "1"
	}
	if len(h) == 0 {
		return nil
	}
	return h
}

// optOutScript defines the navigator properties on Navigator.prototype, as
// browsers that support them do, so `'globalPrivacyControl' in navigator`
// and the getter both answer as in such a browser.
func optOutScript(gpc, dnt bool) string {
	return fmt.Sprintf(`(function (gpc, dnt) {
  var P = window.Navigator && Navigator.prototype;
  if (!P) return;
  function define(name, value) {
    try { Object.defineProperty(P, name, { get: function () { return value; }, configurable: true, enumerable: true }); } catch (e) {}
  }
  if (gpc) define('globalPrivacyControl', true);
  if (dnt) define('doNotTrack', '1');
})(%t, %t)`, gpc, dnt)
}

// setupOptOut sends the opt-out commands to a new recorded target. It is
// called from setup after Network.enable and before the target runs, so
// its first request and first script already carry the signals.
func (b *Browser) setupOptOut(s *session) {
	h := b.opts.optOutHeaders()
	if h == nil {
		return
	}
	b.send(s.id, "Network.setExtraHTTPHeaders", map[string]any{"headers": h})
	if s.kind == "page" || s.kind == "iframe" {
		b.send(s.id, "Page.addScriptToEvaluateOnNewDocument", map[string]any{
			"source": optOutScript(b.opts.GPC, b.opts.DNT), "runImmediately": true})
	}
}

// OptOut reports the opt-out signals the browser sends.
func (b *Browser) OptOut() (gpc, dnt bool) { return b.opts.GPC, b.opts.DNT }
