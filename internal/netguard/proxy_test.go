package netguard

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// target is a loopback test server that counts its hits.
type target struct {
	srv  *httptest.Server
	hits atomic.Int32
}

func newTarget(t *testing.T, tls bool, h http.HandlerFunc) *target {
	t.Helper()
	tg := &target{}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tg.hits.Add(1)
		if h != nil {
			h(w, r)
			return
		}
		fmt.Fprint(w, "hello from "+r.Host)
	})
	if tls {
		tg.srv = httptest.NewTLSServer(handler)
	} else {
		tg.srv = httptest.NewServer(handler)
	}
	t.Cleanup(tg.srv.Close)
	return tg
}

func (tg *target) port() string {
	return fmt.Sprint(netip.MustParseAddrPort(tg.srv.Listener.Addr().String()).Port())
}

func (tg *target) allow(t *testing.T) Allowed {
	t.Helper()
	a, err := ParseAllowed(tg.srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func startProxy(t *testing.T, cfg Config) *Proxy {
	t.Helper()
	p, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := p.Stop(ctx); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
	return p
}

// client sends everything through p, trusting tls's certificate if given.
func client(p *Proxy, tls *httptest.Server) *http.Client {
	tr := &http.Transport{Proxy: http.ProxyURL(&url.URL{Scheme: "http", Host: p.Addr()})}
	if tls != nil {
		tr.TLSClientConfig = tls.Client().Transport.(*http.Transport).TLSClientConfig
	}
	return &http.Client{Transport: tr, Timeout: 10 * time.Second}
}

func TestProxyHTTP(t *testing.T) {
	t.Parallel()
	secret := newTarget(t, false, nil)
	allowed := newTarget(t, false, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/redirect":
			http.Redirect(w, r, "http://127.0.0.1:"+secret.port()+"/secret", http.StatusFound)
		case "/redirect-name":
			http.Redirect(w, r, "http://private.example:"+secret.port()+"/secret", http.StatusFound)
		default:
			fmt.Fprint(w, "hello from "+r.Host)
		}
	})
	res := newResolver(map[string][][]string{
		"site.example":    {{"127.0.0.1"}},
		"private.example": {{"10.0.0.5"}},
	})
	p := startProxy(t, Config{Guard: Guard{Resolver: res, Policy: Policy{Allow: []Allowed{allowed.allow(t)}}}})
	c := client(p, nil)
	cases := []struct {
		url    string
		status int
		reason Reason
	}{
		{"http://site.example:" + allowed.port() + "/", 200, ""},
		{"http://127.0.0.1:" + allowed.port() + "/", 200, ""},
		{"http://127.0.0.1:" + secret.port() + "/", 403, Loopback},
		{"http://[::ffff:127.0.0.1]:" + secret.port() + "/", 403, Loopback},
		{"http://site.example:" + secret.port() + "/", 403, Loopback},
		{"http://private.example:" + secret.port() + "/", 403, Private},
		{"http://localhost:" + secret.port() + "/", 403, LocalName},
		{"http://169.254.169.254/latest/meta-data/", 403, Metadata},
		{"http://site.example:" + allowed.port() + "/redirect", 403, Loopback},
		{"http://site.example:" + allowed.port() + "/redirect-name", 403, Private},
		{"http://nxdomain.example/", 502, ""},
	}
	for _, tc := range cases {
		resp, err := c.Get(tc.url)
		if err != nil {
			t.Fatalf("GET %s: %v", tc.url, err)
		}
		body, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("GET %s: %d %s, want %d", tc.url, resp.StatusCode, body, tc.status)
		}
		if tc.reason != "" && !strings.Contains(string(body), string(tc.reason)) {
			t.Errorf("GET %s: body %q does not say %s", tc.url, body, tc.reason)
		}
	}
	if n := secret.hits.Load(); n != 0 {
		t.Errorf("the refused server was reached %d times", n)
	}
	dials, _ := p.Dials()
	if len(dials) != 2 || dials[0].Host != "127.0.0.1" || dials[1].Host != "site.example" ||
		dials[1].Addr.String() != "127.0.0.1:"+allowed.port() {
		t.Errorf("Dials() = %+v, want 127.0.0.1 and site.example, both at the allowed server", dials)
	}
	events, dropped := p.Refusals()
	if len(events) != 8 || dropped != 0 {
		t.Fatalf("%d refusals (%d dropped), want 8: %+v", len(events), dropped, events)
	}
	e := events[0]
	if e.Method != "GET" || e.Host != "127.0.0.1" || e.Addr != netip.MustParseAddr("127.0.0.1") || e.Reason != Loopback {
		t.Errorf("first refusal %+v", e)
	}
}

