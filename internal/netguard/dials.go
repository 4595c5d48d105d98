package netguard

import (
	"cmp"
	"net/netip"
	"slices"
	"strconv"
)

// DefaultMaxDials bounds the distinct connections a proxy remembers.
const DefaultMaxDials = 10000

// Dial is where the proxy connected for a host: behind a proxy, Chromium
// reports the proxy's address as every response's remote address, so the
// servers' own addresses are known only here.
type Dial struct {
	// Host is the canonical host name or address as asked for, Port its port.
	Host string
	Port uint16
	// Addr is the checked address dialled; Count how many connections went
	// there for Host.
	Addr  netip.AddrPort
	Count int
}

type dialKey struct {
	host string
	addr netip.AddrPort
}

// recordDial notes a connection to ap made for hostport ("host:port" as
// asked).
func (p *Proxy) recordDial(hostport string, ap netip.AddrPort) {
	host, port, err := splitHostPort(hostport, "")
	if err != nil {
		return
	}
	if name, addr, err := CanonicalHost(host); err == nil && name != "" {
		host = name
	} else if err == nil {
		host = addr.String()
	}
	n, _ := strconv.ParseUint(port, 10, 16)
	k := dialKey{host + ":" + port, ap}
	p.mu.Lock()
	defer p.mu.Unlock()
	if d, ok := p.dials[k]; ok {
		d.Count++
		return
	}
	if len(p.dials) >= p.cfg.MaxDials {
		p.droppedDials++
		return
	}
	p.dials[k] = &Dial{Host: host, Port: uint16(n), Addr: ap, Count: 1}
}

// Dials returns where the proxy connected, sorted by host, port and
// address, and how many distinct connections were not remembered beyond
// Config.MaxDials.
func (p *Proxy) Dials() (dials []Dial, dropped int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]Dial, 0, len(p.dials))
	for _, d := range p.dials {
		out = append(out, *d)
	}
	slices.SortFunc(out, func(a, b Dial) int {
		return cmp.Or(cmp.Compare(a.Host, b.Host), cmp.Compare(a.Port, b.Port), a.Addr.Compare(b.Addr))
	})
	return out, p.droppedDials
}
