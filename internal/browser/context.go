package browser

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// Context is a Chromium browser context: one cookie jar and storage, the
// tabs opened in it, and everything they sent, recorded in order.
type Context struct {
	b         *Browser
	id        string
	isDefault bool
	fetches   sync.WaitGroup // body reads in flight

	// Guarded by b.mu.
	reqs     []*traffic.Request
	live     map[string]*flight
	pages    []*traffic.Page
	storage  []traffic.StorageItem
	warnings []string
	// events counts CDP events whose parameters did not decode (see decode).
	events badEvents
	// dialogs counts dismissed JavaScript dialogs; dialogOrder keeps the
	// order they were first seen in.
	dialogs     map[dialogKey]int
	dialogOrder []dialogKey
	// blobs are Blob request bodies the pages reported, by URL, oldest
	// first, for the requests about to be sent.
	blobs map[string][][]byte
}

func newContext(b *Browser, id string, isDefault bool) *Context {
	return &Context{b: b, id: id, isDefault: isDefault, live: map[string]*flight{}, dialogs: map[dialogKey]int{},
		blobs: map[string][][]byte{}}
}

// Default is the browser's default context, which uses the profile.
func (b *Browser) Default() *Context { return b.def }

// NewContext opens an isolated context, like an incognito window: its own
// cookie jar and storage, disposed of by Close.
func (b *Browser) NewContext(ctx context.Context) (*Context, error) {
	var res struct {
		ID string `json:"browserContextId"`
	}
	if err := b.call(ctx, "", "Target.createBrowserContext", nil, &res); err != nil {
		return nil, fmt.Errorf("new browser context: %w", err)
	}
	c := newContext(b, res.ID, false)
	b.mu.Lock()
	b.contexts[res.ID] = c
	b.mu.Unlock()
	err := b.call(ctx, "", "Browser.setDownloadBehavior",
		map[string]any{"behavior": "deny", "browserContextId": res.ID}, nil)
	if err != nil {
		return nil, fmt.Errorf("new browser context: %w", err)
	}
	return c, nil
}

// Close disposes of an isolated context and its tabs; the default context
// stays until the browser closes.
func (c *Context) Close(ctx context.Context) error {
	if c.isDefault {
		return nil
	}
	err := c.b.call(ctx, "", "Target.disposeBrowserContext", map[string]any{"browserContextId": c.id}, nil)
	// Forget the context either way, so a long-lived browser does not keep
	// every scan's traffic; what Capture returned stays valid.
	c.b.mu.Lock()
	delete(c.b.contexts, c.id)
	c.b.mu.Unlock()
	if err != nil {
		return fmt.Errorf("close browser context: %w", err)
	}
	return nil
}

// NewTab opens a tab in the default context.
func (b *Browser) NewTab(ctx context.Context) (*Tab, error) { return b.def.NewTab(ctx) }

// NewTab opens a blank tab whose traffic is recorded from its first request.
func (c *Context) NewTab(ctx context.Context) (*Tab, error) {
	params := map[string]any{"url": "about:blank"}
	if !c.isDefault {
		params["browserContextId"] = c.id
	}
	var res struct {
		TargetID string `json:"targetId"`
	}
	if err := c.b.call(ctx, "", "Target.createTarget", params, &res); err != nil {
		return nil, fmt.Errorf("new tab: %w", err)
	}
	s, err := c.b.waitSession(ctx, res.TargetID)
	if err != nil {
		return nil, fmt.Errorf("new tab: %w", err)
	}
	t := &Tab{c: c, s: s}
	c.b.mu.Lock()
	s.tab = t
	c.b.mu.Unlock()
	return t, nil
}

