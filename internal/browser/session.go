package browser

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// session is one attached DevTools session: a page, iframe or worker target.
type session struct {
	id       string
	targetID string
	kind     string // CDP target type: page, iframe, worker, shared_worker, service_worker...
	url      string
	clock    float64 // wall time minus monotonic timestamp, once known
	opener   string  // targetID of the page that opened a popup
	parent   *session
	root     *session // top-level page session; nil for service and shared workers
	bc       *Context
	ready    chan struct{} // closed once Network is enabled and the target runs

	// Root-only state, guarded by Browser.mu.
	page   *traffic.Page
	frames map[string]string // frame ID -> URL
	// inflight holds the requests of the page in flight, by session and
	// request ID: 0 while waiting for the response, then the unix nanos of
	// its last event (response headers or data).
	inflight map[string]int64
	activity int64 // unix nanos of the last network event
	loads    int
	crashed  bool
	dialogs  int
	gone     bool
	leaving  bool          // Browser.leave is taking the page away
	wake     chan struct{} // closed and replaced on every state change
	tab      *Tab
}

func newSession(id string, info targetInfo, parent *session, bc *Context) *session {
	s := &session{id: id, targetID: info.TargetID, kind: info.Type, url: info.URL, opener: info.OpenerID,
		parent: parent, bc: bc, ready: make(chan struct{}), frames: map[string]string{},
		inflight: map[string]int64{}, wake: make(chan struct{})}
	switch {
	case info.Type == "page":
		s.root = s
	case parent != nil:
		s.root = parent.root
	}
	return s
}

// notify wakes goroutines waiting on s; the caller holds Browser.mu.
func (s *session) notify() {
	close(s.wake)
	s.wake = make(chan struct{})
}

// call sends one DevTools command and decodes its result into res (if not nil).
func (b *Browser) call(ctx context.Context, sessionID, method string, params, res any) error {
	if b.conn == nil {
		return errClosed
	}
	raw, err := b.conn.Call(ctx, sessionID, method, params)
	if err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	if res == nil || len(raw) == 0 {
		return nil
	}
	if err := json.Unmarshal(raw, res); err != nil {
		return fmt.Errorf("%s: decode result: %w", method, err)
	}
	return nil
}

// eventLoop reads every event of the connection. It never calls Chromium
// itself: answers arrive on the same reader as events, so handlers that need
// a command start a goroutine.
func (b *Browser) eventLoop() {
	defer close(b.loop)
	for ev := range b.conn.Events() {
		b.handle(ev)
		b.dispatch(ev)
	}
	b.mu.Lock()
	b.dead = true
	for _, s := range b.sessions {
		s.gone = true
		s.notify()
	}
	b.mu.Unlock()
}

func (b *Browser) handle(ev *event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch ev.Method {
	case "Target.attachedToTarget":
		b.onAttached(ev)
		return
	case "Target.detachedFromTarget":
		var p struct {
			SessionID string `json:"sessionId"`
		}
		if b.decode("onDetached", ev.Params, &p) {
			if s := b.sessions[p.SessionID]; s != nil {
				s.gone = true
				s.notify()
				delete(b.sessions, p.SessionID)
			}
		}
		return
	}
	s := b.sessions[ev.SessionID]
	if s == nil || s.bc == nil {
		return
	}
	if h := handlers[ev.Method]; h != nil {
		h(s.bc, s, ev.Params)
	}
}

type targetInfo struct {
	TargetID         string `json:"targetId"`
	Type             string `json:"type"`
	URL              string `json:"url"`
	OpenerID         string `json:"openerId"`
	BrowserContextID string `json:"browserContextId"`
}

// onAttached registers a new session and starts its set-up; the caller holds b.mu.
func (b *Browser) onAttached(ev *event) {
	var p struct {
		SessionID  string     `json:"sessionId"`
		TargetInfo targetInfo `json:"targetInfo"`
	}
	if !b.decode("onAttached", ev.Params, &p) {
		return
	}
	parent := b.sessions[ev.SessionID]
	bc := b.contexts[p.TargetInfo.BrowserContextID]
	if parent != nil {
		bc = parent.bc
	}
	if !recorded[p.TargetInfo.Type] {
		bc = nil // browser UI and other internals: let them run unrecorded
	}
	for _, o := range b.sessions {
		if o.targetID == p.TargetInfo.TargetID && o.bc != nil && !o.gone {
			// A worker attached twice (by the browser and by its page) is
			// recorded once, on the page's side when there is one.
			bc = nil
			if o.root == nil && parent != nil {
				o.parent, o.root = parent, parent.root
			}
		}
	}
	s := newSession(p.SessionID, p.TargetInfo, parent, bc)
	if s.kind == "page" && s.opener != "" {
		// A popup belongs to the tab that opened it.
		for _, o := range b.sessions {
			if o.targetID == s.opener && o.root != nil && o.root.tab != nil {
				s.tab = o.root.tab
			}
		}
	}
	b.sessions[p.SessionID] = s
	go b.setup(s)
}

