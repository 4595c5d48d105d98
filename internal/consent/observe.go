package consent

import (
	"encoding/json"
	"mime"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/leakwatch/leakwatch/internal/codec"
	"github.com/leakwatch/leakwatch/internal/party"
	"github.com/leakwatch/leakwatch/internal/pixel"
)

// Bounds on what Observe reads of one request.
const (
	maxBodyText  = 1 << 20 // bodies larger than this are not read
	maxJSONDepth = 32
	maxPairs     = 4096 // name/value pairs read from one place
)

// pair is one name/value pair and where it was found.
type pair struct {
	name, value, source string
	at                  place
}

// Observe returns the consent and opt-out signals one request carries, in
// a fixed order: URL, body, cookies, headers, then what its vendor hits
// (internal/pixel) declare: Google Consent Mode, Meta Limited Data Use.
// Empty values and unfilled ad-server macros are not signals; bodies over
// 1 MiB are not read.
func Observe(req Request) []Signal {
	return ObserveWithHits(req, pixel.Decode(req.toTraffic()))
}

// ObserveWithHits is Observe for a caller that already decoded the
// request's vendor hits with pixel.Decode, so they are not decoded twice.
func ObserveWithHits(req Request, hits []pixel.Hit) []Signal {
	return observe(req, hits, memo{})
}

// ObserveAll observes every request, in order. A value sent again (a
// consent cookie goes with every request to its site) is decoded once:
// its signals share the decoded TC, GPP and USP values, which callers must
// treat as read-only.
func ObserveAll(reqs []Request) []Signal {
	var out []Signal
	m := memo{}
	for _, r := range reqs {
		out = append(out, observe(r, pixel.Decode(r.toTraffic()), m)...)
	}
	return out
}

// observe is ObserveWithHits with a decode memo.
func observe(req Request, hits []pixel.Hit, m memo) []Signal {
	return observeURL(req, parseURL(req.URL), hasAnchor(req.URL), hits, m)
}

// parseURL parses a request URL once for every reader; nil when it does
// not parse.
func parseURL(raw string) *url.URL {
	u, err := url.Parse(raw)
	if err != nil {
		return nil
	}
	return u
}

// observeURL is observe of a request whose URL is parsed (u, nil when it
// does not parse) and looked at for anchors (urlAnchor, hasAnchor of it).
func observeURL(req Request, u *url.URL, urlAnchor bool, hits []pixel.Hit, m memo) []Signal {
	o := observer{req: req, host: hostOf(u), m: m}
	o.requestFields(u, urlAnchor)
	o.out = append(o.out, headerSignals(req, o.host)...)
	return append(o.out, hitSignals(req, u, o.host, hits)...)
}

// observer reads one request's fields into signals.
type observer struct {
	req  Request
	host string
	m    memo
	out  []Signal
}

// field reads one name=value field, a signal when the name is a channel's
// in that place and the value is one; escaped says the value is still
// query-escaped (it is unescaped only then).
func (o *observer) field(name, value, source string, at place, escaped bool) {
	c, ok := channelFor(name, at)
	if !ok {
		return
	}
	if escaped {
		value = codec.QueryUnescape(value)
	}
	if value == "" || placeholder(value) {
		return
	}
	s := Signal{Kind: c.kind, Request: o.req.Index, Host: o.host, Source: source, Field: name, Raw: value}
	if o.m.decode(&s, c) {
		o.out = append(o.out, s)
	}
}

// memo remembers decoded values by channel kind, strictness and value.
type memo map[string]memoEntry

// memoEntry is a value's decoded fields and whether it was a signal.
type memoEntry struct {
	s  Signal
	ok bool
}

// decode is decodeValue, once per distinct value.
func (m memo) decode(s *Signal, c channel) bool {
	key := string(c.kind) + "\x00" + strconv.FormatBool(c.strict) + "\x00" + s.Raw
	if e, hit := m[key]; hit {
		s.TC, s.GPP, s.USP, s.Applies = e.s.TC, e.s.GPP, e.s.USP, e.s.Applies
		s.SectionIDs, s.ACProviders, s.Err = e.s.SectionIDs, e.s.ACProviders, e.s.Err
		return e.ok
	}
	ok := decodeValue(s, c)
	m[key] = memoEntry{*s, ok}
	return ok
}

// hostOf returns the lower-case host of a parsed URL ("" for nil).
func hostOf(u *url.URL) string {
	if u == nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}

// requestFields reads the fields of a request's URL, body and cookies, in
// that order.
//
// A part holding no anchor (every consent field name holds one) is not
// split at all, and of the parts that are, only the names and values of
// fields a channel reads are unescaped: most requests carry no consent
// field, and reading all of theirs would cost more than the rest of this
// package.
func (o *observer) requestFields(u *url.URL, urlAnchor bool) {
	if u != nil && urlAnchor {
		o.pairs(u.RawQuery, "&;", "query", inQuery)
		o.pairs(u.EscapedPath(), ";/", "path", inQuery)
	}
	if may, quoted := bodyNames(o.req.Body); may || bodyEscapesName(o.req.Body) {
		o.body(quoted)
	}
	if cookiesHaveAnchor(o.req) {
		eachCookie(o.req.Headers, o.req.Cookies, func(name, value string) {
			o.field(name, value, "cookie", inCookie, true)
		})
	}
}

