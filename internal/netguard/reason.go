package netguard

import (
	"errors"
	"fmt"
	"net/netip"
)

// Reason names why a host or address is refused.
type Reason string

// The reasons a target is refused.
const (
	Loopback      Reason = "loopback"
	Private       Reason = "private"
	LinkLocal     Reason = "link-local"
	SharedAddress Reason = "shared-address"
	Unspecified   Reason = "unspecified"
	Multicast     Reason = "multicast"
	Broadcast     Reason = "broadcast"
	Documentation Reason = "documentation"
	Benchmarking  Reason = "benchmarking"
	Reserved      Reason = "reserved"
	Metadata      Reason = "cloud-metadata"
	LocalName     Reason = "local-name"
	InvalidHost   Reason = "invalid-host"
	InvalidURL    Reason = "invalid-url"
	Scheme        Reason = "scheme"
	ProxyLoop     Reason = "proxy-loop"
	Denied        Reason = "denied"
)

// ErrRefused is what every refusal matches with errors.Is.
var ErrRefused = errors.New("target refused by the network policy")

// RefusedError says which target was refused and why.
type RefusedError struct {
	// Host is the host name or address as asked for.
	Host string
	// Addr is the refused address; the zero Addr when the name itself was
	// refused.
	Addr netip.Addr
	// Reason classifies the refusal; Detail says it in words (the range,
	// the rule).
	Reason Reason
	Detail string
}

func (e *RefusedError) Error() string {
	target := e.Host
	if e.Addr.IsValid() && e.Addr.String() != e.Host {
		target += " (" + e.Addr.String() + ")"
	}
	return fmt.Sprintf("netguard: refused %s: %s: %s", target, e.Reason, e.Detail)
}

// Is makes errors.Is(err, ErrRefused) true.
func (e *RefusedError) Is(target error) bool { return target == ErrRefused }
