package netguard

import (
	"encoding/binary"
	"net/netip"
)

// rangeRule refuses the addresses of a prefix.
type rangeRule struct {
	prefix netip.Prefix
	reason Reason
	detail string
}

func rule(cidr string, r Reason, detail string) rangeRule {
	return rangeRule{netip.MustParsePrefix(cidr), r, detail}
}

// metadataRules are the cloud instance-metadata endpoints. They come first
// and AllowPrivate does not lift them: only an explicit allow-list entry does.
var metadataRules = []rangeRule{
	rule("169.254.169.254/32", Metadata, "instance metadata (AWS, GCP, Azure, OCI, OpenStack)"),
	rule("169.254.170.2/32", Metadata, "AWS ECS task metadata"),
	rule("169.254.170.23/32", Metadata, "AWS EKS pod identity agent"),
	rule("169.254.169.123/32", Metadata, "AWS time sync service"),
	rule("169.254.169.253/32", Metadata, "AWS VPC DNS resolver"),
	rule("100.100.100.200/32", Metadata, "Alibaba Cloud metadata"),
	rule("192.0.0.192/32", Metadata, "Oracle Cloud legacy metadata"),
	rule("fd00:ec2::254/128", Metadata, "AWS IPv6 instance metadata"),
	rule("fd00:ec2::23/128", Metadata, "AWS IPv6 time sync service"),
	rule("fd20:ce::254/128", Metadata, "GCP IPv6 metadata"),
}

// v4Rules are the IPv4 special-purpose ranges (IANA registry, RFC 6890)
// that a public web site cannot live in.
var v4Rules = []rangeRule{
	rule("0.0.0.0/8", Unspecified, `"this network" 0.0.0.0/8 (RFC 1122)`),
	rule("10.0.0.0/8", Private, "private 10.0.0.0/8 (RFC 1918)"),
	rule("100.64.0.0/10", SharedAddress, "carrier-grade NAT 100.64.0.0/10 (RFC 6598)"),
	rule("127.0.0.0/8", Loopback, "loopback 127.0.0.0/8"),
	rule("169.254.0.0/16", LinkLocal, "link-local 169.254.0.0/16 (RFC 3927)"),
	rule("172.16.0.0/12", Private, "private 172.16.0.0/12 (RFC 1918)"),
	rule("192.0.0.0/24", Reserved, "IETF protocol assignments 192.0.0.0/24 (RFC 6890)"),
	rule("192.0.2.0/24", Documentation, "documentation TEST-NET-1 192.0.2.0/24 (RFC 5737)"),
	rule("192.88.99.0/24", Reserved, "deprecated 6to4 relay anycast 192.88.99.0/24 (RFC 7526)"),
	rule("192.168.0.0/16", Private, "private 192.168.0.0/16 (RFC 1918)"),
	rule("198.18.0.0/15", Benchmarking, "benchmarking 198.18.0.0/15 (RFC 2544)"),
	rule("198.51.100.0/24", Documentation, "documentation TEST-NET-2 198.51.100.0/24 (RFC 5737)"),
	rule("203.0.113.0/24", Documentation, "documentation TEST-NET-3 203.0.113.0/24 (RFC 5737)"),
	rule("224.0.0.0/4", Multicast, "multicast 224.0.0.0/4"),
	rule("255.255.255.255/32", Broadcast, "limited broadcast 255.255.255.255"),
	rule("240.0.0.0/4", Reserved, "reserved 240.0.0.0/4 (RFC 1112)"),
}

