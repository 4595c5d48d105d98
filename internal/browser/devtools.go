package browser

import (
	"context"
	"encoding/json"
	"slices"
)

// The DevTools protocol of a tab, for what Tab has no method for: tests that
// emulate print media or a phone screen, or that watch what a page logs.
// Leakwatch's own recording never goes through it.

// Call sends the DevTools command method with params (nil for none) to the
// tab's page and decodes its result into result, unless result is nil.
func (t *Tab) Call(ctx context.Context, method string, params, result any) error {
	return t.c.b.call(ctx, t.s.id, method, params, result)
}

// Event is one DevTools event of a tab's page, as Chromium sent it.
type Event struct {
	Method string
	Params json.RawMessage
}

// listener is one Tab.Listen callback.
type listener struct{ f func(Event) }

// Listen calls f with every DevTools event of the tab's page, in the order
// received, until stop is called; events of the page's iframes and workers,
// which have sessions of their own, are not included. The Network, Page
// and Runtime domains are enabled already; others must be enabled with
// Call. f runs on the browser's event reader: it must return quickly and
// must not call the browser.
func (t *Tab) Listen(f func(Event)) (stop func()) {
	b, id, l := t.c.b, t.s.id, &listener{f: f}
	b.mu.Lock()
	if b.listeners == nil {
		b.listeners = map[string][]*listener{}
	}
	b.listeners[id] = append(slices.Clip(b.listeners[id]), l)
	b.mu.Unlock()
	return func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		// A new slice: dispatch may be reading the old one.
		left := slices.DeleteFunc(slices.Clone(b.listeners[id]), func(x *listener) bool { return x == l })
		if len(left) == 0 {
			delete(b.listeners, id)
			return
		}
		b.listeners[id] = left
	}
}

// dispatch hands ev to the listeners of its session. The slices in
// b.listeners are never changed in place, so they are read unlocked.
func (b *Browser) dispatch(ev *event) {
	b.mu.Lock()
	ls := b.listeners[ev.SessionID]
	b.mu.Unlock()
	for _, l := range ls {
		l.f(Event{Method: ev.Method, Params: ev.Params})
	}
}