func TestProxyConnect(t *testing.T) {
	t.Parallel()
	secret := newTarget(t, true, nil)
	allowed := newTarget(t, true, nil)
	p := startProxy(t, Config{Guard: Guard{Policy: Policy{Allow: []Allowed{allowed.allow(t)}}}})
	resp, err := client(p, allowed.srv).Get(allowed.srv.URL + "/ok")
	if err != nil {
		t.Fatalf("allowed https through the tunnel: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(string(body), "hello") {
		t.Fatalf("allowed: %d %q", resp.StatusCode, body)
	}
	_, err = client(p, secret.srv).Get(secret.srv.URL + "/")
	if err == nil || !strings.Contains(err.Error(), "Forbidden") {
		t.Fatalf("refused https: got %v, want the proxy's 403", err)
	}
	if secret.hits.Load() != 0 {
		t.Fatal("the refused https server was reached")
	}
	events, _ := p.Refusals()
	if len(events) != 1 || events[0].Method != "CONNECT" || events[0].Reason != Loopback {
		t.Fatalf("refusals %+v", events)
	}
}

// connectStatus sends a raw CONNECT for target and returns the status
// line and the open connection.
func connectStatus(t *testing.T, p *Proxy, target string) (string, net.Conn, *bufio.Reader) {
	t.Helper()
	c, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(c, "CONNECT %s HTTP/1.1\r\nHost: %s\r\n\r\n", target, target)
	br := bufio.NewReader(c)
	line, err := br.ReadString('\n')
	if err != nil {
		t.Fatalf("CONNECT %s: %v", target, err)
	}
	return strings.TrimSpace(line), c, br
}

// TestProxyRebinding: a name resolving public, then loopback. The tunnel
// goes to the checked public address; the next one is refused.
func TestProxyRebinding(t *testing.T) {
	t.Parallel()
	res := newResolver(map[string][][]string{"rebind.example": {{"93.184.215.14"}, {"127.0.0.1"}}})
	dialled := make(chan string, 4)
	g := Guard{Resolver: res, dial: func(_ context.Context, _, addr string) (net.Conn, error) {
		dialled <- addr
		a, b := net.Pipe()
		go func() { _, _ = io.Copy(b, b) }() // an echo server
		return a, nil
	}}
	p := startProxy(t, Config{Guard: g})
	line, c, br := connectStatus(t, p, "rebind.example:443")
	if !strings.Contains(line, " 200 ") {
		t.Fatalf("first CONNECT: %q", line)
	}
	if got := <-dialled; got != "93.184.215.14:443" {
		t.Fatalf("dialled %s, want the checked address", got)
	}
	_, _ = br.ReadString('\n') // the blank line ending the response
	fmt.Fprint(c, "ping\n")
	if echo, err := br.ReadString('\n'); err != nil || echo != "ping\n" {
		t.Fatalf("tunnel echo %q, %v", echo, err)
	}
	line, _, _ = connectStatus(t, p, "rebind.example:443")
	if !strings.Contains(line, " 403 ") {
		t.Fatalf("second CONNECT after rebinding: %q, want 403", line)
	}
	if len(dialled) != 0 || res.count("rebind.example") != 2 {
		t.Fatalf("dialled %d more, %d look-ups", len(dialled), res.count("rebind.example"))
	}
	dials, dropped := p.Dials()
	want := []Dial{{Host: "rebind.example", Port: 443, Addr: netip.MustParseAddrPort("93.184.215.14:443"), Count: 1}}
	if !slices.Equal(dials, want) || dropped != 0 {
		t.Fatalf("Dials() = %+v, %d; want %+v", dials, dropped, want)
	}
}

func TestProxyRefusesBadRequests(t *testing.T) {
	t.Parallel()
	p := startProxy(t, Config{Guard: Guard{Policy: Policy{AllowPrivate: true}}, MaxHeaderBytes: 1 << 10})
	cases := []struct {
		name, req, status string
	}{
		{"origin-form request", "GET / HTTP/1.1\r\nHost: x\r\n\r\n", " 400 "},
		{"itself", "GET http://" + p.Addr() + "/ HTTP/1.1\r\nHost: " + p.Addr() + "\r\n\r\n", " 403 "},
		{"itself by CONNECT", "CONNECT " + p.Addr() + " HTTP/1.1\r\nHost: " + p.Addr() + "\r\n\r\n", " 403 "},
		{"itself on 0.0.0.0", "CONNECT 0.0.0.0:" + p.Addr()[strings.LastIndex(p.Addr(), ":")+1:] + " HTTP/1.1\r\nHost: x\r\n\r\n", " 403 "},
		{"CONNECT without port", "CONNECT example.com HTTP/1.1\r\nHost: example.com\r\n\r\n", " 403 "},
		{"metadata despite AllowPrivate", "CONNECT 169.254.169.254:80 HTTP/1.1\r\nHost: x\r\n\r\n", " 403 "},
		{"huge header", "GET http://example.com/ HTTP/1.1\r\nHost: example.com\r\nX: " + strings.Repeat("a", 8<<10) + "\r\n\r\n", " 431 "},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := net.Dial("tcp", p.Addr())
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			_ = c.SetDeadline(time.Now().Add(10 * time.Second))
			_, _ = io.WriteString(c, tc.req)
			line, err := bufio.NewReader(c).ReadString('\n')
			if err != nil || !strings.Contains(line, tc.status) {
				t.Fatalf("%q, %v; want%s", line, err, tc.status)
			}
		})
	}
}

