package netguard

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"time"
)

// Resolver looks host names up; *net.Resolver is one.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// Default timeouts of a Guard.
const (
	DefaultResolveTimeout = 10 * time.Second
	DefaultDialTimeout    = 10 * time.Second
)

// Guard resolves and dials under a Policy: every address a name resolves to
// is checked, and only checked addresses are dialled, never the name again.
// The zero Guard applies the zero Policy with the system resolver.
type Guard struct {
	Policy Policy
	// Resolver looks names up; nil means net.DefaultResolver.
	Resolver Resolver
	// ResolveTimeout and DialTimeout bound a look-up and each connection
	// attempt; 0 means the defaults.
	ResolveTimeout time.Duration
	DialTimeout    time.Duration

	// self are addresses never dialled, whatever the policy: the proxy's own.
	self []netip.AddrPort
	// dial connects to a checked address; nil means a net.Dialer (tests
	// stand in for the network).
	dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

// Check validates a URL before a scan is queued, for an early and friendly
// error: the scheme must be http or https, and its host must pass the name
// rules and resolve only to allowed addresses. The proxy checks again at
// connect time, which is what makes a scan safe.
func (g *Guard) Check(ctx context.Context, rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return &RefusedError{Host: rawURL, Reason: InvalidURL, Detail: err.Error()}
	}
	defPort := map[string]string{"http": "80", "https": "443"}[u.Scheme]
	if defPort == "" {
		return &RefusedError{Host: u.Host, Reason: Scheme, Detail: fmt.Sprintf("scheme %q is not http or https", u.Scheme)}
	}
	host, err := url.PathUnescape(u.Hostname())
	if err != nil {
		return hostError(u.Hostname(), "bad percent-encoding")
	}
	port := u.Port()
	if port == "" {
		port = defPort
	}
	_, err = g.Resolve(ctx, host, port)
	return err
}

// Resolve returns the checked addresses of host (a URL host: name, IPv4 in
// any browser form, or [IPv6]) on port, or a *RefusedError when the name or
// any address it resolves to is refused. A name resolving to both public
// and refused addresses is refused whole: that is how rebinding looks.
func (g *Guard) Resolve(ctx context.Context, host, port string) ([]netip.AddrPort, error) {
	n, err := strconv.ParseUint(port, 10, 16)
	if err != nil || n == 0 {
		return nil, fmt.Errorf("netguard: port %q is not 1-65535: %w", port, ErrRefused)
	}
	name, addr, err := CanonicalHost(host)
	if err != nil {
		return nil, err
	}
	if addr.IsValid() {
		ap := netip.AddrPortFrom(addr, uint16(n))
		if err := g.checkAddr(host, ap); err != nil {
			return nil, err
		}
		return []netip.AddrPort{ap}, nil
	}
	if err := g.Policy.CheckName(name); err != nil {
		return nil, err
	}
	addrs, err := g.lookup(ctx, name)
	if err != nil {
		return nil, err
	}
	out := make([]netip.AddrPort, 0, len(addrs))
	for _, a := range addrs {
		ap := netip.AddrPortFrom(a, uint16(n))
		if err := g.checkAddr(name, ap); err != nil {
			return nil, err
		}
		out = append(out, ap)
	}
	return out, nil
}

func (g *Guard) checkAddr(host string, ap netip.AddrPort) error {
	for _, s := range g.self {
		if s.Port() == ap.Port() && (s.Addr() == ap.Addr().Unmap() || isLoopbackOrUnspecified(ap.Addr()) && isLoopbackOrUnspecified(s.Addr())) {
			return &RefusedError{Host: host, Addr: ap.Addr(), Reason: ProxyLoop, Detail: "the proxy's own address"}
		}
	}
	return g.Policy.CheckAddr(host, ap)
}

func isLoopbackOrUnspecified(a netip.Addr) bool {
	a = a.Unmap()
	return a.IsLoopback() || a.IsUnspecified()
}

// ErrResolve marks a failed look-up (answered 502 by the proxy).
var ErrResolve = errors.New("name not resolved")

