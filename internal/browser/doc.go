// Package browser owns Chromium: finding and launching it (with its sandbox
// when the system allows), its lifetime and clean-up, one tab per visit, and
// turning DevTools protocol events from every target (pages, iframes,
// workers) into traffic records.
//
// It speaks the protocol with a client of its own (conn.go) over a pipe
// (--remote-debugging-pipe: no port another local process could reach), or
// a WebSocket where a pipe cannot be handed to Chromium (Windows), with a
// small session multiplexer: the browser auto-attaches to every target with
// waitForDebuggerOnStart, so no request is made before it is recorded. The
// protocol shapes it reads (cdp.go) hold only the fields it records.
package browser