// waitSession waits until the page target is attached and running.
func (b *Browser) waitSession(ctx context.Context, targetID string) (*session, error) {
	b.mu.Lock()
	var s *session
	for _, x := range b.sessions {
		if x.targetID == targetID && x.kind == "page" && x.parent == nil {
			s = x
		}
	}
	ch := make(chan *session, 1)
	if s == nil {
		b.waiters[targetID] = ch
	}
	b.mu.Unlock()
	defer func() {
		b.mu.Lock()
		delete(b.waiters, targetID)
		b.mu.Unlock()
	}()
	if s == nil {
		select {
		case s = <-ch:
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-b.loop:
			return nil, errClosed
		}
	}
	select {
	case <-s.ready:
		return s, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Cookies returns the context's cookie jar.
func (c *Context) Cookies(ctx context.Context) ([]traffic.Cookie, error) {
	params := map[string]any{}
	if !c.isDefault {
		params["browserContextId"] = c.id
	}
	var res struct {
		Cookies []cdpCookie `json:"cookies"`
	}
	if err := c.b.call(ctx, "", "Storage.getCookies", params, &res); err != nil {
		return nil, fmt.Errorf("read cookie jar: %w", err)
	}
	out := make([]traffic.Cookie, 0, len(res.Cookies))
	for _, x := range res.Cookies {
		out = append(out, x.cookie())
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Domain != out[j].Domain {
			return out[i].Domain < out[j].Domain
		}
		return out[i].Name < out[j].Name
	})
	return out, nil
}

// SetCookies puts cookies into the jar, e.g. a logged-in session.
func (c *Context) SetCookies(ctx context.Context, cookies []traffic.Cookie) error {
	list := make([]map[string]any, 0, len(cookies))
	for _, k := range cookies {
		m := map[string]any{"name": k.Name, "value": k.Value, "domain": k.Domain, "path": k.Path,
			"secure": k.Secure, "httpOnly": k.HTTPOnly}
		if k.Path == "" {
			m["path"] = "/"
		}
		if !k.Expires.IsZero() {
			m["expires"] = float64(k.Expires.UnixNano()) / 1e9
		}
		if k.SameSite != "" {
			m["sameSite"] = k.SameSite
		}
		list = append(list, m)
	}
	params := map[string]any{"cookies": list}
	if !c.isDefault {
		params["browserContextId"] = c.id
	}
	if err := c.b.call(ctx, "", "Storage.setCookies", params, nil); err != nil {
		return fmt.Errorf("set cookies: %w", err)
	}
	return nil
}

// Capture returns what the context recorded so far, with the cookie jar. It
// waits (bounded by ctx) for body reads still in flight.
func (c *Context) Capture(ctx context.Context) (*traffic.Capture, error) {
	done := make(chan struct{})
	go func() { c.fetches.Wait(); close(done) }()
	wait, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	select {
	case <-done:
	case <-wait.Done():
	}
	cookies, err := c.Cookies(ctx)
	c.b.mu.Lock()
	defer c.b.mu.Unlock()
	out := &traffic.Capture{Creator: "leakwatch", Browser: c.b.version, Cookies: cookies,
		Storage: append([]traffic.StorageItem(nil), c.storage...), Warnings: c.allWarnings()}
	if err != nil {
		out.Warnings = append(out.Warnings, err.Error())
	}
	for _, p := range c.pages {
		cp := *p
		cp.Submits = append([]traffic.Submit(nil), p.Submits...)
		out.Pages = append(out.Pages, &cp)
	}
	for _, r := range c.reqs {
		cp := *r
		if r.Response != nil {
			resp := *r.Response
			cp.Response = &resp
		}
		cp.WebSocket = append([]traffic.WebSocketFrame(nil), r.WebSocket...)
		out.Requests = append(out.Requests, &cp)
	}
	return out, nil
}

// allWarnings are the capture's warnings: the browser's own first (no
// sandbox, events of no context that did not decode), then the context's.
// The caller holds b.mu.
func (c *Context) allWarnings() []string {
	var out []string
	if w := c.b.sandbox.Warning(); w != "" {
		out = append(out, w)
	}
	out = append(out, c.b.events.warnings()...)
	out = append(out, c.warnings...)
	out = append(out, c.dialogWarnings()...)
	return append(out, c.events.warnings()...)
}

// Requests counts the requests recorded so far.
func (c *Context) Requests() int {
	c.b.mu.Lock()
	defer c.b.mu.Unlock()
	return len(c.reqs)
}
