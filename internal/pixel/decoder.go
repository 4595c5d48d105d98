package pixel

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// Decoder decodes the hits of one vendor product. Match looks at the host
// and the path (never the host alone: vendors serve scripts from the same
// hosts); Decode returns the hits of a matched request, with every field of
// the request named (unknown parameters as Raw).
type Decoder struct {
	Vendor, Product string
	Match           func(r *traffic.Request, u *url.URL) bool
	Decode          func(r *traffic.Request, u *url.URL) []Hit
}

// table is the decoder table, most specific first: the first decoder whose
// Match accepts a request decodes it. Adding a vendor is adding its file and
// one line here.
var table = []Decoder{
	metaPixel,
	linkedInInsight,
	snapPixel,
	microsoftUET,
	googleAnalytics4,
	universalAnalytics,
	googleAds,
	floodlight,
	googleAdManagerAudience,
	googleAnalyticsAudiences,
	googleTagCCM,
	pinterestTag,
	tiktokPixel,
	xPixel,
	redditPixel,
	criteoOneTag,
	adobeAnalytics,
	yandexMetrica,
	microsoftClarity,
	fullStory,
	hotjar,
	segment,
	amplitude,
	mixpanel,
	postHog,
	snowplow,
	klaviyo,
	quantcast,
	oracleInfinity,
	adobeECID,
	adobeAudienceManager,
	adobeTarget,
	adobeWebSDK,
	comscore,
	integralAdScience,
	kruxBeacon,
	chartbeat,
	nielsen,
	maxymiser,
	moatPixel,
	newRelicBrowser,
	atInternet,
	gemius,
	permutive,
	xandrPixel,
	outbrainPixel,
	taboola,
	teadsPixel,
	marfeelCompass,
	tradeDeskPixel,
	hubspotAnalytics,
	tealiumCollect,
	optimizelyEvents,
	medalliaDXA,
	googleAnalyticsClassic,
	yahooDot,
	heapAnalytics,
	parsely,
	matomo,
	adformTrackPoint,
	amazonAdTag,
	rtbHouseTag,
	zemantaPixel,
}

// Decoders returns the decoder table in match order.
func Decoders() []Decoder {
	out := make([]Decoder, len(table))
	copy(out, table)
	return out
}

// Decode returns all hits of one request, each with RequestIndex set. A
// request no decoder matches yields nil, and so does a matched request that
// carries no event data (see dropEmpty) or a CORS preflight. Decode never
// panics: a decoder that fails on hostile input yields no hits for that
// request.
func Decode(r *traffic.Request) []Hit {
	if r == nil {
		return nil
	}
	u, err := url.Parse(r.URL)
	hits, _ := safeDecode(r, u, err)
	return hits
}

// safeDecode is Decode of a request whose URL was parsed as u (or failed
// to parse with err), for a caller that needs u too; ok is false when a
// decoder panicked, so that the caller can say so.
func safeDecode(r *traffic.Request, u *url.URL, err error) (hits []Hit, ok bool) {
	defer func() {
		if recover() != nil {
			hits, ok = nil, false
		}
	}()
	if err != nil {
		return nil, true
	}
	return decodeURL(r, u), true
}

// decode is Decode without the safety net, for the fuzz target.
func decode(r *traffic.Request) []Hit {
	if r == nil {
		return nil
	}
	u, err := url.Parse(r.URL)
	if err != nil {
		return nil
	}
	return decodeURL(r, u)
}

// decodeURL decodes r, whose URL parsed as u. Decoders only read u.
func decodeURL(r *traffic.Request, u *url.URL) []Hit {
	if strings.EqualFold(r.Method, "OPTIONS") || u.Host == "" {
		return nil // a CORS preflight is not a hit; the request it precedes is
	}
	for _, d := range table {
		if !d.Match(r, u) {
			continue
		}
		hits := dropEmpty(d.Decode(r, u))
		for i := range hits {
			hits[i].RequestIndex = r.Index
			if hits[i].Vendor == "" {
				hits[i].Vendor = d.Vendor
			}
			if hits[i].Product == "" {
				hits[i].Product = d.Product
			}
			fillAccountEvent(&hits[i])
		}
		return hits
	}
	return nil
}

// dropEmpty removes hits with no field at all: a request that matched a
// decoder but carried no event data is not a hit.
func dropEmpty(hits []Hit) []Hit {
	out := hits[:0]
	for _, h := range hits {
		if len(h.Fields) > 0 {
			out = append(out, h)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// parseURL parses a request URL that must have a host.
func parseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("parse request URL: %w", err)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("parse request URL %q: no host", truncate(raw, 100))
	}
	return u, nil
}

// fillAccountEvent sets Account and Event from the first fields tagged with
// those meanings when the decoder left them empty.
func fillAccountEvent(h *Hit) {
	for _, f := range h.Fields {
		if h.Account == "" && f.Meaning == AccountID && f.Value != "" {
			h.Account = f.Value
		}
		if h.Event == "" && f.Meaning == EventName && f.Value != "" {
			h.Event = f.Value
		}
	}
}

// host returns the lowercased host of u without port. A host that is
// already lower-case ASCII with no port, brackets or final dot (almost
// every one) is returned as it is, without the three passes.
func host(u *url.URL) string {
	h := u.Host
	if h == "" || h[len(h)-1] == '.' {
		return strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	}
	for i := 0; i < len(h); i++ {
		if c := h[i]; c == ':' || c == '[' || c >= 'A' && c <= 'Z' || c >= 0x80 {
			return strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
		}
	}
	return h
}

// hostIs reports whether u's host is one of names or a subdomain of one.
func hostIs(u *url.URL, names ...string) bool {
	return hostIn(host(u), names...)
}

// hostIn reports whether host h is one of names or a subdomain of one.
func hostIn(h string, names ...string) bool {
	for _, n := range names {
		if strings.HasSuffix(h, n) && (len(h) == len(n) || h[len(h)-len(n)-1] == '.') {
			return true
		}
	}
	return false
}

// pathIs reports whether u's path equals one of paths, ignoring a trailing
// slash and case.
func pathIs(u *url.URL, paths ...string) bool {
	p := strings.ToLower(strings.TrimSuffix(u.EscapedPath(), "/"))
	for _, x := range paths {
		if p == strings.TrimSuffix(x, "/") {
			return true
		}
	}
	return false
}

// pathHasPrefix reports whether u's lowercased path starts with one of prefixes.
func pathHasPrefix(u *url.URL, prefixes ...string) bool {
	p := strings.ToLower(u.EscapedPath())
	for _, x := range prefixes {
		if strings.HasPrefix(p, x) {
			return true
		}
	}
	return false
}