// pairs reads the name=value parts of s split at any of seps, names and
// values query-escaped.
func (o *observer) pairs(s, seps, source string, at place) {
	p := pairScanner{s: s, seps: seps}
	for name, value, ok := p.next(); ok; name, value, ok = p.next() {
		if strings.IndexByte(name, '%') >= 0 || strings.IndexByte(name, '+') >= 0 {
			name = codec.QueryUnescape(name)
		}
		o.field(name, value, source, at, true)
	}
}

// cookiesHaveAnchor reports whether a cookie name holds an anchor.
func cookiesHaveAnchor(req Request) bool {
	for _, v := range req.Headers.Values("Cookie") {
		if namesHaveAnchor(v) {
			return true
		}
	}
	for _, c := range req.Cookies {
		if hasAnchor(c.Name) {
			return true
		}
	}
	return false
}

// body reads a form-encoded or JSON body. A JSON body with no key that
// may name a channel (quoted, of bodyNames, or jsonMayName) is not
// decoded.
func (o *observer) body(quoted bool) {
	body := strings.TrimSpace(o.req.Body)
	if body == "" || len(body) > maxBodyText {
		return
	}
	mt, _, _ := mime.ParseMediaType(o.req.BodyMIME)
	if mt == "" {
		mt, _, _ = mime.ParseMediaType(o.req.Headers.Get("Content-Type"))
	}
	switch {
	case strings.Contains(mt, "json") || strings.HasPrefix(body, "{") || strings.HasPrefix(body, "["):
		if jsonMayName(body, quoted) {
			for _, p := range jsonPairs(body) {
				o.field(p.name, p.value, p.source, p.at, false)
			}
		}
	case mt == "application/x-www-form-urlencoded" || (mt == "" || mt == "text/plain") && !strings.ContainsAny(body, " \n<"):
		o.pairs(body, "&", "body", inForm)
	}
}

// jsonPairs walks a JSON body and returns its scalar leaves by key, arrays
// of scalars joined by ",". Nesting deeper than maxJSONDepth is cut off.
func jsonPairs(body string) []pair {
	var v any
	d := json.NewDecoder(strings.NewReader(body))
	d.UseNumber()
	if d.Decode(&v) != nil {
		return nil
	}
	var out []pair
	walkJSON(v, "", 0, &out)
	return out
}

// walkJSON appends the leaves of v under key.
func walkJSON(v any, key string, depth int, out *[]pair) {
	if depth > maxJSONDepth || len(*out) >= maxPairs {
		return
	}
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			walkJSON(x[k], k, depth+1, out)
		}
	case []any:
		if s, ok := scalars(x); ok && key != "" {
			*out = append(*out, pair{key, s, "json body", inJSON})
			return
		}
		for _, e := range x {
			walkJSON(e, key, depth+1, out)
		}
	default:
		if s, ok := scalar(v); ok && key != "" {
			*out = append(*out, pair{key, s, "json body", inJSON})
		}
	}
}

// scalars joins an array of scalars with ","; ok is false for an empty
// array or one holding objects or arrays.
func scalars(xs []any) (string, bool) {
	if len(xs) == 0 {
		return "", false
	}
	parts := make([]string, 0, len(xs))
	for _, x := range xs {
		s, ok := scalar(x)
		if !ok {
			return "", false
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ","), true
}

// scalar renders a JSON string, number or bool.
func scalar(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case json.Number:
		return x.String(), true
	case bool:
		return strconv.FormatBool(x), true
	}
	return "", false
}

// headerSignals reads the opt-out headers: Sec-GPC and DNT.
func headerSignals(req Request, host string) []Signal {
	var out []Signal
	for _, h := range []struct {
		kind Kind
		name string
	}{{KindGPC, "Sec-GPC"}, {KindDNT, "DNT"}} {
		v := strings.TrimSpace(req.Headers.Get(h.name))
		if v == "" {
			continue
		}
		s := Signal{Kind: h.kind, Request: req.Index, Host: host, Source: "header", Field: h.name, Raw: v}
		if b, ok := boolValue(v); ok {
			s.Applies = &b
		} else {
			s.Err = "not 0 or 1"
		}
		out = append(out, s)
	}
	return out
}

