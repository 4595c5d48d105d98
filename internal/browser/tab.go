package browser

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// Tab is one browser tab. Its traffic, and that of its iframes, workers and
// popups, is recorded in its Context.
type Tab struct {
	c      *Context
	s      *session
	stored *traffic.Page // the page whose storage was read last; guarded by Browser.mu
}

// Context is the browser context the tab records into.
func (t *Tab) Context() *Context { return t.c }

// ErrCrashed is returned when the tab's renderer crashed.
var ErrCrashed = errors.New("renderer crashed")

// ErrTabGone is returned for a tab that was closed or detached.
var ErrTabGone = errors.New("tab closed")

// cleanup returns a short context for work that must happen even when ctx
// has expired, such as stopping a page load.
func cleanup(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), 3*time.Second)
}

// Navigate loads u and waits for its load event. On failure the error is
// also recorded on the page; what was captured is kept.
func (t *Tab) Navigate(ctx context.Context, u string) error {
	b := t.c.b
	b.mu.Lock()
	loads, before, gone, crashed, stored := t.s.loads, t.s.page, t.s.gone, t.s.crashed, t.stored
	b.mu.Unlock()
	switch {
	case crashed:
		// Chromium detaches a crashed tab at its next navigation.
		return fmt.Errorf("navigate %s: %w; open a new tab", u, ErrCrashed)
	case gone:
		return fmt.Errorf("navigate %s: %w", u, ErrTabGone)
	}
	if before != nil && before != stored {
		// Read the storage of the page being left, unless already read.
		sctx, cancel := cleanup(ctx)
		_ = t.CollectStorage(sctx)
		cancel()
	}
	if before != nil && leaves(t.URL()) {
		// Leave from inside the page, so what its unload handlers send is
		// recorded (see Close).
		lctx, cancel := cleanup(ctx)
		b.leave(lctx, t.s)
		cancel()
		b.mu.Lock()
		loads = t.s.loads
		b.mu.Unlock()
	}

	var res struct {
		LoaderID  string `json:"loaderId"`
		ErrorText string `json:"errorText"`
	}
	err := b.call(ctx, t.s.id, "Page.navigate", map[string]any{"url": u}, &res)
	switch {
	case err != nil:
		err = fmt.Errorf("navigate %s: %w", u, err)
	case res.ErrorText != "":
		err = fmt.Errorf("navigate %s: %s", u, res.ErrorText)
	case res.LoaderID == "":
		return nil // same-document navigation
	default:
		if err = t.waitLoad(ctx, loads); err != nil {
			err = fmt.Errorf("load %s: %w", u, err)
		}
	}
	if err != nil {
		t.stopLoading(ctx)
		t.recordError(u, before, err)
	}
	return err
}

// stopLoading stops a page that is still loading.
func (t *Tab) stopLoading(ctx context.Context) {
	sctx, cancel := cleanup(ctx)
	defer cancel()
	_ = t.c.b.call(sctx, t.s.id, "Page.stopLoading", nil, nil)
}

// recordError sets err on the current page, creating one for u when the
// navigation made no page of its own.
func (t *Tab) recordError(u string, before *traffic.Page, err error) {
	b := t.c.b
	b.mu.Lock()
	defer b.mu.Unlock()
	if t.s.page == nil || t.s.page == before {
		t.s.page = t.c.newPage(u, time.Time{})
	}
	if t.s.page.Error == "" {
		t.s.page.Error = err.Error()
	}
}

