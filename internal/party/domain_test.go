package party

import (
	"net/url"
	"strings"
	"testing"
)

func TestRegistrableDomain(t *testing.T) {
	t.Parallel()
	tests := []struct{ host, want string }{
		{"www.example.com", "example.com"},
		{"example.com", "example.com"},
		{"WWW.Example.COM", "example.com"},
		{"www.example.com.", "example.com"},
		{"www.example.com:8443", "example.com"},
		{"news.bbc.co.uk", "bbc.co.uk"},
		{"bbc.co.uk", "bbc.co.uk"},
		{"co.uk", "co.uk"}, // a public suffix is returned as it is
		{"user.github.io", "user.github.io"},
		{"a.b.user.github.io", "user.github.io"},
		{"github.io", "github.io"},
		{"foo.s3.amazonaws.com", "foo.s3.amazonaws.com"},
		{"static.xx.fbcdn.net", "fbcdn.net"},
		{"192.168.1.10", "192.168.1.10"},
		{"192.168.1.10:8080", "192.168.1.10"},
		{"[::1]:443", "::1"},
		{"[2001:db8::1]", "2001:db8::1"},
		{"2001:db8::1", "2001:db8::1"},
		{"localhost", "localhost"},
		{"localhost:3000", "localhost"},
		{"intranet", "intranet"},
		{"app.internal", "app.internal"},
		{"a.b.app.internal", "app.internal"},
		{"", ""},
		{"...", ""},
	}
	for _, tt := range tests {
		if got := RegistrableDomain(tt.host); got != tt.want {
			t.Errorf("RegistrableDomain(%q) = %q, want %q", tt.host, got, tt.want)
		}
	}
}

func TestHostOf(t *testing.T) {
	t.Parallel()
	tests := []struct{ url, want string }{
		{"https://www.Example.com/path?q=1", "www.example.com"},
		{"https://www.example.com", "www.example.com"},
		{"https://www.example.com?x", "www.example.com"},
		{"https://www.example.com#frag", "www.example.com"},
		{"http://user:pass@host.test:8080/x", "host.test"},
		{"wss://socket.test/ws", "socket.test"},
		{"https://[2001:db8::1]:8443/", "2001:db8::1"},
		{"blob:https://shop.test/5b7c", "shop.test"},
		{"https://a.test/redirect?to=https://b.test/", "a.test"},
		{"data:image/png;base64,AAAA", ""},
		{"about:blank", ""},
		{"/relative/path", ""},
		{"://no-scheme.test/", ""},
		{"1http://bad-scheme.test/", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := hostOf(tt.url); got != tt.want {
			t.Errorf("hostOf(%q) = %q, want %q", tt.url, got, tt.want)
		}
	}
}

// FuzzHostOf checks hostOf against net/url for URLs both accept.
func FuzzHostOf(f *testing.F) {
	for _, s := range []string{"https://www.example.com/x", "http://u@h.test:1/", "https://[::1]:80/", "blob:https://a.test/1", "data:,x", "HTTPS://A.TEST."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := hostOf(s)
		if got != strings.ToLower(got) || strings.HasSuffix(got, ".") {
			t.Fatalf("hostOf(%q) = %q: not normalized", s, got)
		}
		_ = RegistrableDomain(got)
		u, err := url.Parse(s)
		if err != nil || u.Scheme == "" || u.Host == "" || u.Opaque != "" || strings.ContainsAny(s, "\\ \t\r\n%") || strings.HasPrefix(s, "blob:") {
			return
		}
		if want := normalizeHost(u.Host); got != want {
			t.Fatalf("hostOf(%q) = %q, net/url says %q", s, got, want)
		}
	})
}
