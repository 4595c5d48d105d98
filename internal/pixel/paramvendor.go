package pixel

import (
	"net/url"
	"strings"

	"github.com/leakwatch/leakwatch/internal/codec"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// paramVendor describes a vendor whose hits are the query and form parameters
// of a request (a pixel, a ping, a sendBeacon), so that adding such a vendor
// is filling in a table entry: where it is sent, what its parameters mean,
// and where its account ID and event are.
type paramVendor struct {
	Vendor, Product string
	// Match accepts the request by host and path.
	Match func(u *url.URL) bool
	Rules *rules
	// Account, when set, reads the account ID from the URL (a path
	// segment); otherwise the first AccountID field is the account.
	Account func(u *url.URL) string
	// Event, when set, names the event when no field does.
	Event func(u *url.URL) string
	// Body, when set (splitOn), decodes a JSON body into hits, one per
	// element of the named array; the query parameters are shared by all.
	Body *string
}

// decoder turns the description into a table entry.
func (bc paramVendor) decoder() Decoder {
	return Decoder{
		Vendor:  bc.Vendor,
		Product: bc.Product,
		Match:   func(_ *traffic.Request, u *url.URL) bool { return bc.Match(u) },
		Decode:  bc.decode,
	}
}

// decode returns the hits of a matched request. A request that carries no
// parameters and no body (a script or frame load, a bare redirect) carries
// no event data and yields no hit.
func (bc paramVendor) decode(r *traffic.Request, u *url.URL) []Hit {
	ps := allParams(r, u)
	body := requestBody(r)
	if len(ps) == 0 && len(body) == 0 {
		return nil
	}
	var hits []Hit
	if bc.Body != nil && len(body) > 0 && formParams(r) == nil && looksJSONBytes(body) {
		q := paramHit(bc.Vendor, bc.Product, bc.Rules, ps)
		hits = jsonHits(bc.Vendor, bc.Product, bc.Rules, body, *bc.Body)
		for i := range hits {
			hits[i].Fields = append(q.Fields[:len(q.Fields):len(q.Fields)], hits[i].Fields...)
		}
	} else {
		h := paramHit(bc.Vendor, bc.Product, bc.Rules, ps)
		addBodyRest(&h, r, bc.Rules)
		hits = []Hit{h}
	}
	for i := range hits {
		if bc.Account != nil && hits[i].Account == "" {
			hits[i].Account = bc.Account(u)
		}
		if bc.Event != nil && hits[i].Event == "" && !hasMeaning(hits[i].Fields, EventName) {
			hits[i].Event = bc.Event(u)
		}
	}
	return hits
}

// matchHostPath returns a matcher for a request to one of hosts (or their
// subdomains) whose lowercased path starts with one of prefixes.
func matchHostPath(hosts []string, prefixes ...string) func(*url.URL) bool {
	return func(u *url.URL) bool {
		return hostIs(u, hosts...) && pathHasPrefix(u, prefixes...)
	}
}

// queryHas reports whether u's query has every one of names, as
// u.Query().Has would, without building the map: matchers run on every
// request, most of which they do not match.
func queryHas(u *url.URL, names ...string) bool {
	for _, n := range names {
		if !rawQueryHas(u.RawQuery, n) {
			return false
		}
	}
	return true
}

// rawQueryHas reports whether query has a pair named name that
// url.ParseQuery keeps: no ';' in it, key and value both unescaping.
func rawQueryHas(query, name string) bool {
	for query != "" {
		var pair string
		pair, query, _ = strings.Cut(query, "&")
		if pair == "" || strings.Contains(pair, ";") {
			continue
		}
		key, value, _ := strings.Cut(pair, "=")
		if strings.ContainsAny(key, "%+") {
			k, err := url.QueryUnescape(key)
			if err != nil {
				continue
			}
			key = k
		}
		if key != name {
			continue
		}
		if _, err := url.QueryUnescape(value); err == nil {
			return true
		}
	}
	return false
}

// pathSegmentAt returns a function reading the n-th path segment.
func pathSegmentAt(n int) func(*url.URL) string {
	return func(u *url.URL) string { return pathSegment(u, n) }
}

// pathLast names the event by the last path segment ("pixel", "ping").
func pathLast(u *url.URL) string {
	p := strings.TrimSuffix(u.EscapedPath(), "/")
	return codec.QueryUnescape(p[strings.LastIndexByte(p, '/')+1:])
}

// eventNamed returns a function naming every hit's event the same.
func eventNamed(event string) func(*url.URL) string {
	return func(*url.URL) string { return event }
}

// splitOn names the array of a JSON body whose elements are one hit each
// ("" a root array, "-" none: the whole body is one hit).
func splitOn(s string) *string { return &s }
