package server

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// ErrTarget says a scan target was refused.
var ErrTarget = errors.New("target refused")

// MaxURLLength bounds a submitted URL.
const MaxURLLength = 2048

// refusedPrefixes are the address ranges a scan may not visit without
// --allow-private-targets, beyond what netip's predicates name.
var refusedPrefixes = []struct {
	prefix netip.Prefix
	why    string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "this-network"},
	{netip.MustParsePrefix("100.64.0.0/10"), "carrier-grade NAT"},
	{netip.MustParsePrefix("192.0.0.0/24"), "IETF protocol assignments"},
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved"},
	{netip.MustParsePrefix("fec0::/10"), "site-local"},
}

// CheckLiteralTarget is the default TargetCheck: it refuses URLs that are
// not http(s), name localhost, or are written with a loopback, private,
// link-local (cloud metadata), unspecified, multicast or reserved IP
// address in any form a browser accepts (0x7f.1, 2130706433, [::ffff:
// 127.0.0.1], NAT64). Names resolving to such addresses are the job of the
// network guard that resolves them.
func CheckLiteralTarget(_ context.Context, rawURL string) error {
	u, err := parseTarget(rawURL)
	if err != nil {
		return err
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return fmt.Errorf("%w: %s is this machine (localhost)", ErrTarget, host)
	}
	addr, ok := hostAddr(host)
	if !ok {
		return nil
	}
	if why := refusedAddr(addr); why != "" {
		return fmt.Errorf("%w: %s is a %s address", ErrTarget, host, why)
	}
	return nil
}

// parseTarget checks a URL's shape: http or https, a host, no user info.
func parseTarget(rawURL string) (*url.URL, error) {
	if len(rawURL) > MaxURLLength {
		return nil, fmt.Errorf("%w: URL longer than %d bytes", ErrTarget, MaxURLLength)
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrTarget, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("%w: %q is not an http(s) URL", ErrTarget, rawURL)
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("%w: %q has no host", ErrTarget, rawURL)
	}
	if u.User != nil {
		return nil, fmt.Errorf("%w: %q carries a user name or password", ErrTarget, rawURL)
	}
	return u, nil
}

// hostAddr reads host as an IP address the way a browser does (WHATWG URL
// host parsing): IPv6 literals, and IPv4 in dotted, shortened, octal and
// hexadecimal forms.
func hostAddr(host string) (netip.Addr, bool) {
	if a, err := netip.ParseAddr(host); err == nil {
		return a.WithZone(""), true
	}
	return whatwgIPv4(host)
}

// whatwgIPv4 parses the IPv4 forms browsers accept: one to four parts,
// each decimal, 0x hexadecimal or 0-prefixed octal, the last filling the
// remaining bytes.
func whatwgIPv4(host string) (netip.Addr, bool) {
	parts := strings.Split(strings.TrimSuffix(host, "."), ".")
	if len(parts) == 0 || len(parts) > 4 {
		return netip.Addr{}, false
	}
	nums := make([]uint64, len(parts))
	for i, p := range parts {
		n, ok := ipv4Part(p)
		if !ok {
			return netip.Addr{}, false
		}
		nums[i] = n
	}
	var v uint64
	for i, n := range nums[:len(nums)-1] {
		if n > 255 {
			return netip.Addr{}, false
		}
		v |= n << (8 * (3 - i))
	}
	last := nums[len(nums)-1]
	if last >= 1<<(8*(5-len(nums))) {
		return netip.Addr{}, false
	}
	v |= last
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}), true
}

func ipv4Part(p string) (uint64, bool) {
	base := 10
	switch {
	case p == "":
		return 0, false
	case strings.HasPrefix(p, "0x") || strings.HasPrefix(p, "0X"):
		base, p = 16, p[2:]
		if p == "" {
			return 0, true
		}
	case len(p) > 1 && p[0] == '0':
		base, p = 8, p[1:]
	}
	n, err := strconv.ParseUint(p, base, 64)
	return n, err == nil && n <= 1<<32
}

// refusedAddr names the kind of a refused address, or "" when it is
// public.
func refusedAddr(a netip.Addr) string {
	a = a.Unmap()
	if a.Is6() && netip.MustParsePrefix("64:ff9b::/96").Contains(a) {
		b := a.As16()
		a = netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]})
	}
	switch {
	case a.IsLoopback():
		return "loopback"
	case a.IsPrivate():
		return "private"
	case a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast():
		return "link-local (cloud metadata)"
	case a.IsUnspecified():
		return "unspecified"
	case a.IsMulticast() || a.IsInterfaceLocalMulticast():
		return "multicast"
	}
	for _, r := range refusedPrefixes {
		if r.prefix.Contains(a) {
			return r.why
		}
	}
	return ""
}
