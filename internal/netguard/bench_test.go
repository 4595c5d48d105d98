package netguard

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
)

func BenchmarkClassify(b *testing.B) {
	addrs := make([]netip.Addr, 0, len(addrCases))
	for _, c := range addrCases {
		addrs = append(addrs, netip.MustParseAddr(c.addr))
	}
	b.ResetTimer()
	for i := range b.N {
		_, _ = classify(addrs[i%len(addrs)])
	}
}

func BenchmarkCanonicalHost(b *testing.B) {
	hosts := []string{"www.googletagmanager.com", "connect.facebook.net", "r3---sn-4g5e6nzz.googlevideo.com", "0x7f.1", "bücher.example"}
	for i := range b.N {
		_, _, _ = CanonicalHost(hosts[i%len(hosts)])
	}
}

// BenchmarkProxyGet is one plain request through the proxy to an allowed
// loopback server, keep-alive on both sides.
func BenchmarkProxyGet(b *testing.B) {
	srv := newBenchServer(b)
	allow, err := ParseAllowed(srv.Listener.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	p, err := New(Config{Guard: Guard{Policy: Policy{Allow: []Allowed{allow}}}})
	if err != nil {
		b.Fatal(err)
	}
	if err := p.Start(context.Background()); err != nil {
		b.Fatal(err)
	}
	defer func() { _ = p.Stop(context.Background()) }()
	c := client(p, nil)
	b.ResetTimer()
	for range b.N {
		resp, err := c.Get(srv.URL + "/")
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
	}
}

func newBenchServer(b *testing.B) *httptest.Server {
	b.Helper()
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok") }))
	b.Cleanup(s.Close)
	return s
}
