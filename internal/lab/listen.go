package lab

import (
	"bufio"
	"errors"
	"net"
	"net/http"
	"sync"
	"time"
)

// sniffer accepts on one loopback port and hands each connection to the
// HTTPS server when it opens with a TLS handshake record (0x16), else to a
// plain-HTTP server that redirects to https, as a real site does. Chromium's
// MAP * rule sends port 80 traffic to the same port.
type sniffer struct {
	base       net.Listener
	tls, plain *chanListener
}

func newSniffer(base net.Listener) *sniffer {
	done := make(chan struct{})
	once := &sync.Once{}
	mk := func() *chanListener {
		return &chanListener{addr: base.Addr(), conns: make(chan net.Conn), done: done, once: once, base: base}
	}
	return &sniffer{base: base, tls: mk(), plain: mk()}
}

// run accepts until the base listener is closed.
func (s *sniffer) run() {
	for {
		c, err := s.base.Accept()
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			s.tls.Close()
			return
		}
		go s.route(c)
	}
}

func (s *sniffer) route(c net.Conn) {
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	br := bufio.NewReader(c)
	first, err := br.Peek(1)
	_ = c.SetReadDeadline(time.Time{})
	if err != nil {
		c.Close()
		return
	}
	to := s.plain
	if first[0] == 0x16 {
		to = s.tls
	}
	select {
	case to.conns <- &peekedConn{Conn: c, r: br}:
	case <-to.done:
		c.Close()
	}
}

// chanListener is a net.Listener fed by the sniffer. Closing either one
// closes the base listener and both.
type chanListener struct {
	addr  net.Addr
	conns chan net.Conn
	done  chan struct{}
	once  *sync.Once
	base  net.Listener
}

func (l *chanListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *chanListener) Close() error {
	l.once.Do(func() {
		close(l.done)
		_ = l.base.Close()
	})
	return nil
}

func (l *chanListener) Addr() net.Addr { return l.addr }

// peekedConn replays the bytes the sniffer peeked at.
type peekedConn struct {
	net.Conn
	r *bufio.Reader
}

func (c *peekedConn) Read(p []byte) (int, error) { return c.r.Read(p) }

// redirectToHTTPS answers plain HTTP for served hosts with a permanent
// redirect to the same URL over https.
func redirectToHTTPS(w http.ResponseWriter, r *http.Request) {
	host := hostOnly(r.Host)
	served := false
	for _, h := range Hosts() {
		if h == host {
			served = true
			break
		}
	}
	if !served {
		http.Error(w, "the leakwatch lab does not serve "+host, http.StatusMisdirectedRequest)
		return
	}
	http.Redirect(w, r, "https://"+host+r.URL.RequestURI(), http.StatusMovedPermanently)
}