// setup enables what is recorded in a new target, makes it auto-attach its
// own children, and lets it run. The enabling commands are sent without
// waiting for their answers: a paused worker answers Network.enable only once
// it runs, and the target handles a session's commands in the order sent.
func (b *Browser) setup(s *session) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if s.bc != nil {
		if s.kind == "page" || s.kind == "iframe" {
			b.send(s.id, "Page.enable", nil)
			b.send(s.id, "Inspector.enable", nil)
			b.send(s.id, "Runtime.enable", nil)
			b.send(s.id, "Runtime.addBinding", map[string]any{"name": b.binding})
			src, _ := invocation(script("blobs"), b.binding)
			b.send(s.id, "Page.addScriptToEvaluateOnNewDocument", map[string]any{"source": src, "runImmediately": true})
		}
		b.send(s.id, "Network.enable", map[string]any{
			"maxTotalBufferSize": 64 << 20, "maxResourceBufferSize": 16 << 20,
			// Bodies come with requestWillBeSent, so a beacon sent as its
			// page goes away needs no getRequestPostData afterwards.
			"maxPostDataSize": maxPostData})
		b.send(s.id, "Target.setAutoAttach", autoAttach)
		b.setupOptOut(s)
	}
	_ = b.call(ctx, s.id, "Runtime.runIfWaitingForDebugger", nil, nil)
	close(s.ready)
	b.mu.Lock()
	w := b.waiters[s.targetID]
	b.mu.Unlock()
	if w != nil && s.kind == "page" {
		select {
		case w <- s:
		default:
		}
	}
}

// maxPostData is the largest request body Chromium includes in its request
// events; larger ones are read with Network.getRequestPostData.
const maxPostData = 16 << 20

// send sends a command without waiting for its answer.
func (b *Browser) send(sessionID, method string, params any) {
	if b.conn != nil {
		_ = b.conn.Notify(sessionID, method, params)
	}
}

// recorded are the target types whose traffic is recorded.
var recorded = map[string]bool{"page": true, "iframe": true, "worker": true,
	"shared_worker": true, "service_worker": true}

var autoAttach = map[string]any{"autoAttach": true, "waitForDebuggerOnStart": true, "flatten": true}

// initBrowser auto-attaches to every target and refuses downloads.
func (b *Browser) initBrowser(ctx context.Context) error {
	var res struct {
		Default string `json:"defaultBrowserContextId"`
	}
	if err := b.call(ctx, "", "Target.getBrowserContexts", nil, &res); err != nil {
		return fmt.Errorf("chromium: %w", err)
	}
	b.mu.Lock()
	b.def = newContext(b, res.Default, true)
	b.contexts[res.Default] = b.def
	b.mu.Unlock()
	var ver struct {
		Product string `json:"product"`
	}
	if err := b.call(ctx, "", "Browser.getVersion", nil, &ver); err != nil {
		return fmt.Errorf("chromium: %w", err)
	}
	b.version = ver.Product
	if err := b.call(ctx, "", "Browser.setDownloadBehavior", map[string]any{"behavior": "deny"}, nil); err != nil {
		return fmt.Errorf("chromium: %w", err)
	}
	if err := b.call(ctx, "", "Target.setAutoAttach", autoAttach, nil); err != nil {
		return fmt.Errorf("chromium: %w", err)
	}
	return nil
}

// sessionCall calls a command for s that gives up when s dies (its target
// detached or its page crashed), so no read waits on a dead renderer.
func (b *Browser) sessionCall(s *session, method string, params, res any) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	go func() {
		for {
			b.mu.Lock()
			dead := s.gone || s.root != nil && (s.root.crashed || s.root.gone)
			wake, rootWake := s.wake, s.wake
			if s.root != nil {
				rootWake = s.root.wake
			}
			b.mu.Unlock()
			if dead {
				cancel()
				return
			}
			select {
			case <-wake:
			case <-rootWake:
			case <-ctx.Done():
				return
			}
		}
	}()
	return b.call(ctx, s.id, method, params, res)
}