// v6Rules are the IPv6 special-purpose ranges. Addresses that embed an
// IPv4 address are unwrapped before these apply (see embedded); anything
// outside global unicast 2000::/3 that no rule names is refused as reserved.
var v6Rules = []rangeRule{
	rule("::/128", Unspecified, "unspecified ::"),
	rule("::1/128", Loopback, "loopback ::1"),
	rule("64:ff9b:1::/48", Private, "local-use NAT64 64:ff9b:1::/48 (RFC 8215)"),
	rule("100::/64", Reserved, "discard-only 100::/64 (RFC 6666)"),
	rule("2001:2::/48", Benchmarking, "benchmarking 2001:2::/48 (RFC 5180)"),
	rule("2001:10::/28", Reserved, "ORCHID 2001:10::/28 (RFC 4843)"),
	rule("2001:20::/28", Reserved, "ORCHIDv2 2001:20::/28 (RFC 7343)"),
	rule("2001:db8::/32", Documentation, "documentation 2001:db8::/32 (RFC 3849)"),
	rule("3fff::/20", Documentation, "documentation 3fff::/20 (RFC 9637)"),
	rule("5f00::/16", Reserved, "SRv6 SIDs 5f00::/16 (RFC 9602)"),
	rule("fc00::/7", Private, "unique local fc00::/7 (RFC 4193)"),
	rule("fe80::/10", LinkLocal, "link-local fe80::/10"),
	rule("fec0::/10", Private, "deprecated site-local fec0::/10 (RFC 3879)"),
	rule("ff00::/8", Multicast, "multicast ff00::/8"),
}

var globalUnicast = netip.MustParsePrefix("2000::/3")

// embedding is an IPv6 form that carries an IPv4 address.
type embedding struct {
	prefix netip.Prefix
	name   string
	// v4 extracts the carried IPv4 addresses from the 16 bytes.
	v4 func(b [16]byte) []netip.Addr
	// global says the form itself reaches the carried address over the
	// public internet, so a public carried address is fine.
	global bool
}

func low32(b [16]byte) []netip.Addr { return []netip.Addr{netip.AddrFrom4([4]byte(b[12:16]))} }

// teredo carries the server (bits 32-63) and the client, inverted (96-127).
func teredo(b [16]byte) []netip.Addr {
	c := binary.BigEndian.Uint32(b[12:16]) ^ 0xffffffff
	var client [4]byte
	binary.BigEndian.PutUint32(client[:], c)
	return []netip.Addr{netip.AddrFrom4([4]byte(b[4:8])), netip.AddrFrom4(client)}
}

var embeddings = []embedding{
	{netip.MustParsePrefix("::ffff:0:0/96"), "IPv4-mapped", low32, true},
	{netip.MustParsePrefix("::ffff:0:0:0/96"), "IPv4-translated (SIIT)", low32, false},
	{netip.MustParsePrefix("64:ff9b::/96"), "NAT64", low32, true},
	{netip.MustParsePrefix("2002::/16"), "6to4", func(b [16]byte) []netip.Addr {
		return []netip.Addr{netip.AddrFrom4([4]byte(b[2:6]))}
	}, true},
	{netip.MustParsePrefix("2001::/32"), "Teredo", teredo, true},
	// IPv4-compatible last: :: and ::1 are handled by v6Rules first.
	{netip.MustParsePrefix("::/96"), "IPv4-compatible (deprecated)", low32, false},
}

// classify returns why a is not a public unicast address, or "" when it is.
func classify(a netip.Addr) (Reason, string) {
	a = a.WithZone("")
	if r, d := match(metadataRules, a.Unmap()); r != "" {
		return r, d
	}
	if a.Is4() {
		return match(v4Rules, a)
	}
	if r, d := match(v6Rules, a); r != "" {
		return r, d
	}
	for _, e := range embeddings {
		if e.prefix.Contains(a) {
			return classifyEmbedded(e, a)
		}
	}
	if !globalUnicast.Contains(a) {
		return Reserved, "outside IPv6 global unicast 2000::/3"
	}
	return "", ""
}

// classifyEmbedded refuses a when any IPv4 address it carries is refused,
// or when its form does not reach the public internet.
func classifyEmbedded(e embedding, a netip.Addr) (Reason, string) {
	for _, v4 := range e.v4(a.As16()) {
		if r, d := classify(v4); r != "" {
			return r, e.name + " form of " + v4.String() + ": " + d
		}
	}
	if !e.global {
		return Reserved, e.name + " address " + a.String() + " is not routable"
	}
	return "", ""
}

func match(rules []rangeRule, a netip.Addr) (Reason, string) {
	for _, r := range rules {
		if r.prefix.Contains(a) {
			return r.reason, r.detail
		}
	}
	return "", ""
}
