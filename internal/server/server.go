package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"golang.org/x/net/netutil"

	"github.com/leakwatch/leakwatch/internal/store"
)

// Server is the HTTP API and web UI over a store and a queue.
type Server struct {
	cfg      Config
	st       store.Store
	queue    Queue
	inline   *InlineQueue // the default queue, nil when one was given
	sessions *sessions
	limits   *limiters
	metrics  *metrics
	events   *events
	csrf     *http.CrossOriginProtection
	handler  http.Handler

	// notifying tracks the inline queue's notifications in flight;
	// stopNotify ends them when Stop's context does.
	notifying  sync.WaitGroup
	notifyCtx  context.Context
	stopNotify context.CancelFunc
}

// New builds a Server. Call Start to resume stored scans on the default
// queue, and Stop when done.
func New(cfg Config) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	s := &Server{cfg: cfg, st: cfg.Store, sessions: newSessions(cfg.Store, cfg.SessionTTL, cfg.Now),
		limits: newLimiters(cfg.RateLimit, cfg.RateBurst, cfg.Now), events: newEvents(),
		csrf: http.NewCrossOriginProtection()}
	s.metrics = newMetrics(s)
	s.notifyCtx, s.stopNotify = context.WithCancel(context.Background())
	s.queue = cfg.Queue
	if s.queue == nil {
		s.inline = NewInlineQueue(cfg.Store, cfg.Scan, InlineOptions{Sessions: cfg.MaxSessions,
			Logger: cfg.Logger, OnChange: s.inlineChanged})
		s.queue = s.inline
	}
	mux := http.NewServeMux()
	allowed := map[string][]string{}
	var paths []string
	for _, rt := range routes() {
		mux.Handle(rt.pattern(), s.wrap(rt))
		if allowed[rt.path] == nil {
			paths = append(paths, rt.path)
		}
		allowed[rt.path] = append(allowed[rt.path], rt.method)
	}
	for _, p := range paths { // a known path with another method: 405
		mux.Handle(p, s.wrap(route{name: "method_not_allowed", handle: methodNotAllowed(allowed[p])}))
	}
	mux.Handle("/", s.wrap(route{name: "unmatched", handle: (*Server).notFound}))
	s.handler = s.securityHeaders(mux)
	return s, nil
}

// Handler is the server's http.Handler.
func (s *Server) Handler() http.Handler { return s.handler }

// ScanChanged tells the server a scan entered state (a queue in this
// process calls it): progress streams update at once instead of at their
// next poll, and the state's transition is counted in the metrics.
func (s *Server) ScanChanged(scanID int64, state store.State) { s.scanChanged(scanID, state) }

func (s *Server) scanChanged(scanID int64, state store.State) {
	if state != "" {
		s.metrics.scanState(state)
	}
	if state == store.Done {
		if sc, err := s.st.Scan(context.Background(), scanID); err == nil && !sc.Started.IsZero() {
			s.metrics.scanDone(sc.Finished.Sub(sc.Started))
		}
	}
	s.events.notify(scanID)
}

// Start resumes the queued and running scans the store holds on the
// default inline queue (after a restart), and the notifications a stop or
// a crash interrupted; with another queue it does nothing, that queue
// keeps its own jobs.
func (s *Server) Start(ctx context.Context) error {
	if s.inline == nil {
		return nil
	}
	if err := s.resumeNotifications(ctx); err != nil {
		return err
	}
	return s.inline.Resume(ctx)
}

// Stop ends the default queue: it lets running scans finish until ctx
// ends, then cancels them (they are resumed on the next Start).
func (s *Server) Stop(ctx context.Context) error {
	if s.inline == nil {
		return nil
	}
	err := s.inline.Stop(ctx)
	done := make(chan struct{})
	go func() { s.notifying.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		s.stopNotify()
		<-done
	}
	return err
}

// HTTPServer returns an http.Server for h with the timeouts a public
// service needs. Progress streams extend their own write deadline.
func HTTPServer(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
}

// MaxConnections bounds the connections Serve holds open at once; more
// wait in the listen queue.
const MaxConnections = 1024

// Serve serves on ln until ctx ends, then shuts down gracefully: it stops
// accepting, lets requests in flight finish for up to drain, then stops
// the queue the same way. Connections still open when drain ends are
// closed; that is an error only if a request was still being served on
// one (a client's idle or preconnected socket is not).
func (s *Server) Serve(ctx context.Context, ln net.Listener, drain time.Duration) error {
	ln = netutil.LimitListener(ln, MaxConnections)
	hs := HTTPServer(ln.Addr().String(), s.handler)
	hs.BaseContext = func(net.Listener) context.Context { return context.WithoutCancel(ctx) }
	var conns connStates
	hs.ConnState = conns.set
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	s.events.close() // progress streams end so the drain does not wait on them
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), drain)
	defer cancel()
	var err error
	if serr := hs.Shutdown(sctx); serr != nil {
		// Drain is over: what is left is closed. A request still being
		// served is lost; a connection that never sent one is not.
		active := conns.active()
		_ = hs.Close()
		if active > 0 {
			err = fmt.Errorf("cut off %d request(s) still in flight after the drain of %s", active, drain)
		}
	}
	if serr := <-done; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	err = errors.Join(err, s.Stop(sctx))
	if err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	return nil
}

// connStates follows the server's connections, so that the end of a
// drain can tell requests in flight from idle sockets.
type connStates struct {
	mu sync.Mutex
	m  map[net.Conn]http.ConnState
}

func (c *connStates) set(conn net.Conn, st http.ConnState) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st == http.StateClosed || st == http.StateHijacked {
		delete(c.m, conn)
		return
	}
	if c.m == nil {
		c.m = map[net.Conn]http.ConnState{}
	}
	c.m[conn] = st
}

// active counts the connections serving a request.
func (c *connStates) active() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, st := range c.m {
		if st == http.StateActive {
			n++
		}
	}
	return n
}
