package lab

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"sort"
	"sync"
	"time"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// Options configure Start. The zero value works.
type Options struct {
	// Addr is the loopback address to listen on; default "127.0.0.1:0"
	// (a random port). A non-loopback address is refused.
	Addr string
	// Logger receives one debug line per request; nil discards.
	Logger *slog.Logger
}

// Validate reports what is wrong with the options.
func (o Options) Validate() error {
	if o.Addr == "" {
		return nil
	}
	host, _, err := net.SplitHostPort(o.Addr)
	if err != nil {
		return fmt.Errorf("lab: address %q: %w", o.Addr, err)
	}
	ip := net.ParseIP(host)
	if host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("lab: address %q is not a loopback address; the lab serves only 127.0.0.1 or ::1", o.Addr)
	}
	return nil
}

// Site is a running lab: one HTTPS server answering for the demo site and
// every vendor host by the Host header.
type Site struct {
	// URL is the start page, https://www.parcelpost.test/ (no port: Chromium
	// reaches it through ChromeArgs).
	URL string

	addr   *net.TCPAddr
	srv    *http.Server
	plain  *http.Server // redirects plain HTTP on the same port to https
	cert   *labCert
	site   *siteApp
	rec    *recorder
	log    *slog.Logger
	served chan error

	closeOnce sync.Once
	closeErr  error
	done      chan struct{}
}

// Start listens on opts.Addr and serves the lab until Close is called or ctx
// is cancelled.
func Start(ctx context.Context, opts Options) (*Site, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	addr := opts.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s, err := newSite(logger)
	if err != nil {
		return nil, err
	}
	if err := s.serve(ctx, addr, s.handler(), redirectToHTTPS); err != nil {
		return nil, err
	}
	return s, nil
}

// serve listens on addr and serves handler over HTTPS and redirect over
// plain HTTP on the same port, until Close is called or ctx is cancelled.
func (s *Site) serve(ctx context.Context, addr string, handler http.Handler, redirect http.HandlerFunc) error {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("lab: listen on %s: %w", addr, err)
	}
	s.addr = ln.Addr().(*net.TCPAddr)
	quiet := log.New(io.Discard, "", 0)
	s.srv = &http.Server{
		Handler:           handler,
		TLSConfig:         &tls.Config{Certificates: []tls.Certificate{s.cert.tls}, MinVersion: tls.VersionTLS12},
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          quiet,
	}
	s.plain = &http.Server{Handler: redirect, ReadHeaderTimeout: 10 * time.Second, ErrorLog: quiet}
	sn := newSniffer(ln)
	go sn.run()
	go func() { _ = s.plain.Serve(sn.plain) }()
	go func() { s.served <- s.srv.ServeTLS(sn.tls, "", "") }()
	go func() {
		select {
		case <-ctx.Done():
			_ = s.Close()
		case <-s.done:
		}
	}()
	return nil
}

// newSite builds everything but the listener: certificate, pages, recorder.
func newSite(logger *slog.Logger) (*Site, error) {
	cert, err := newLabCert(Hosts(), time.Now())
	if err != nil {
		return nil, err
	}
	app, err := newSiteApp()
	if err != nil {
		return nil, err
	}
	return &Site{
		URL:    "https://" + SiteHost + "/",
		cert:   cert,
		site:   app,
		rec:    &recorder{},
		log:    logger,
		served: make(chan error, 1),
		done:   make(chan struct{}),
	}, nil
}

// Addr is the address the lab listens on, e.g. "127.0.0.1:41234".
func (s *Site) Addr() string { return s.addr.String() }

// ChromeArgs are the Chromium flags that send every hostname to the lab and
// accept its certificate (Chromium honours the SPKI list only together with
// --user-data-dir).
func (s *Site) ChromeArgs() []string {
	return []string{
		"--host-resolver-rules=" + s.HostResolverRules(),
		"--ignore-certificate-errors-spki-list=" + s.cert.spki,
	}
}

// HostResolverRules maps every hostname but localhost to the lab's port, so
// no request of the browser can reach another address.
func (s *Site) HostResolverRules() string {
	return fmt.Sprintf("MAP * %s, EXCLUDE localhost", s.addr.String())
}

// SPKIHash is the base64 SHA-256 of the certificate's SubjectPublicKeyInfo.
func (s *Site) SPKIHash() string { return s.cert.spki }

// Client returns an HTTP client that dials every host at the lab and trusts
// its certificate, for tests and tools that are not Chromium. It does not
// follow redirects and keeps no cookies unless the caller adds a jar.
func (s *Site) Client() *http.Client {
	dial := &net.Dialer{Timeout: 5 * time.Second}
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return dial.DialContext(ctx, network, s.addr.String())
		},
		TLSClientConfig:   &tls.Config{RootCAs: s.cert.pool, MinVersion: tls.VersionTLS12},
		ForceAttemptHTTP2: true,
	}
	return &http.Client{
		Transport:     tr,
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// Hits returns what the vendors' collectors received, in arrival order, with
// the lab's answers: every request to a vendor host except tag script
// downloads and CORS preflights. Index is the position in this list.
func (s *Site) Hits() []traffic.Request { return s.rec.all() }

// Capture returns the collectors' view as a capture, for analysing what the
// vendors received without a browser in between. It has no pages: the
// server cannot tell which page a hit came from.
func (s *Site) Capture() *traffic.Capture {
	hits := s.rec.all()
	c := &traffic.Capture{Source: "leakwatch lab collectors at " + s.Addr(), Creator: "leakwatch lab"}
	for i := range hits {
		c.Requests = append(c.Requests, &hits[i])
	}
	if n := s.rec.droppedCount(); n > 0 {
		c.Warnings = append(c.Warnings, fmt.Sprintf("the lab kept the first %d hits and dropped %d", maxHits, n))
	}
	return c
}

// Secrets returns values that must never appear in a saved report: the demo
// password and every session cookie value issued so far.
func (s *Site) Secrets() []string {
	out := []string{demoAccount.Password}
	out = append(out, s.site.sessions.values()...)
	return out
}

// Close shuts the server down, waiting up to 5 seconds for requests in
// flight. It is safe to call more than once.
func (s *Site) Close() error {
	s.closeOnce.Do(func() {
		close(s.done)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err := s.srv.Shutdown(ctx)
		if perr := s.plain.Shutdown(ctx); err == nil {
			err = perr
		}
		if serveErr := <-s.served; serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) && err == nil {
			err = serveErr
		}
		if err != nil {
			s.closeErr = fmt.Errorf("lab: shut down: %w", err)
		}
	})
	return s.closeErr
}

// Hosts returns every hostname the lab serves, sorted.
func Hosts() []string {
	set := map[string]bool{SiteHost: true, SiteApex: true}
	for _, v := range vendors {
		for _, h := range v.hosts() {
			set[h] = true
		}
	}
	out := make([]string, 0, len(set))
	for h := range set {
		out = append(out, h)
	}
	sort.Strings(out)
	return out
}
