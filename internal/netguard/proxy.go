package netguard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/netip"
	"sync"
	"time"

	"golang.org/x/net/netutil"
)

// Defaults of a proxy Config.
const (
	DefaultMaxConns       = 256
	DefaultMaxHeaderBytes = 64 << 10
	DefaultHeaderTimeout  = 10 * time.Second
	DefaultIdleTimeout    = 2 * time.Minute
	DefaultMaxEvents      = 1000
)

// Config configures a Proxy. The zero Config works: the zero Policy, the
// system resolver and the defaults above.
type Config struct {
	// Guard is the policy, resolver and timeouts every connection goes
	// through.
	Guard Guard
	// MaxConns bounds the client connections open at once (tunnels
	// included); more wait to be accepted.
	MaxConns int
	// MaxHeaderBytes bounds a request's header; HeaderTimeout bounds its
	// arrival.
	MaxHeaderBytes int
	HeaderTimeout  time.Duration
	// IdleTimeout closes a tunnel or kept-alive connection after this long
	// without traffic in either direction.
	IdleTimeout time.Duration
	// MaxEvents bounds the refusals kept for Refusals; later ones are
	// counted only.
	MaxEvents int
	// Logger receives refusals and errors; nil discards them.
	Logger *slog.Logger
	// MaxDials bounds the distinct (host, address) connections kept for
	// Dials; 0 means DefaultMaxDials.
	MaxDials int
	// OnRefuse, when set, is called with each refusal as it happens; it
	// must not block.
	OnRefuse func(Event)
}

// Event records one refused connection.
type Event struct {
	Time time.Time
	// Method is CONNECT for a tunnel (https, wss), else the HTTP method.
	Method string
	// Target is what the client asked for: host:port or the URL.
	Target string
	Host   string
	// Addr is the refused address; zero when the name was refused or did
	// not resolve.
	Addr   netip.Addr
	Reason Reason
	Detail string
}

// Proxy is a forward HTTP proxy on loopback that connects only where its
// Guard allows: CONNECT tunnels for https and wss, plain forwarding for
// http. Each connection resolves its host once, checks every address and
// dials a checked one, so neither redirects nor DNS rebinding reach a
// refused address.
type Proxy struct {
	cfg   Config
	guard Guard
	log   *slog.Logger
	ln    net.Listener
	srv   *http.Server
	fwd   *httputil.ReverseProxy
	wg    sync.WaitGroup
	// unhook detaches Start's context.
	unhook func() bool

	mu      sync.Mutex
	events  []Event
	dropped int
	tunnels map[net.Conn]struct{}
	stopped bool
	// dials are the connections made, by host:port and address.
	dials        map[dialKey]*Dial
	droppedDials int
}

// New returns a proxy for cfg, not yet listening.
func New(cfg Config) (*Proxy, error) {
	if err := cfg.Guard.Policy.Validate(); err != nil {
		return nil, err
	}
	if cfg.MaxConns < 0 || cfg.MaxHeaderBytes < 0 || cfg.MaxEvents < 0 || cfg.MaxDials < 0 {
		return nil, errors.New("netguard: negative proxy limit")
	}
	cfg.MaxConns = orDefaultInt(cfg.MaxConns, DefaultMaxConns)
	cfg.MaxHeaderBytes = orDefaultInt(cfg.MaxHeaderBytes, DefaultMaxHeaderBytes)
	cfg.MaxEvents = orDefaultInt(cfg.MaxEvents, DefaultMaxEvents)
	cfg.MaxDials = orDefaultInt(cfg.MaxDials, DefaultMaxDials)
	cfg.HeaderTimeout = orDefault(cfg.HeaderTimeout, DefaultHeaderTimeout)
	cfg.IdleTimeout = orDefault(cfg.IdleTimeout, DefaultIdleTimeout)
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Proxy{cfg: cfg, guard: cfg.Guard, log: log, tunnels: map[net.Conn]struct{}{},
		dials: map[dialKey]*Dial{}}, nil
}

func orDefaultInt(n, def int) int {
	if n == 0 {
		return def
	}
	return n
}

// Start listens on 127.0.0.1 on a free port and serves until Stop, or
// until ctx is cancelled, which abandons the connections in flight.
func (p *Proxy) Start(ctx context.Context) error {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("netguard: proxy listen: %w", err)
	}
	p.ln = ln
	self := netip.MustParseAddrPort(ln.Addr().String())
	p.guard.self = append(p.guard.self, self)
	p.fwd = p.forwarder()
	p.srv = &http.Server{
		Handler:           p,
		ReadHeaderTimeout: p.cfg.HeaderTimeout,
		IdleTimeout:       p.cfg.IdleTimeout,
		MaxHeaderBytes:    p.cfg.MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(p.log.Handler(), slog.LevelDebug),
		// Look-ups and dials in flight end with ctx.
		BaseContext: func(net.Listener) context.Context { return ctx },
	}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		_ = p.srv.Serve(netutil.LimitListener(ln, p.cfg.MaxConns))
	}()
	// Cancelling ctx abandons everything; Stop unhooks it.
	p.unhook = context.AfterFunc(ctx, p.closeAll)
	return nil
}

