package party

import (
	"net/netip"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// RegistrableDomain returns the registrable domain (eTLD+1) of host, using
// the Public Suffix List including its private section, so "a.b.github.io"
// gives "b.github.io" and "www.bbc.co.uk" gives "bbc.co.uk". host is
// lowercased and loses a port and trailing dots. IP addresses, "localhost",
// single-label names and hosts that are themselves public suffixes are
// returned as they are (normalized); an empty host gives "".
func RegistrableDomain(host string) string {
	h := normalizeHost(host)
	if h == "" || !strings.Contains(h, ".") || isIP(h) {
		return h
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(h)
	if err != nil {
		return h
	}
	return d
}

// normalizeHost lowercases host and strips a port, IPv6 brackets and
// trailing dots.
func normalizeHost(host string) string {
	h := strings.TrimSpace(host)
	if strings.HasPrefix(h, "[") {
		if end := strings.IndexByte(h, ']'); end > 0 {
			h = h[1:end]
		} else {
			h = h[1:]
		}
	} else if i := strings.LastIndexByte(h, ':'); i >= 0 && strings.IndexByte(h, ':') == i {
		h = h[:i] // one colon: host:port (bare IPv6 has several)
	}
	h = strings.TrimRight(h, ".")
	return lower(h)
}

// lower is strings.ToLower without an allocation for the common case of an
// already lowercase ASCII string.
func lower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' || c >= 0x80 {
			return strings.ToLower(s)
		}
	}
	return s
}

func isIP(h string) bool {
	_, err := netip.ParseAddr(h)
	return err == nil
}

// hostOf extracts the host of an absolute URL without the cost of url.Parse:
// scheme "://" [userinfo "@"] host [":" port] then "/", "?" or "#". A "blob:"
// prefix is looked through. It returns "" when rawURL has no authority
// (data:, about:, relative references).
func hostOf(rawURL string) string {
	s := strings.TrimPrefix(rawURL, "blob:")
	i := strings.Index(s, "://")
	if i <= 0 || !validScheme(s[:i]) {
		return ""
	}
	s = s[i+3:]
	if end := strings.IndexAny(s, "/?#\\"); end >= 0 {
		s = s[:end]
	}
	if at := strings.LastIndexByte(s, '@'); at >= 0 {
		s = s[at+1:]
	}
	return normalizeHost(s)
}

func validScheme(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		ok := c >= 'a' && c <= 'z' || i > 0 && (s[i] >= '0' && s[i] <= '9' || s[i] == '+' || s[i] == '-' || s[i] == '.')
		if !ok {
			return false
		}
	}
	return true
}
