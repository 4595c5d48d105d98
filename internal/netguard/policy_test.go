package netguard

import (
	"errors"
	"net/netip"
	"testing"
)

// addrCases are addresses and the reason the zero Policy refuses them ("" =
// allowed), each range of the policy and the IPv6 forms that embed IPv4.
var addrCases = []struct {
	addr string
	want Reason
}{
	// Public.
	{"8.8.8.8", ""},
	{"1.1.1.1", ""},
	{"93.184.215.14", ""},
	{"2606:4700:4700::1111", ""},
	{"2a00:1450:4001:80b::200e", ""},
	{"::ffff:8.8.8.8", ""},
	{"64:ff9b::808:808", ""},
	{"2002:808:808::1", ""},
	// IPv4 special-purpose ranges.
	{"0.0.0.0", Unspecified},
	{"0.1.2.3", Unspecified},
	{"10.0.0.1", Private},
	{"10.255.255.255", Private},
	{"172.16.0.1", Private},
	{"172.31.255.254", Private},
	{"172.32.0.1", ""},
	{"192.168.1.1", Private},
	{"100.64.0.1", SharedAddress},
	{"100.127.255.254", SharedAddress},
	{"100.128.0.1", ""},
	{"127.0.0.1", Loopback},
	{"127.255.255.254", Loopback},
	{"169.254.1.1", LinkLocal},
	{"169.254.169.254", Metadata},
	{"169.254.170.2", Metadata},
	{"100.100.100.200", Metadata},
	{"192.0.0.192", Metadata},
	{"192.0.0.8", Reserved},
	{"192.0.2.1", Documentation},
	{"198.51.100.7", Documentation},
	{"203.0.113.9", Documentation},
	{"198.18.0.1", Benchmarking},
	{"198.19.255.255", Benchmarking},
	{"192.88.99.1", Reserved},
	{"224.0.0.1", Multicast},
	{"239.255.255.250", Multicast},
	{"240.0.0.1", Reserved},
	{"255.255.255.255", Broadcast},
	// IPv6 ranges.
	{"::", Unspecified},
	{"::1", Loopback},
	{"fc00::1", Private},
	{"fd12:3456:789a::1", Private},
	{"fd00:ec2::254", Metadata},
	{"fd20:ce::254", Metadata},
	{"fe80::1", LinkLocal},
	{"fe80::1%eth0", LinkLocal},
	{"febf::1", LinkLocal},
	{"fec0::1", Private},
	{"ff02::1", Multicast},
	{"ff05::1:3", Multicast},
	{"2001:db8::1", Documentation},
	{"3fff::1", Documentation},
	{"2001:2::1", Benchmarking},
	{"2001:10::1", Reserved},
	{"100::1", Reserved},
	{"5f00::1", Reserved},
	{"64:ff9b:1::a00:1", Private},
	{"4000::1", Reserved},
	// IPv4-mapped forms.
	{"::ffff:127.0.0.1", Loopback},
	{"::ffff:7f00:1", Loopback},
	{"::ffff:10.0.0.1", Private},
	{"::ffff:169.254.169.254", Metadata},
	{"::ffff:0.0.0.0", Unspecified},
	{"::ffff:100.64.0.1", SharedAddress},
	// IPv4-compatible (deprecated) and translated forms.
	{"::127.0.0.1", Loopback},
	{"::10.0.0.1", Private},
	{"::8.8.8.8", Reserved},
	{"::ffff:0:127.0.0.1", Loopback},
	{"::ffff:0:8.8.8.8", Reserved},
	// NAT64.
	{"64:ff9b::127.0.0.1", Loopback},
	{"64:ff9b::a00:1", Private},
	{"64:ff9b::c0a8:101", Private},
	{"64:ff9b::a9fe:a9fe", Metadata},
	// 6to4 and Teredo.
	{"2002:7f00:1::1", Loopback},
	{"2002:c0a8:101::1", Private},
	{"2002:a9fe:a9fe::", Metadata},
	{"2001:0:4136:e378:8000:63bf:f7f7:f7f7", ""},            // server 65.54.227.120, client 8.8.8.8
	{"2001:0:4136:e378:8000:63bf:3fff:fdd2", Documentation}, // RFC 4380's example: client 192.0.2.45
	{"2001:0:4136:e378:8000:63bf:80ff:fffe", Loopback},      // client 127.0.0.1
	{"2001:0:a00:1:8000:63bf:f7f7:f7f7", Private},           // server 10.0.0.1
	{"2001:0:4136:e378:8000:63bf:f5ff:fffe", Private},       // client 10.0.0.1
}

func TestClassify(t *testing.T) {
	t.Parallel()
	for _, c := range addrCases {
		t.Run(c.addr, func(t *testing.T) {
			t.Parallel()
			a := netip.MustParseAddr(c.addr)
			got, detail := classify(a)
			if got != c.want {
				t.Errorf("classify(%s) = %q (%s), want %q", c.addr, got, detail, c.want)
			}
			if got != "" && detail == "" {
				t.Errorf("classify(%s): no detail", c.addr)
			}
		})
	}
}