// hitSignals reads what internal/pixel decodes of the request: the Consent
// Mode state of each Google hit (one signal per distinct state) and the
// Limited Data Use options of each Meta hit.
func hitSignals(req Request, u *url.URL, host string, hits []pixel.Hit) []Signal {
	var out []Signal
	seen := map[string]bool{}
	for _, h := range hits {
		if cm, ok := pixel.ConsentState(h); ok {
			key := strings.Join([]string{cm.GCS, cm.GCD, cm.NPA, cm.DMA, cm.DMACPS, cm.PSCDL}, "\x00")
			if seen[key] {
				continue
			}
			seen[key] = true
			out = append(out, Signal{Kind: KindConsentMode, Request: req.Index, Host: host, Source: "pixel",
				Field: consentFields(cm), Raw: consentRaw(cm), ConsentMode: &ConsentMode{Product: h.Product, GoogleConsent: cm}})
		}
		if ldu, ok := limitedDataUse(h); ok && !seen["dpo\x00"+ldu.Options+ldu.Country+ldu.State] {
			seen["dpo\x00"+ldu.Options+ldu.Country+ldu.State] = true
			out = append(out, Signal{Kind: KindMetaLDU, Request: req.Index, Host: host, Source: "pixel",
				Field: "dpo", Raw: ldu.Options, LDU: &ldu})
		}
	}
	if len(seen) == 0 {
		if s, ok := undecodedGoogle(req, u, host); ok {
			out = append(out, s)
		}
	}
	return out
}

// googleDomains are the registrable domains, besides google.<suffix>,
// Google's tags send Consent Mode parameters to.
var googleDomains = []string{"doubleclick.net", "googleadservices.com", "googlesyndication.com",
	"google-analytics.com", "googletagmanager.com"}

// undecodedGoogle reads the Consent Mode parameters of a Google request
// internal/pixel has no decoder for (/pagead/landing, Floodlight's
// ";"-separated parameters), reusing pixel's reading of them.
func undecodedGoogle(req Request, u *url.URL, host string) (Signal, bool) {
	if u == nil || !mayBeGoogle(host) {
		return Signal{}, false
	}
	rd := party.RegistrableDomain(host)
	if !strings.HasPrefix(rd, "google.") && !slices.Contains(googleDomains, rd) {
		return Signal{}, false
	}
	h := pixel.Hit{Vendor: "Google", Product: "Google"}
	for _, part := range [...][2]string{{u.RawQuery, "&;"}, {u.EscapedPath(), ";/"}} {
		p := pairScanner{s: part[0], seps: part[1]}
		for name, value, ok := p.next(); ok; name, value, ok = p.next() {
			switch name := codec.QueryUnescape(name); name {
			case "gcs", "gcd", "npa", "dma", "dma_cps", "pscdl":
				h.Fields = append(h.Fields, pixel.Field{Name: name, Value: codec.QueryUnescape(value)})
			}
		}
	}
	cm, ok := pixel.ConsentState(h)
	if !ok {
		return Signal{}, false
	}
	return Signal{Kind: KindConsentMode, Request: req.Index, Host: host, Source: "query",
		Field: consentFields(cm), Raw: consentRaw(cm), ConsentMode: &ConsentMode{Product: h.Product, GoogleConsent: cm}}, true
}

// mayBeGoogle reports whether a (lower-case) host may be Google's, before
// its registrable domain is worked out: that domain is part of the host.
func mayBeGoogle(host string) bool {
	if strings.Contains(host, "google.") {
		return true
	}
	for _, d := range googleDomains {
		if strings.Contains(host, d) {
			return true
		}
	}
	return false
}

// consentParams are the Consent Mode parameters in the order reported.
func consentParams(cm pixel.GoogleConsent) [][2]string {
	return [][2]string{{"gcs", cm.GCS}, {"gcd", cm.GCD}, {"npa", cm.NPA}, {"dma", cm.DMA}, {"dma_cps", cm.DMACPS}, {"pscdl", cm.PSCDL}}
}

// consentFields names the Consent Mode parameters present ("gcs,gcd").
func consentFields(cm pixel.GoogleConsent) string {
	var names []string
	for _, p := range consentParams(cm) {
		if p[1] != "" {
			names = append(names, p[0])
		}
	}
	return strings.Join(names, ",")
}

// consentRaw renders the parameters present as a query ("gcs=G111&gcd=...").
func consentRaw(cm pixel.GoogleConsent) string {
	var parts []string
	for _, p := range consentParams(cm) {
		if p[1] != "" {
			parts = append(parts, p[0]+"="+p[1])
		}
	}
	return strings.Join(parts, "&")
}

// limitedDataUse reads a Meta hit's dpo, dpoco and dpost as pixel decoded
// them.
func limitedDataUse(h pixel.Hit) (LimitedDataUse, bool) {
	if h.Vendor != "Meta" {
		return LimitedDataUse{}, false
	}
	var l LimitedDataUse
	found := false
	for _, f := range h.Fields {
		switch f.Name {
		case "dpo":
			l.Options, found = f.Value, true
		case "dpo>limited_data_use":
			l.Enabled = f.Value == "on"
		case "dpoco>country":
			l.Country = f.Value
		case "dpost>state":
			l.State = f.Value
		}
	}
	return l, found
}