// Addr is the proxy's host:port once started, else "".
func (p *Proxy) Addr() string {
	if p.ln == nil {
		return ""
	}
	return p.ln.Addr().String()
}

// ChromeArgs are the Chromium flags, once started, that send all of its
// traffic through the proxy: loopback included (Chromium bypasses proxies
// for it unless told <-loopback>), and no WebRTC UDP that would go around
// it. Chrome itself reads that WebRTC policy only from the profile
// (webrtc.ip_handling_policy), which browser.Launch writes whenever its
// Args carry --proxy-server; the switch here serves headless shells.
func (p *Proxy) ChromeArgs() []string {
	return []string{
		"--proxy-server=http://" + p.Addr(),
		"--proxy-bypass-list=<-loopback>",
		"--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
	}
}

// Refusals returns the refusals recorded so far in the order they happened,
// and how many more were refused beyond Config.MaxEvents.
func (p *Proxy) Refusals() (events []Event, dropped int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Event(nil), p.events...), p.dropped
}

// Stop stops accepting, lets plain requests in flight finish until ctx
// ends, then closes the tunnels and every connection left.
func (p *Proxy) Stop(ctx context.Context) error {
	if p.srv == nil {
		return nil
	}
	p.unhook()
	err := p.srv.Shutdown(ctx)
	p.closeAll()
	p.wg.Wait()
	if err != nil {
		return fmt.Errorf("netguard: stop proxy: %w", err)
	}
	return nil
}

// closeAll closes the server and every tunnel at once.
func (p *Proxy) closeAll() {
	p.mu.Lock()
	p.stopped = true
	for c := range p.tunnels {
		_ = c.Close()
	}
	p.mu.Unlock()
	_ = p.srv.Close()
}

// ServeHTTP answers one proxy request.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodConnect {
		p.connect(w, r)
		return
	}
	if !r.URL.IsAbs() || r.URL.Scheme != "http" || r.URL.Host == "" {
		http.Error(w, "leakwatch netguard: a forward proxy: send absolute http:// URLs or CONNECT", http.StatusBadRequest)
		return
	}
	p.fwd.ServeHTTP(w, r)
}

// refuse answers err: 403 for a policy refusal, 504 for a timeout, 502
// for the rest; refusals are recorded.
func (p *Proxy) refuse(w http.ResponseWriter, r *http.Request, target string, err error) {
	status := http.StatusBadGateway
	var re *RefusedError
	switch {
	case errors.As(err, &re):
		status = http.StatusForbidden
		p.record(Event{Time: time.Now(), Method: r.Method, Target: target, Host: re.Host,
			Addr: re.Addr, Reason: re.Reason, Detail: re.Detail})
	case errors.Is(err, ErrRefused):
		status = http.StatusForbidden
		p.record(Event{Time: time.Now(), Method: r.Method, Target: target, Reason: InvalidHost, Detail: err.Error()})
	case errors.Is(err, context.DeadlineExceeded):
		status = http.StatusGatewayTimeout
	}
	if status != http.StatusForbidden {
		p.log.Debug("netguard: proxy error", "method", r.Method, "target", target, "err", err)
	}
	w.Header().Set("X-Leakwatch-Netguard", "refused")
	http.Error(w, "leakwatch netguard: "+err.Error(), status)
}

func (p *Proxy) record(e Event) {
	p.log.Info("netguard: refused", "method", e.Method, "target", e.Target, "host", e.Host,
		"addr", e.Addr, "reason", string(e.Reason), "detail", e.Detail)
	p.mu.Lock()
	if len(p.events) < p.cfg.MaxEvents {
		p.events = append(p.events, e)
	} else {
		p.dropped++
	}
	p.mu.Unlock()
	if p.cfg.OnRefuse != nil {
		p.cfg.OnRefuse(e)
	}
}

// forwarder proxies plain http requests, unchanged but for hop-by-hop
// headers, through a transport that dials only through the guard.
func (p *Proxy) forwarder() *httputil.ReverseProxy {
	t := p.guard.Transport()
	t.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, ap, err := p.guard.dialAddress(ctx, network, addr)
		if err == nil {
			p.recordDial(addr, ap)
		}
		return c, err
	}
	t.ForceAttemptHTTP2 = false
	t.DisableCompression = true
	t.ResponseHeaderTimeout = time.Minute
	t.MaxIdleConnsPerHost = 6
	t.MaxConnsPerHost = 32
	return &httputil.ReverseProxy{
		Rewrite:   func(*httputil.ProxyRequest) {},
		Transport: t,
		ErrorLog:  slog.NewLogLogger(p.log.Handler(), slog.LevelDebug),
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			p.refuse(w, r, r.URL.String(), err)
		},
	}
}
