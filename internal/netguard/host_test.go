package netguard

import (
	"testing"
)

func TestCanonicalHost(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in, name, addr string // both "" = error
	}{
		{"example.com", "example.com", ""},
		{"EXAMPLE.com.", "example.com", ""},
		{"ads_tracker.example.com", "ads_tracker.example.com", ""},
		{"r3---sn-4g5e6nzz.googlevideo.com", "r3---sn-4g5e6nzz.googlevideo.com", ""},
		{"-foo.example.com", "-foo.example.com", ""},
		{"foo-.example.com", "foo-.example.com", ""},
		{"ab--cd.bücher.example", "ab--cd.xn--bcher-kva.example", ""},
		{"\u200bexample.com", "example.com", ""},
		{"bücher.example", "xn--bcher-kva.example", ""},
		{"ＬＯＣＡＬＨＯＳＴ", "localhost", ""},
		{"127.0.0.1", "", "127.0.0.1"},
		{"127.1", "", "127.0.0.1"},
		{"127.0.1", "", "127.0.0.1"},
		{"2130706433", "", "127.0.0.1"},
		{"0x7f000001", "", "127.0.0.1"},
		{"0x7f.1", "", "127.0.0.1"},
		{"0177.0.0.1", "", "127.0.0.1"},
		{"017700000001", "", "127.0.0.1"},
		{"0", "", "0.0.0.0"},
		{"0x", "", "0.0.0.0"},
		{"169.254.169.254.", "", "169.254.169.254"},
		{"0xa9.0xfe.0xa9.0xfe", "", "169.254.169.254"},
		{"１２７.０.０.１", "", "127.0.0.1"},
		{"127。0。0。1", "", "127.0.0.1"},
		{"[::1]", "", "::1"},
		{"[::ffff:127.0.0.1]", "", "::ffff:127.0.0.1"},
		{"::1", "", "::1"},
		{"1.2.3.4.5", "", ""},
		{"256.0.0.1", "", ""},
		{"1.2.3.256", "", ""},
		{"1.2.65536", "", ""},
		{"4294967296", "", ""},
		{"08.0.0.1", "", ""},
		{"example.0x1g", "example.0x1g", ""},
		{"example.123", "", ""},
		{"[::1", "", ""},
		{"[127.0.0.1]", "", ""},
		{"[fe80::1%25eth0]", "", ""},
		{"", "", ""},
		{"a b.example", "", ""},
		{"a%2f.example", "", ""},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			t.Parallel()
			name, addr, err := CanonicalHost(c.in)
			if c.name == "" && c.addr == "" {
				if err == nil {
					t.Fatalf("CanonicalHost(%q) = %q, %v; want an error", c.in, name, addr)
				}
				return
			}
			if err != nil {
				t.Fatalf("CanonicalHost(%q): %v", c.in, err)
			}
			gotAddr := ""
			if addr.IsValid() {
				gotAddr = addr.String()
			}
			if name != c.name || gotAddr != c.addr {
				t.Fatalf("CanonicalHost(%q) = %q, %q; want %q, %q", c.in, name, gotAddr, c.name, c.addr)
			}
		})
	}
}

func TestCheckName(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		want   Reason
		wantAP Reason // with AllowPrivate
	}{
		{"example.com", "", ""},
		{"localhost.example.com", "", ""},
		{"mylocal.com", "", ""},
		{"localhost", LocalName, ""},
		{"api.localhost", LocalName, ""},
		{"printer.local", LocalName, ""},
		{"db.internal", LocalName, ""},
		{"router.home.arpa", LocalName, ""},
		{"nas.lan", LocalName, ""},
		{"localhost.localdomain", LocalName, ""},
		{"intranet", LocalName, ""},
		{"metadata.google.internal", Metadata, Metadata},
		{"metadata.goog", Metadata, Metadata},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			checkReason(t, (&Policy{}).CheckName(c.name), c.want)
			checkReason(t, (&Policy{AllowPrivate: true}).CheckName(c.name), c.wantAP)
		})
	}
}