func (g *Guard) lookup(ctx context.Context, name string) ([]netip.Addr, error) {
	r := g.Resolver
	if r == nil {
		r = net.DefaultResolver
	}
	ctx, cancel := context.WithTimeout(ctx, orDefault(g.ResolveTimeout, DefaultResolveTimeout))
	defer cancel()
	addrs, err := r.LookupNetIP(ctx, "ip", name)
	if err != nil {
		return nil, fmt.Errorf("netguard: resolve %s: %w: %w", name, ErrResolve, err)
	}
	if len(addrs) == 0 {
		return nil, fmt.Errorf("netguard: resolve %s: %w: no addresses", name, ErrResolve)
	}
	return addrs, nil
}

// DialContext connects to address ("host:port") over TCP after Resolve,
// trying each checked address in turn. It has net.Dialer's signature, for
// http.Transport and anything else that dials.
func (g *Guard) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	c, _, err := g.dialAddress(ctx, network, address)
	return c, err
}

// dialAddress is DialContext that also says which address answered.
func (g *Guard) dialAddress(ctx context.Context, network, address string) (net.Conn, netip.AddrPort, error) {
	switch network {
	case "tcp", "tcp4", "tcp6":
	default:
		return nil, netip.AddrPort{}, fmt.Errorf("netguard: network %q: only TCP is dialled: %w", network, ErrRefused)
	}
	host, port, err := splitHostPort(address, "")
	if err != nil {
		return nil, netip.AddrPort{}, err
	}
	addrs, err := g.Resolve(ctx, host, port)
	if err != nil {
		return nil, netip.AddrPort{}, err
	}
	return g.dialChecked(ctx, network, addrs)
}

func (g *Guard) dialChecked(ctx context.Context, network string, addrs []netip.AddrPort) (net.Conn, netip.AddrPort, error) {
	dial := g.dial
	if dial == nil {
		d := &net.Dialer{}
		dial = d.DialContext
	}
	addrs = slices.DeleteFunc(slices.Clone(addrs), func(ap netip.AddrPort) bool {
		v4 := ap.Addr().Unmap().Is4()
		return (network == "tcp4" && !v4) || (network == "tcp6" && v4)
	})
	if len(addrs) == 0 {
		return nil, netip.AddrPort{}, fmt.Errorf("netguard: no %s address to dial", network)
	}
	// The budget is shared as net.Dialer shares it: an address that does
	// not answer leaves time for the next.
	deadline := time.Now().Add(orDefault(g.DialTimeout, DefaultDialTimeout))
	var errs []error
	for i, ap := range addrs {
		share := time.Until(deadline) / time.Duration(len(addrs)-i)
		actx, cancel := context.WithTimeout(ctx, max(share, minDialShare))
		c, err := dial(actx, network, ap.String())
		cancel()
		if err == nil {
			return c, ap, nil
		}
		errs = append(errs, err)
		if ctx.Err() != nil || time.Now().After(deadline) {
			break
		}
	}
	return nil, netip.AddrPort{}, fmt.Errorf("netguard: dial: %w", errors.Join(errs...))
}

// minDialShare is the least time one address gets to answer.
const minDialShare = 2 * time.Second

// Transport returns an http.Transport for the server's own outgoing
// requests (webhooks) that dials only through g, ignores proxy settings
// from the environment and bounds every phase; redirects it is asked to
// follow are dialled through g too.
func (g *Guard) Transport() *http.Transport {
	return &http.Transport{
		Proxy:                  nil,
		DialContext:            g.DialContext,
		TLSHandshakeTimeout:    10 * time.Second,
		ResponseHeaderTimeout:  30 * time.Second,
		ExpectContinueTimeout:  time.Second,
		IdleConnTimeout:        90 * time.Second,
		MaxIdleConns:           16,
		MaxIdleConnsPerHost:    4,
		MaxResponseHeaderBytes: 64 << 10,
		ForceAttemptHTTP2:      true,
	}
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}
