// Package browser owns Chromium: finding and launching it, its lifetime and
// clean-up, one tab per visit, and turning DevTools protocol events from every
// target (pages, iframes, workers) into traffic records.
//
// It speaks the protocol through go-rod's transport (lib/cdp) with a small
// session multiplexer of its own: the browser auto-attaches to every target
// with waitForDebuggerOnStart, so no request is made before it is recorded.
package browser
