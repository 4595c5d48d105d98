package netguard

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"testing"
)

// fakeResolver answers each name with its answers in turn, the last one
// repeated, and counts the look-ups.
type fakeResolver struct {
	mu      sync.Mutex
	answers map[string][][]string
	calls   map[string]int
}

func newResolver(answers map[string][][]string) *fakeResolver {
	return &fakeResolver{answers: answers, calls: map[string]int{}}
}

func (r *fakeResolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	seq, ok := r.answers[host]
	if !ok {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	i := min(r.calls[host], len(seq)-1)
	r.calls[host]++
	out := make([]netip.Addr, 0, len(seq[i]))
	for _, s := range seq[i] {
		out = append(out, netip.MustParseAddr(s))
	}
	return out, nil
}

func (r *fakeResolver) count(host string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.calls[host]
}

var testAnswers = map[string][][]string{
	"public.example":    {{"93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"}},
	"private.example":   {{"10.0.0.5"}},
	"mapped.example":    {{"::ffff:127.0.0.1"}},
	"nat64.example":     {{"64:ff9b::a9fe:a9fe"}},
	"mixed.example":     {{"93.184.215.14", "127.0.0.1"}},
	"ula.example":       {{"fd00::1"}},
	"linklocal.example": {{"fe80::1"}},
	"loopback.example":  {{"::1"}},
}

func TestGuardCheck(t *testing.T) {
	t.Parallel()
	g := &Guard{Resolver: newResolver(testAnswers)}
	cases := []struct {
		url  string
		want Reason
	}{
		{"https://public.example/page?q=1", ""},
		{"http://public.example:8080/", ""},
		{"https://8.8.8.8/", ""},
		{"http://private.example/", Private},
		{"http://mapped.example/", Loopback},
		{"http://nat64.example/", Metadata},
		{"http://mixed.example/", Loopback},
		{"http://ula.example/", Private},
		{"http://linklocal.example/", LinkLocal},
		{"http://loopback.example/", Loopback},
		{"http://127.0.0.1:8080/", Loopback},
		{"http://2130706433/", Loopback},
		{"http://0x7f.1/", Loopback},
		{"http://[::1]/", Loopback},
		{"http://[::ffff:127.0.0.1]/", Loopback},
		{"http://[::ffff:a9fe:a9fe]/latest/meta-data/", Metadata},
		{"http://169.254.169.254/latest/meta-data/", Metadata},
		{"http://[fd00:ec2::254]/", Metadata},
		{"http://metadata.google.internal/computeMetadata/v1/", Metadata},
		{"http://localhost:3000/", LocalName},
		{"http://LOCALHOST./", LocalName},
		{"http://app.localhost/", LocalName},
		{"http://%6c%6fcalhost/", InvalidURL}, // Go refuses what a browser reads as localhost
		{"http://user:pw@127.0.0.1/", Loopback},
		{"http://0.0.0.0/", Unspecified},
		{"http://[::]/", Unspecified},
		{"file:///etc/passwd", Scheme},
		{"gopher://public.example/", Scheme},
		{"javascript:alert(1)", Scheme},
		{"http:///nohost", InvalidHost},
		{"http://1.2.3.4.5/", InvalidHost},
	}
	for _, c := range cases {
		t.Run(c.url, func(t *testing.T) {
			t.Parallel()
			checkReason(t, g.Check(context.Background(), c.url), c.want)
		})
	}
}

func TestGuardCheckResolveFailure(t *testing.T) {
	t.Parallel()
	g := &Guard{Resolver: newResolver(testAnswers)}
	err := g.Check(context.Background(), "https://nxdomain.example/")
	if !errors.Is(err, ErrResolve) || errors.Is(err, ErrRefused) {
		t.Fatalf("got %v, want a resolve error that is not a refusal", err)
	}
}

// TestGuardDialUsesCheckedAddress is DNS rebinding: the name resolves public
// once, then private. The dial goes to the address that was checked; the
// next connection resolves again and is refused.
func TestGuardDialUsesCheckedAddress(t *testing.T) {
	t.Parallel()
	res := newResolver(map[string][][]string{"rebind.example": {{"93.184.215.14"}, {"127.0.0.1"}}})
	var dialled []string
	g := &Guard{Resolver: res, dial: func(_ context.Context, _, addr string) (net.Conn, error) {
		dialled = append(dialled, addr)
		c, s := net.Pipe()
		_ = s.Close()
		return c, nil
	}}
	c, err := g.DialContext(context.Background(), "tcp", "rebind.example:443")
	if err != nil {
		t.Fatal(err)
	}
	_ = c.Close()
	if fmt.Sprint(dialled) != "[93.184.215.14:443]" || res.count("rebind.example") != 1 {
		t.Fatalf("dialled %v after %d look-ups, want the checked address after one", dialled, res.count("rebind.example"))
	}
	_, err = g.DialContext(context.Background(), "tcp", "rebind.example:443")
	checkReason(t, err, Loopback)
	if len(dialled) != 1 {
		t.Fatalf("dialled %v, want nothing more", dialled)
	}
}

func TestGuardDialNetwork(t *testing.T) {
	t.Parallel()
	g := &Guard{Resolver: newResolver(testAnswers)}
	if _, err := g.DialContext(context.Background(), "udp", "public.example:53"); !errors.Is(err, ErrRefused) {
		t.Fatalf("udp: got %v, want a refusal", err)
	}
	for _, addr := range []string{"public.example", "public.example:0", "public.example:99999"} {
		if _, err := g.DialContext(context.Background(), "tcp", addr); !errors.Is(err, ErrRefused) {
			t.Errorf("%s: got %v, want a refusal", addr, err)
		}
	}
}
