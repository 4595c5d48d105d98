package netguard_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/browser"
	"github.com/leakwatch/leakwatch/internal/browser/browsertest"
	"github.com/leakwatch/leakwatch/internal/netguard"
)

// pageHTML is the allowed page: it reaches for the refused server in every
// way a page can (fetch, image, WebSocket, frame) and for its own origin.
const pageHTML = `<!doctype html><title>allowed</title>
<img src="http://127.0.0.1:%[1]s/img">
<iframe src="https://127.0.0.1:%[2]s/frame"></iframe>
<script>
const tries = [
  fetch("/own").then(r => "own:" + r.status, () => "own:error"),
  fetch("http://127.0.0.1:%[1]s/fetch", {mode: "no-cors"}).then(r => "secret:" + r.status, () => "secret:error"),
  fetch("http://localhost:%[1]s/fetch").then(r => "localhost:" + r.status, () => "localhost:error"),
  new Promise(done => {
    const ws = new WebSocket("ws://127.0.0.1:%[1]s/ws");
    ws.onopen = () => done("ws:open");
    ws.onerror = () => done("ws:error");
  }),
];
// UDP, around any HTTP proxy: WebRTC's STUN and WebTransport (QUIC).
try {
  const pc = new RTCPeerConnection({iceServers: [{urls: "stun:127.0.0.1:%[3]s"}]});
  pc.createDataChannel("x");
  pc.createOffer().then(o => pc.setLocalDescription(o));
} catch (e) {}
try { new WebTransport("https://127.0.0.1:%[3]s/wt").ready.catch(() => {}); } catch (e) {}
window.results = Promise.all(tries);
</script>`

// site is the Chromium test's servers: a secret one on HTTP and HTTPS and
// a UDP port, none of which Chromium may reach, and an allowed one.
type site struct {
	secret, secretTLS, allowed *httptest.Server
	sp, stp, up                string // their ports
	hits, packets              atomic.Int32
}

func newSite(t *testing.T) *site {
	t.Helper()
	s := &site{}
	count := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		s.hits.Add(1)
		fmt.Fprint(w, "secret")
	})
	s.secret, s.secretTLS = httptest.NewServer(count), httptest.NewTLSServer(count)
	t.Cleanup(s.secret.Close)
	t.Cleanup(s.secretTLS.Close)
	udp, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = udp.Close() })
	go countPackets(udp, &s.packets)
	s.sp, s.stp, s.up = port(s.secret), port(s.secretTLS), port2(udp.LocalAddr().String())

	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintf(w, pageHTML, s.sp, s.stp, s.up) })
	mux.HandleFunc("/own", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "own") })
	mux.HandleFunc("/redirect", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://127.0.0.1:"+s.sp+"/redirected", http.StatusFound)
	})
	s.allowed = httptest.NewServer(mux)
	t.Cleanup(s.allowed.Close)
	return s
}

// names resolves every name to loopback, as a hostile DNS would.
type names struct{}

func (names) LookupNetIP(context.Context, string, string) ([]netip.Addr, error) {
	return []netip.Addr{netip.MustParseAddr("127.0.0.1")}, nil
}

// TestChromiumThroughProxy proves a real Chromium pointed at the proxy
// cannot reach a loopback server, directly, by a name resolving to it,
// from a page (fetch, image, frame, WebSocket, WebRTC, WebTransport) or
// through a redirect, while a loopback server on the allow-list loads.
func TestChromiumThroughProxy(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	entry, err := netguard.ParseAllowed(s.allowed.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	p, err := netguard.New(netguard.Config{Guard: netguard.Guard{Resolver: names{},
		Policy: netguard.Policy{Allow: []netguard.Allowed{entry}}}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := p.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = p.Stop(context.Background()) }()

	b := browsertest.Launch(t, ctx, browser.Options{Args: p.ChromeArgs()})
	tab, err := b.NewTab(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tab.Close()
	for _, u := range []string{
		"http://127.0.0.1:" + s.sp + "/direct",     // the proxy answers 403 itself
		"https://127.0.0.1:" + s.stp + "/direct",   // CONNECT refused: a navigation error
		"http://intranet.example:" + s.sp + "/dns", // a name resolving to loopback
		s.allowed.URL + "/redirect",                // an allowed page redirecting
	} {
		_ = tab.Navigate(ctx, u)
	}
	if err := tab.Navigate(ctx, "http://public.example:"+port(s.allowed)+"/"); err != nil {
		t.Fatalf("the allowed page did not load: %v", err)
	}
	results := pageResults(t, ctx, tab)
	if n := s.hits.Load(); n != 0 {
		t.Errorf("Chromium reached the refused servers %d times", n)
	}
	if n := s.packets.Load(); n != 0 {
		t.Errorf("Chromium sent %d UDP packets to loopback around the proxy", n)
	}
	if got := strings.Join(results, " "); !browsertest.ContainsAll(got, "own:200", "localhost:error", "ws:error") {
		t.Errorf("page results %q: want own:200, localhost:error and ws:error", got)
	}
	checkRefusals(t, p, s.sp, s.stp)
}

// pageResults waits for the page's tries and the network to settle.
func pageResults(t *testing.T, ctx context.Context, tab *browser.Tab) []string {
	t.Helper()
	raw, err := tab.Eval(ctx, "window.results")
	if err != nil {
		t.Fatal(err)
	}
	var results []string
	if err := json.Unmarshal(raw, &results); err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
	_ = tab.WaitQuiet(ctx, 300*time.Millisecond)
	time.Sleep(time.Second) // ICE gathering sends its STUN requests late
	return results
}

// checkRefusals wants every way the page tried recorded as a refusal.
func checkRefusals(t *testing.T, p *netguard.Proxy, sp, stp string) {
	t.Helper()
	events, _ := p.Refusals()
	seen := map[string]bool{}
	for _, e := range events {
		seen[e.Method+" "+e.Target] = true
	}
	want := []string{
		"GET http://127.0.0.1:" + sp + "/direct",
		"GET http://intranet.example:" + sp + "/dns",
		"CONNECT 127.0.0.1:" + stp,
		"GET http://127.0.0.1:" + sp + "/redirected",
		"GET http://127.0.0.1:" + sp + "/img",
		"GET http://127.0.0.1:" + sp + "/fetch",
		"GET http://localhost:" + sp + "/fetch",
		"CONNECT 127.0.0.1:" + sp, // the WebSocket
	}
	for _, w := range want {
		if !seen[w] {
			t.Errorf("no refusal recorded for %s; got %v", w, seen)
		}
	}
}

func port(s *httptest.Server) string { return port2(s.Listener.Addr().String()) }

func port2(addr string) string { return addr[strings.LastIndexByte(addr, ':')+1:] }

// countPackets counts the datagrams c receives until it is closed.
func countPackets(c net.PacketConn, n *atomic.Int32) {
	buf := make([]byte, 2048)
	for {
		if _, _, err := c.ReadFrom(buf); err != nil {
			return
		}
		n.Add(1)
	}
}