func TestProxyStopClosesTunnels(t *testing.T) {
	t.Parallel()
	allowed := newTarget(t, true, nil)
	p, err := New(Config{Guard: Guard{Policy: Policy{Allow: []Allowed{allowed.allow(t)}}}, MaxEvents: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	line, c, br := connectStatus(t, p, allowed.srv.Listener.Addr().String())
	if !strings.Contains(line, " 200 ") {
		t.Fatalf("CONNECT: %q", line)
	}
	for range 2 {
		if l, _, _ := connectStatus(t, p, "127.0.0.1:1"); !strings.Contains(l, " 403 ") {
			t.Fatalf("refused CONNECT: %q", l)
		}
	}
	if events, dropped := p.Refusals(); len(events) != 1 || dropped != 1 {
		t.Fatalf("%d events, %d dropped; want 1 and 1", len(events), dropped)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start := time.Now()
	if err := p.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, _ = br.ReadString('\n')
	if _, err := br.ReadByte(); err == nil || time.Since(start) > 4*time.Second {
		t.Fatalf("tunnel still open after Stop: %v after %s", err, time.Since(start))
	}
}

func TestProxyContextCancel(t *testing.T) {
	t.Parallel()
	p, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := p.Start(ctx); err != nil {
		t.Fatal(err)
	}
	cancel()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", p.Addr(), time.Second)
		if err != nil {
			break
		}
		_ = c.Close()
		time.Sleep(10 * time.Millisecond)
	}
	if c, err := net.DialTimeout("tcp", p.Addr(), time.Second); err == nil {
		_ = c.Close()
		t.Fatal("proxy still listening after its context was cancelled")
	}
	if err := p.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestProxyLimits(t *testing.T) {
	t.Parallel()
	t.Run("connections", func(t *testing.T) {
		t.Parallel()
		p := startProxy(t, Config{MaxConns: 1})
		first, err := net.Dial("tcp", p.Addr())
		if err != nil {
			t.Fatal(err)
		}
		second, err := net.Dial("tcp", p.Addr())
		if err != nil {
			t.Fatal(err)
		}
		defer second.Close()
		fmt.Fprint(second, "CONNECT 127.0.0.1:1 HTTP/1.1\r\nHost: x\r\n\r\n")
		br := bufio.NewReader(second)
		_ = second.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
		if line, err := br.ReadString('\n'); err == nil {
			t.Fatalf("second connection served while the first is open: %q", line)
		}
		_ = first.Close()
		_ = second.SetReadDeadline(time.Now().Add(5 * time.Second))
		if line, err := br.ReadString('\n'); err != nil || !strings.Contains(line, " 403 ") {
			t.Fatalf("second connection after the first closed: %q, %v", line, err)
		}
	})
	t.Run("header timeout", func(t *testing.T) {
		t.Parallel()
		p := startProxy(t, Config{HeaderTimeout: 200 * time.Millisecond})
		c, err := net.Dial("tcp", p.Addr())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		fmt.Fprint(c, "CONNECT example.com:443 HTTP/1.1\r\n") // and never the end
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		start := time.Now()
		_, _ = io.ReadAll(c)
		if d := time.Since(start); d > 3*time.Second {
			t.Fatalf("a slow header held the connection %s", d)
		}
	})
}

// TestProxyTunnelIdle: a tunnel quiet both ways closes after IdleTimeout;
// one that only the server talks on stays open.
func TestProxyTunnelIdle(t *testing.T) {
	t.Parallel()
	res := newResolver(map[string][][]string{"quiet.example": {{"93.184.215.14"}}, "talker.example": {{"93.184.215.15"}}})
	g := Guard{Resolver: res, dial: func(_ context.Context, _, addr string) (net.Conn, error) {
		a, b := net.Pipe()
		if strings.HasPrefix(addr, "93.184.215.15") {
			go func() { // the server pushes a byte every 50ms for a second
				defer b.Close()
				for range 20 {
					time.Sleep(50 * time.Millisecond)
					if _, err := b.Write([]byte{'.'}); err != nil {
						return
					}
				}
			}()
		}
		return a, nil
	}}
	p := startProxy(t, Config{Guard: g, IdleTimeout: 200 * time.Millisecond})

	_, quiet, qr := connectStatus(t, p, "quiet.example:443")
	_, talker, tr := connectStatus(t, p, "talker.example:443")
	_, _ = qr.ReadString('\n')
	_, _ = tr.ReadString('\n')
	start := time.Now()
	_ = quiet.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := qr.ReadByte(); err == nil || time.Since(start) > 2*time.Second {
		t.Fatalf("quiet tunnel: %v after %s, want closed after about 200ms", err, time.Since(start))
	}
	_ = talker.SetReadDeadline(time.Now().Add(5 * time.Second))
	got := 0
	for {
		if _, err := tr.ReadByte(); err != nil {
			break
		}
		got++
	}
	if got != 20 {
		t.Fatalf("talking tunnel carried %d bytes, want 20: closed while one side talked", got)
	}
}
