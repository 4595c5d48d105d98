package netguard

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// Policy decides which addresses and host names a scan may reach. The zero
// Policy refuses every non-public address and every local name.
type Policy struct {
	// AllowPrivate lifts every address and name rule except the cloud
	// metadata endpoints (the --allow-private-targets flag, for the demo
	// and for scanning an intranet on purpose).
	AllowPrivate bool
	// Allow lists addresses reachable whatever the rules say, metadata
	// included; each entry may be limited to one port.
	Allow []Allowed
	// Deny lists addresses refused whatever else says, before the
	// allow-list: the service's own listening address, a database.
	Deny []Allowed
}

// Allowed is one allow-list entry: a prefix and, when Port is not 0, the
// only port it allows.
type Allowed struct {
	Prefix netip.Prefix
	Port   uint16
}

// String formats a the way ParseAllowed reads it.
func (a Allowed) String() string {
	p := a.Prefix.String()
	if a.Prefix.IsSingleIP() {
		p = a.Prefix.Addr().String()
	}
	if a.Port == 0 {
		return p
	}
	if a.Prefix.Addr().Is6() {
		p = "[" + p + "]"
	}
	return p + ":" + strconv.Itoa(int(a.Port))
}

// ParseAllowed reads an allow-list (or deny-list) entry: an address or CIDR prefix,
// optionally with a port ("10.0.0.0/8", "192.168.1.5:8080",
// "[fd00::/64]:443", "::1").
func ParseAllowed(s string) (Allowed, error) {
	s = strings.TrimSpace(s)
	host, port := s, ""
	switch {
	case strings.HasPrefix(s, "["):
		end := strings.Index(s, "]")
		if end < 0 {
			return Allowed{}, fmt.Errorf("allow-list entry %q: missing ]", s)
		}
		host, port = s[1:end], s[end+1:]
		if port != "" && !strings.HasPrefix(port, ":") {
			return Allowed{}, fmt.Errorf("allow-list entry %q: want [address]:port", s)
		}
		port = strings.TrimPrefix(port, ":")
	case strings.Count(s, ":") == 1:
		host, port, _ = strings.Cut(s, ":")
	}
	prefix, err := parsePrefix(host)
	if err != nil {
		return Allowed{}, fmt.Errorf("allow-list entry %q: %w", s, err)
	}
	a := Allowed{Prefix: prefix}
	if port != "" {
		n, err := strconv.ParseUint(port, 10, 16)
		if err != nil || n == 0 {
			return Allowed{}, fmt.Errorf("allow-list entry %q: port %q is not 1-65535", s, port)
		}
		a.Port = uint16(n)
	}
	return a, nil
}

// ParseAllowList reads entries separated by commas or white space, as a
// flag or environment variable gives them.
func ParseAllowList(s string) ([]Allowed, error) {
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' })
	out := make([]Allowed, 0, len(fields))
	for _, f := range fields {
		a, err := ParseAllowed(f)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

func parsePrefix(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("not a CIDR prefix: %w", err)
		}
		if p.Addr().Zone() != "" {
			return netip.Prefix{}, fmt.Errorf("prefix %q has a zone", s)
		}
		if p.Addr().Is4In6() && p.Bits() >= 96 {
			// ::ffff:10.0.0.0/104 is 10.0.0.0/8: addresses are unmapped
			// before they are matched.
			p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("not an address or CIDR prefix: %w", err)
	}
	if a.Zone() != "" {
		return netip.Prefix{}, fmt.Errorf("address %q has a zone", s)
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// covers reports whether the entry matches an unmapped address and port.
func (a Allowed) covers(addr netip.Addr, port uint16) bool {
	return a.Prefix.Contains(addr) && (a.Port == 0 || a.Port == port)
}

// Validate reports the first allow-list entry that cannot work.
func (p *Policy) Validate() error {
	for _, a := range append(append([]Allowed(nil), p.Allow...), p.Deny...) {
		if !a.Prefix.IsValid() {
			return fmt.Errorf("netguard: allow- or deny-list entry %v is not a valid prefix", a)
		}
	}
	return nil
}

// CheckAddr refuses ap unless it is a public unicast address, allowed by
// AllowPrivate, or on the allow-list. host names the target in the error.
func (p *Policy) CheckAddr(host string, ap netip.AddrPort) error {
	a := ap.Addr().WithZone("").Unmap()
	for _, d := range p.Deny {
		if d.covers(a, ap.Port()) {
			return &RefusedError{Host: host, Addr: ap.Addr(), Reason: Denied, Detail: "on the deny-list as " + d.String()}
		}
	}
	for _, al := range p.Allow {
		if al.covers(a, ap.Port()) {
			return nil
		}
	}
	r, d := classify(a)
	if r == "" || (p.AllowPrivate && r != Metadata) {
		return nil
	}
	return &RefusedError{Host: host, Addr: ap.Addr(), Reason: r, Detail: d}
}

// CheckName refuses a canonical host name (see CanonicalHost) that names
// the machine or its local network whatever it resolves to.
func (p *Policy) CheckName(name string) error {
	r, d := classifyName(name)
	if r == "" || (p.AllowPrivate && r != Metadata) {
		return nil
	}
	return &RefusedError{Host: name, Reason: r, Detail: d}
}
