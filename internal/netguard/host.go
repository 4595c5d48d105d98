package netguard

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"golang.org/x/net/idna"
)

// maxHostLen bounds a host name; DNS allows 253 characters.
const maxHostLen = 253

// nameRule refuses a host name, exactly or with every name under it.
type nameRule struct {
	name   string
	reason Reason
	detail string
}

// nameRules are names that mean this machine or its local network whatever
// DNS answers for them. Each also covers the names under it.
var nameRules = []nameRule{
	{"metadata.google.internal", Metadata, "GCP metadata server name"},
	{"metadata.goog", Metadata, "GCP metadata server name"},
	{"localhost", LocalName, "localhost names this machine (RFC 6761)"},
	{"localdomain", LocalName, "localdomain is a local naming convention"},
	{"local", LocalName, ".local is multicast DNS on the local link (RFC 6762)"},
	{"internal", LocalName, ".internal is reserved for private networks"},
	{"home.arpa", LocalName, "home.arpa is for home networks (RFC 8375)"},
	{"intranet", LocalName, ".intranet is a private-use name (RFC 6762 appendix G)"},
	{"lan", LocalName, ".lan is a private-use name (RFC 6762 appendix G)"},
	{"home", LocalName, ".home is a private-use name (RFC 6762 appendix G)"},
	{"corp", LocalName, ".corp is a private-use name (RFC 6762 appendix G)"},
	{"private", LocalName, ".private is a private-use name (RFC 6762 appendix G)"},
}

// classifyName returns why a canonical host name is refused, or "".
func classifyName(name string) (Reason, string) {
	for _, r := range nameRules {
		if name == r.name || strings.HasSuffix(name, "."+r.name) {
			return r.reason, r.detail
		}
	}
	if !strings.Contains(name, ".") {
		return LocalName, "a single-label name is completed with the local search domains"
	}
	return "", ""
}

// hostProfile maps a non-ASCII host as a browser does (UTS 46,
// non-transitional, CheckHyphens off as in the URL standard) without
// refusing the underscores tracker hosts use.
var hostProfile = idna.New(idna.MapForLookup(), idna.Transitional(false), idna.StrictDomainName(false),
	idna.CheckHyphens(false))

// CanonicalHost reads a URL host as a browser would: it lower-cases and
// IDNA-maps names, drops the trailing dot, and returns the address when the
// host is an IP literal in any form a browser accepts (brackets for IPv6;
// decimal, octal, hexadecimal and shortened IPv4 such as 2130706433,
// 0x7f.1 or 127.1). Exactly one of name and addr is set.
func CanonicalHost(host string) (name string, addr netip.Addr, err error) {
	if host == "" || len(host) > 4*maxHostLen {
		return "", netip.Addr{}, hostError(host, "empty or too long")
	}
	if strings.HasPrefix(host, "[") {
		if !strings.HasSuffix(host, "]") {
			return "", netip.Addr{}, hostError(host, "unclosed [")
		}
		a, err := netip.ParseAddr(host[1 : len(host)-1])
		if err != nil || !a.Is6() || a.Zone() != "" {
			return "", netip.Addr{}, hostError(host, "not an IPv6 address")
		}
		return "", a, nil
	}
	if a, err := netip.ParseAddr(host); err == nil && a.Is6() && a.Zone() == "" {
		return "", a, nil // an unbracketed IPv6 host, as in a CONNECT line
	}
	name, err = asciiHost(host)
	if err != nil {
		return "", netip.Addr{}, hostError(host, "not a valid host name: "+err.Error())
	}
	name = strings.TrimSuffix(name, ".")
	if name == "" || len(name) > maxHostLen || strings.ContainsAny(name, forbiddenHostChars) ||
		strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".") || strings.Contains(name, "..") {
		return "", netip.Addr{}, hostError(host, "not a valid host name")
	}
	if endsInNumber(name) {
		a, ok := parseIPv4(name)
		if !ok {
			return "", netip.Addr{}, hostError(host, "a number-like host that is not an IPv4 address")
		}
		return "", a, nil
	}
	return name, netip.Addr{}, nil
}

// forbiddenHostChars are the WHATWG forbidden domain code points in ASCII.
const forbiddenHostChars = "\x00\t\n\r #/:<>?@[\\]^|%\x7f"

func hostError(host, why string) error {
	return &RefusedError{Host: host, Reason: InvalidHost, Detail: why}
}

// asciiHost lower-cases an ASCII host, as it reaches the proxy from a
// browser (hosts like r3---sn-x.googlevideo.com or -x.example pass, as in
// browsers), and maps any other through IDNA.
func asciiHost(host string) (string, error) {
	for i := 0; i < len(host); i++ {
		if host[i] >= 0x80 {
			return hostProfile.ToASCII(host)
		}
	}
	return strings.ToLower(host), nil
}

// endsInNumber is the WHATWG test that sends a host to the IPv4 parser: its
// last label is decimal digits or 0x and hexadecimal digits.
func endsInNumber(name string) bool {
	last := name[strings.LastIndexByte(name, '.')+1:]
	if last != "" && strings.Trim(last, "0123456789") == "" {
		return true
	}
	if rest, ok := strings.CutPrefix(last, "0x"); ok {
		return strings.Trim(rest, "0123456789abcdef") == ""
	}
	return false
}

// parseIPv4 is the WHATWG IPv4 parser: one to four parts, each decimal,
// octal (leading 0) or hexadecimal (0x), the last filling the bytes left.
func parseIPv4(name string) (netip.Addr, bool) {
	parts := strings.Split(name, ".")
	if len(parts) > 4 {
		return netip.Addr{}, false
	}
	var v uint64
	for i, p := range parts {
		n, ok := ipv4Number(p)
		if !ok {
			return netip.Addr{}, false
		}
		if i < len(parts)-1 {
			if n > 255 {
				return netip.Addr{}, false
			}
			v = v<<8 | n
			continue
		}
		width := uint(5-len(parts)) * 8
		if n >= 1<<width {
			return netip.Addr{}, false
		}
		v = v<<width | n
	}
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}), true
}

func ipv4Number(p string) (uint64, bool) {
	if p == "" {
		return 0, false
	}
	base := 10
	switch {
	case strings.HasPrefix(p, "0x"):
		p, base = p[2:], 16
		if p == "" {
			return 0, true
		}
	case len(p) > 1 && p[0] == '0':
		p, base = p[1:], 8
	}
	n, err := strconv.ParseUint(p, base, 64)
	if err != nil || n > 0xffffffff {
		return 0, false
	}
	return n, true
}

// splitHostPort splits "host:port" as a URL authority or CONNECT target
// gives it, brackets kept on IPv6 hosts, and defaults the port.
func splitHostPort(hostport, defPort string) (host, port string, err error) {
	host, port = hostport, defPort
	if i := strings.LastIndexByte(hostport, ':'); i >= 0 && !strings.HasSuffix(hostport, "]") {
		host, port = hostport[:i], hostport[i+1:]
	}
	n, perr := strconv.ParseUint(port, 10, 16)
	if perr != nil || n == 0 {
		return "", "", fmt.Errorf("netguard: %q: port %q is not 1-65535: %w", hostport, port, ErrRefused)
	}
	return host, port, nil
}
