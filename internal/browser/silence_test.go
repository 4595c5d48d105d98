package browser_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/browser"
	"github.com/leakwatch/leakwatch/internal/browser/browsertest"
)

// catchAll accepts every connection the browser opens to a hostname other
// than localhost and notes its first line (an HTTP request line, or a TLS
// hello shown as such).
type catchAll struct {
	ln   net.Listener
	mu   sync.Mutex
	seen []string
}

func newCatchAll(t *testing.T) *catchAll {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c := &catchAll{ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go c.read(conn)
		}
	}()
	return c
}

func (c *catchAll) read(conn net.Conn) {
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(2 * time.Second))
	br := bufio.NewReader(io.LimitReader(conn, 65536))
	first, err := br.Peek(1)
	if err != nil {
		return
	}
	what := ""
	if first[0] == 0x16 { // a TLS ClientHello: note the server name it asks for
		srv := tls.Server(peeked{br, conn}, &tls.Config{
			GetConfigForClient: func(h *tls.ClientHelloInfo) (*tls.Config, error) {
				what = "TLS " + h.ServerName
				return nil, errors.New("catch-all: no certificate")
			}})
		_ = srv.Handshake()
	} else if req, err := http.ReadRequest(br); err == nil {
		what = req.Method + " http://" + req.Host + req.URL.RequestURI()

	}
	c.mu.Lock()
	c.seen = append(c.seen, what)
	c.mu.Unlock()
}

// peeked is a connection whose first bytes are read through a buffer.
type peeked struct {
	r io.Reader
	net.Conn
}

func (p peeked) Read(b []byte) (int, error) { return p.r.Read(b) }

func (c *catchAll) got() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.seen...)
}

// Chromium must send nothing of its own: with every hostname but localhost
// mapped to a catch-all listener, a browser idling on about:blank and on a
// plain local page opens no connection there.
func TestBrowserSendsNothingOfItsOwn(t *testing.T) {
	t.Parallel()
	env.Need(t)
	catch := newCatchAll(t)
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = io.WriteString(w, "<!doctype html><title>plain</title><p>Nothing here. <input type=email name=email>")
	}))
	defer page.Close()
	_, port, _ := net.SplitHostPort(page.Listener.Addr().String())
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	b := browsertest.Launch(t, ctx, browser.Options{Args: browsertest.MapArgs("*", catch.ln.Addr().String(), "")})
	tab, err := b.NewTab(ctx)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(3 * time.Second)
	if err := tab.Navigate(ctx, "http://localhost:"+port+"/"); err != nil {
		t.Fatal(err)
	}
	if err := tab.Type(ctx, "input", "erika@example.com"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(4 * time.Second)
	if got := catch.got(); len(got) > 0 {
		t.Errorf("Chromium opened %d connections of its own: %q", len(got), got)
	}
}
