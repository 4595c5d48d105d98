package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// events wakes the progress streams of a scan when it changes.
type events struct {
	mu     sync.Mutex
	subs   map[int64]map[chan struct{}]bool
	closed chan struct{}
	once   sync.Once
	// slots bounds the streams open at once: each holds a connection.
	slots chan struct{}
}

// maxStreams bounds the progress streams open at once.
const maxStreams = 256

func newEvents() *events {
	return &events{subs: map[int64]map[chan struct{}]bool{}, closed: make(chan struct{}),
		slots: make(chan struct{}, maxStreams)}
}

func (e *events) subscribe(id int64) (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.subs[id] == nil {
		e.subs[id] = map[chan struct{}]bool{}
	}
	e.subs[id][ch] = true
	return ch, func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		delete(e.subs[id], ch)
		if len(e.subs[id]) == 0 {
			delete(e.subs, id)
		}
	}
}

func (e *events) notify(id int64) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for ch := range e.subs[id] {
		select {
		case ch <- struct{}{}:
		default: // a wake-up is pending already
		}
	}
}

// close ends every stream (the server shuts down).
func (e *events) close() { e.once.Do(func() { close(e.closed) }) }

// heartbeat keeps idle streams (and proxies) from timing out.
const heartbeat = 15 * time.Second

// scanEvents streams a scan's states as server-sent events: an event
// "state" with the scan's JSON at once and at each change, until the
// scan ends (event "end"), the client leaves or the server stops.
func (s *Server) scanEvents(w http.ResponseWriter, r *http.Request) error {
	sc, err := s.scanParam(r)
	if err != nil {
		return err
	}
	select {
	case s.events.slots <- struct{}{}:
		defer func() { <-s.events.slots }()
	default:
		w.Header().Set("Retry-After", "5")
		return errorf(http.StatusServiceUnavailable, "too many progress streams open: poll GET /api/scans/%d instead", sc.ID)
	}
	wake, unsubscribe := s.events.subscribe(sc.ID)
	defer unsubscribe()
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	poll := time.NewTicker(s.cfg.PollInterval)
	defer poll.Stop()
	beat := time.NewTicker(heartbeat)
	defer beat.Stop()
	var last scanView
	for seq := 1; ; {
		if v := viewScan(sc); v.State != last.State || v.Attempt != last.Attempt || v.Error != last.Error {
			if err := sendEvent(w, rc, seq, "state", v); err != nil {
				return nil // the client left
			}
			seq, last = seq+1, v
		}
		if sc.State.Final() {
			_ = sendEvent(w, rc, seq, "end", map[string]any{"id": sc.ID, "state": sc.State})
			return nil
		}
		select {
		case <-r.Context().Done():
			return nil
		case <-s.events.closed:
			return nil
		case <-beat.C:
			if writeSSE(w, rc, ": keep-alive\n\n") != nil {
				return nil
			}
			continue
		case <-wake:
		case <-poll.C:
		}
		if sc, err = s.st.Scan(r.Context(), sc.ID); err != nil {
			_ = sendEvent(w, rc, seq, "error", map[string]string{"error": "scan unavailable"})
			return nil
		}
	}
}

func sendEvent(w http.ResponseWriter, rc *http.ResponseController, seq int, name string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return writeSSE(w, rc, fmt.Sprintf("id: %d\nevent: %s\ndata: %s\n\n", seq, name, data))
}

// writeSSE writes and flushes one frame, giving the write its own deadline
// (the server's WriteTimeout would end a long stream).
func writeSSE(w http.ResponseWriter, rc *http.ResponseController, frame string) error {
	_ = rc.SetWriteDeadline(time.Now().Add(30 * time.Second))
	if _, err := fmt.Fprint(w, frame); err != nil {
		return err
	}
	return rc.Flush()
}
