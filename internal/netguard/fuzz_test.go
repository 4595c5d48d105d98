package netguard

import (
	"context"
	"net/netip"
	"strings"
	"testing"
)

// FuzzParseAllowed: any entry either fails or reads back the same from its
// String form, and matching with it never panics.
func FuzzParseAllowed(f *testing.F) {
	for _, s := range []string{"10.0.0.0/8", "127.0.0.1:8080", "[fd00::/64]:443", "::ffff:10.0.0.0/104", "[::1", "1.2.3.4:0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAllowed(s)
		if err != nil {
			return
		}
		b, err := ParseAllowed(a.String())
		if err != nil || b != a {
			t.Fatalf("%q read as %v, which reads back as %v, %v", s, a, b, err)
		}
		p := Policy{Allow: []Allowed{a}}
		_ = p.CheckAddr("h", netip.AddrPortFrom(a.Prefix.Addr(), a.Port))
	})
}

// FuzzCanonicalHost: a host reads as a name or an address, never both; a
// name is stable, lower-case and without a trailing dot; the policy
// classifies either without panicking.
func FuzzCanonicalHost(f *testing.F) {
	for _, s := range []string{"example.com", "LOCALHOST.", "0x7f.1", "2130706433", "[::ffff:127.0.0.1]",
		"１２７.０.０.１", "xn--bcher-kva.example", "a..b", "1.2.3.4.5", "[fe80::1%25eth0]", "ads_x.example."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, host string) {
		name, addr, err := CanonicalHost(host)
		if err != nil {
			return
		}
		if (name == "") == !addr.IsValid() {
			t.Fatalf("%q: name %q and address %v", host, name, addr)
		}
		if addr.IsValid() {
			_, _ = classify(addr)
			return
		}
		if strings.HasSuffix(name, ".") || name != strings.ToLower(name) {
			t.Fatalf("%q: name %q not canonical", host, name)
		}
		again, addr2, err := CanonicalHost(name)
		if err != nil || again != name || addr2.IsValid() {
			t.Fatalf("%q: %q canonicalizes again to %q, %v, %v", host, name, again, addr2, err)
		}
		_, _ = classifyName(name)
	})
}

// FuzzClassify: an IPv4 address and its IPv4-mapped form are judged alike.
func FuzzClassify(f *testing.F) {
	f.Add([]byte{127, 0, 0, 1})
	f.Add(netip.MustParseAddr("2002:c0a8:101::1").AsSlice())
	f.Add(netip.MustParseAddr("2001:0:4136:e378:8000:63bf:80ff:fffe").AsSlice())
	f.Fuzz(func(t *testing.T, b []byte) {
		a, ok := netip.AddrFromSlice(b)
		if !ok {
			return
		}
		r, _ := classify(a)
		if a.Is4() {
			if m, _ := classify(netip.AddrFrom16(a.As16())); m != r {
				t.Fatalf("%v is %q but its mapped form is %q", a, r, m)
			}
		}
	})
}

// publicResolver answers every name with one public address.
type publicResolver struct{}

func (publicResolver) LookupNetIP(context.Context, string, string) ([]netip.Addr, error) {
	return []netip.Addr{netip.MustParseAddr("93.184.215.14")}, nil
}

// FuzzGuardResolve: whatever host string the proxy is handed, what the
// zero policy lets it dial is a public address, and never a local name.
func FuzzGuardResolve(f *testing.F) {
	for _, s := range []string{"127.0.0.1", "0x7f.1", "[::ffff:7f00:1]", "localhost.", "LocalHost", "ⓛocalhost",
		"[64:ff9b::a9fe:a9fe]", "metadata.google.internal.", "example.com", "[::]", "0", "0.0.0.0", "[2002:a00:1::]"} {
		f.Add(s)
	}
	g := &Guard{Resolver: publicResolver{}}
	f.Fuzz(func(t *testing.T, host string) {
		addrs, err := g.Resolve(context.Background(), host, "443")
		if err != nil {
			return
		}
		for _, ap := range addrs {
			if r, d := classify(ap.Addr()); r != "" {
				t.Fatalf("%q: allowed %v, which is %s (%s)", host, ap, r, d)
			}
		}
		if name, _, _ := CanonicalHost(host); name != "" {
			if r, _ := classifyName(name); r != "" {
				t.Fatalf("%q: allowed the name %q, which is %s", host, name, r)
			}
		}
	})
}