// waitLoad waits for a load event after the loads-th one.
func (t *Tab) waitLoad(ctx context.Context, loads int) error {
	b := t.c.b
	for {
		b.mu.Lock()
		s := t.s
		done, crashed, gone, wake := s.loads > loads, s.crashed, s.gone, s.wake
		b.mu.Unlock()
		switch {
		case crashed:
			return ErrCrashed
		case done:
			return nil
		case gone:
			return ErrTabGone
		}
		select {
		case <-wake:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// WaitQuiet waits until the tab's network has been idle for quiet: no
// request in flight and no network event. A request whose response arrived
// and that has had no data for quiet counts as done: Chromium never reports
// the end of some keepalive fetches and beacons. Requests that hang without
// any activity (long polls) stop counting after 4×quiet (at least 2s).
func (t *Tab) WaitQuiet(ctx context.Context, quiet time.Duration) error {
	b := t.c.b
	start := time.Now().UnixNano()
	stall := max(4*quiet, 2*time.Second)
	tick := time.NewTicker(min(quiet/4+time.Millisecond, 50*time.Millisecond))
	defer tick.Stop()
	for {
		b.mu.Lock()
		n, last, crashed := t.s.busyRequests(quiet), max(t.s.activity, start), t.s.crashed
		b.mu.Unlock()
		idle := time.Duration(time.Now().UnixNano() - last)
		switch {
		case crashed:
			return ErrCrashed
		case n == 0 && idle >= quiet, idle >= stall:
			return nil
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			return fmt.Errorf("network not quiet (%d requests in flight): %w", n, ctx.Err())
		}
	}
}

// Eval evaluates a JavaScript expression in the page (awaiting a promise)
// and returns its value as JSON.
func (t *Tab) Eval(ctx context.Context, js string) (json.RawMessage, error) {
	return t.c.b.eval(ctx, t.s.id, js)
}

func (b *Browser) eval(ctx context.Context, sessionID, js string) (json.RawMessage, error) {
	var res struct {
		Result struct {
			Type  string          `json:"type"`
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		Exception *struct {
			Text      string `json:"text"`
			Exception struct {
				Description string `json:"description"`
			} `json:"exception"`
		} `json:"exceptionDetails"`
	}
	err := b.call(ctx, sessionID, "Runtime.evaluate", map[string]any{"expression": js,
		"returnByValue": true, "awaitPromise": true, "userGesture": true}, &res)
	if err != nil {
		return nil, err
	}
	if res.Exception != nil {
		msg := res.Exception.Exception.Description
		if msg == "" {
			msg = res.Exception.Text
		}
		return nil, fmt.Errorf("javascript: %s", firstLine(msg))
	}
	if len(res.Result.Value) == 0 {
		return json.RawMessage("null"), nil
	}
	return res.Result.Value, nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// call evaluates an embedded script function with JSON arguments.
func (t *Tab) call(ctx context.Context, name string, out any, args ...any) error {
	js, err := invocation(script(name), args...)
	if err != nil {
		return err
	}
	raw, err := t.Eval(ctx, js)
	if err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(raw, out)
}

func invocation(fn string, args ...any) (string, error) {
	parts := make([]string, len(args))
	for i, a := range args {
		b, err := json.Marshal(a)
		if err != nil {
			return "", fmt.Errorf("script argument: %w", err)
		}
		parts[i] = string(b)
	}
	return "(" + fn + ")(" + strings.Join(parts, ",") + ")", nil
}

// URL is the URL of the tab's top document.
func (t *Tab) URL() string {
	t.c.b.mu.Lock()
	defer t.c.b.mu.Unlock()
	return t.s.url
}

// Page returns a copy of the page the tab shows, or nil before the first
// navigation.
func (t *Tab) Page() *traffic.Page {
	t.c.b.mu.Lock()
	defer t.c.b.mu.Unlock()
	if t.s.page == nil {
		return nil
	}
	p := *t.s.page
	p.Submits = append([]traffic.Submit(nil), p.Submits...)
	return &p
}

// UpdatePage lets the caller annotate the page the tab shows (title,
// screenshot, error); it does nothing before the first navigation.
func (t *Tab) UpdatePage(f func(p *traffic.Page)) {
	t.c.b.mu.Lock()
	defer t.c.b.mu.Unlock()
	if t.s.page != nil {
		f(t.s.page)
	}
}

// Crashed reports whether the tab's renderer crashed; such a tab cannot
// navigate again and should be closed.
func (t *Tab) Crashed() bool {
	t.c.b.mu.Lock()
	defer t.c.b.mu.Unlock()
	return t.s.crashed || t.s.gone
}

// Dialogs counts the JavaScript dialogs dismissed in this tab.
func (t *Tab) Dialogs() int {
	t.c.b.mu.Lock()
	defer t.c.b.mu.Unlock()
	return t.s.dialogs
}

// Close records the page's storage, leaves the page and its popups and
// closes them. Leaving through about:blank first runs the pages'
// beforeunload, visibilitychange, pagehide and unload handlers while their
// DevTools sessions still listen, and waits for what they send (beacons,
// keepalive fetches), so those requests and their bodies are recorded: a
// target closed outright takes its session, and their events, with it.
func (t *Tab) Close() error {
	b := t.c.b
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	// A hung renderer (an endless loop, a dialog storm) can neither give
	// its storage nor leave: close it at once.
	responsive := t.responsive()
	if responsive {
		_ = t.CollectStorage(ctx)
	}
	b.mu.Lock()
	sessions := []*session{t.s}
	for _, s := range b.sessions {
		if s.kind == "page" && s.tab == t && s != t.s {
			sessions = append(sessions, s)
		}
	}
	b.mu.Unlock()
	lctx, lcancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer lcancel()
	for _, s := range sessions[1:] {
		b.leave(lctx, s)
	}
	if responsive {
		b.leave(lctx, t.s)
	}
	for _, s := range sessions[1:] {
		// A popup may have closed itself meanwhile.
		_ = b.call(ctx, "", "Target.closeTarget", map[string]any{"targetId": s.targetID}, nil)
	}
	if err := b.call(ctx, "", "Target.closeTarget", map[string]any{"targetId": t.s.targetID}, nil); err != nil {
		return fmt.Errorf("close tab: %w", err)
	}
	return nil
}

// responsive reports whether the tab's page answers a script within a
// second.
func (t *Tab) responsive() bool {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_, err := t.Eval(ctx, "1")
	return err == nil
}

// leave navigates a page session to about:blank from inside the page and
// waits (bounded by ctx) for the requests its unload handlers sent to
// finish. A navigation the page starts itself stays in its renderer and
// frame (Chromium's RenderDocument and back/forward cache are off, see
// rootFlags), so its pagehide, visibilitychange and unload handlers run
// while the page's DevTools session still records; a navigation started
// by the browser would swap the frame first and lose them.
func (b *Browser) leave(ctx context.Context, s *session) {
	b.mu.Lock()
	dead, loads := s.gone || s.crashed, s.loads
	s.leaving = true
	b.mu.Unlock()
	defer func() {
		b.mu.Lock()
		s.leaving = false
		b.mu.Unlock()
	}()
	if dead {
		return
	}
	var res struct {
		LoaderID string `json:"loaderId"`
	}
	if _, err := b.eval(ctx, s.id, `location.href = "about:blank"`); err != nil {
		return
	}
	res.LoaderID = "x"
	for {
		b.mu.Lock()
		done := s.loads > loads || s.gone || s.crashed || res.LoaderID == ""
		wake := s.wake
		b.mu.Unlock()
		if done {
			break
		}
		select {
		case <-wake:
		case <-ctx.Done():
			return
		}
	}
	tab := &Tab{c: s.bc, s: s}
	if s.bc != nil {
		_ = tab.WaitQuiet(ctx, 150*time.Millisecond)
	}
}

// busyRequests counts the requests in flight that still hold the page up:
// those waiting for a response and those that had an event within quiet.
// The caller holds Browser.mu.
func (s *session) busyRequests(quiet time.Duration) int {
	now, n := time.Now().UnixNano(), 0
	for _, last := range s.inflight {
		if last == 0 || time.Duration(now-last) < quiet {
			n++
		}
	}
	return n
}

// MarkSubmit records on the tab's page that form is about to be
// submitted: the requests recorded from now on come after it.
func (t *Tab) MarkSubmit(form string) {
	t.c.b.mu.Lock()
	defer t.c.b.mu.Unlock()
	if t.s.page == nil {
		return
	}
	t.s.page.Submits = append(t.s.page.Submits, traffic.Submit{Time: time.Now().UTC(),
		Index: len(t.c.reqs), Form: form})
}