func TestPolicyCheckAddr(t *testing.T) {
	t.Parallel()
	allow, err := ParseAllowList("127.0.0.1:8080, 10.1.0.0/16 [fd00::/64]:443, 169.254.169.254")
	if err != nil {
		t.Fatal(err)
	}
	deny, err := ParseAllowList("127.0.0.1:8080,8.8.4.0/24")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		policy Policy
		addr   string
		want   Reason
	}{
		{"zero refuses loopback", Policy{}, "127.0.0.1:80", Loopback},
		{"zero allows public", Policy{}, "8.8.8.8:443", ""},
		{"allow-private lifts loopback", Policy{AllowPrivate: true}, "127.0.0.1:80", ""},
		{"allow-private lifts mapped private", Policy{AllowPrivate: true}, "[::ffff:10.0.0.1]:80", ""},
		{"allow-private lifts local names' addresses", Policy{AllowPrivate: true}, "[fe80::1]:80", ""},
		{"allow-private keeps metadata", Policy{AllowPrivate: true}, "169.254.169.254:80", Metadata},
		{"allow-private keeps NAT64 metadata", Policy{AllowPrivate: true}, "[64:ff9b::a9fe:a9fe]:80", Metadata},
		{"allow-private keeps IPv6 metadata", Policy{AllowPrivate: true}, "[fd00:ec2::254]:80", Metadata},
		{"listed port", Policy{Allow: allow}, "127.0.0.1:8080", ""},
		{"listed port, mapped", Policy{Allow: allow}, "[::ffff:127.0.0.1]:8080", ""},
		{"other port", Policy{Allow: allow}, "127.0.0.1:8081", Loopback},
		{"listed prefix", Policy{Allow: allow}, "10.1.200.3:22", ""},
		{"outside listed prefix", Policy{Allow: allow}, "10.2.0.1:80", Private},
		{"listed v6 prefix and port", Policy{Allow: allow}, "[fd00::5]:443", ""},
		{"listed v6 prefix, other port", Policy{Allow: allow}, "[fd00::5]:80", Private},
		{"explicitly listed metadata", Policy{Allow: allow}, "169.254.169.254:80", ""},
		{"deny beats allow-private", Policy{AllowPrivate: true, Deny: deny}, "127.0.0.1:8080", Denied},
		{"deny beats the allow-list", Policy{Allow: allow, Deny: deny}, "[::ffff:127.0.0.1]:8080", Denied},
		{"deny is per port", Policy{AllowPrivate: true, Deny: deny}, "127.0.0.1:8081", ""},
		{"deny covers public", Policy{Deny: deny}, "8.8.4.4:53", Denied},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			err := c.policy.CheckAddr("h", netip.MustParseAddrPort(c.addr))
			checkReason(t, err, c.want)
		})
	}
}

// checkReason fails t unless err refuses for want, or is nil when want is "".
func checkReason(t *testing.T, err error, want Reason) {
	t.Helper()
	if want == "" {
		if err != nil {
			t.Fatalf("got %v, want allowed", err)
		}
		return
	}
	var re *RefusedError
	if !errors.As(err, &re) || !errors.Is(err, ErrRefused) {
		t.Fatalf("got %v, want a refusal for %s", err, want)
	}
	if re.Reason != want {
		t.Fatalf("got reason %s (%v), want %s", re.Reason, err, want)
	}
}

func TestParseAllowed(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in, want string // want "" = error
	}{
		{"10.0.0.0/8", "10.0.0.0/8"},
		{" 10.1.2.3/8 ", "10.0.0.0/8"},
		{"192.168.1.5", "192.168.1.5"},
		{"192.168.1.5:8080", "192.168.1.5:8080"},
		{"10.0.0.0/8:443", "10.0.0.0/8:443"},
		{"::1", "::1"},
		{"[::1]:8443", "[::1]:8443"},
		{"[fd00::/64]:443", "[fd00::/64]:443"},
		{"fd00::/64", "fd00::/64"},
		{"::ffff:10.0.0.0/104", "10.0.0.0/8"},
		{"::ffff:127.0.0.1", "127.0.0.1"},
		{"", ""},
		{"localhost", ""},
		{"10.0.0.0/33", ""},
		{"10.0.0.1:0", ""},
		{"10.0.0.1:65536", ""},
		{"10.0.0.1:http", ""},
		{"[::1", ""},
		{"[::1]x", ""},
		{"fe80::1%eth0", ""},
		{"fe80::1%eth0/64", ""},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			t.Parallel()
			a, err := ParseAllowed(c.in)
			switch {
			case c.want == "" && err == nil:
				t.Fatalf("ParseAllowed(%q) = %v, want an error", c.in, a)
			case c.want != "" && err != nil:
				t.Fatalf("ParseAllowed(%q): %v", c.in, err)
			case c.want != "" && a.String() != c.want:
				t.Fatalf("ParseAllowed(%q) = %s, want %s", c.in, a, c.want)
			}
		})
	}
}
