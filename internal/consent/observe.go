package consent

import (
	"encoding/json"
	"fmt"
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
	host := hostOf(req.URL)
	var out []Signal
	for _, p := range requestPairs(req) {
		c, ok := channelFor(p.name, p.at)
		if !ok || p.value == "" || placeholder(p.value) {
			continue
		}
		s := Signal{Kind: c.kind, Request: req.Index, Host: host, Source: p.source, Field: p.name, Raw: p.value}
		if m.decode(&s, c) {
			out = append(out, s)
		}
	}
	out = append(out, headerSignals(req, host)...)
	return append(out, hitSignals(req, host, hits)...)
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
	key := fmt.Sprintf("%s\x00%v\x00%s", c.kind, c.strict, s.Raw)
	if e, hit := m[key]; hit {
		s.TC, s.GPP, s.USP, s.Applies = e.s.TC, e.s.GPP, e.s.USP, e.s.Applies
		s.SectionIDs, s.ACProviders, s.Err = e.s.SectionIDs, e.s.ACProviders, e.s.Err
		return e.ok
	}
	ok := decodeValue(s, c)
	m[key] = memoEntry{*s, ok}
	return ok
}

// hostOf returns the lower-case host of a URL ("" if it does not parse).
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}

// requestPairs lists the name/value pairs of a request's URL, body and
// cookies.
//
// A part holding no anchor (every consent field name holds one) is not
// split at all: most requests carry no consent field, and parsing their
// bodies and cookies would cost more than the rest of this package.
func requestPairs(req Request) []pair {
	var out []pair
	if hasAnchor(req.URL) {
		if u, err := url.Parse(req.URL); err == nil {
			out = appendPairs(out, u.RawQuery, "&;", "query", inQuery)
			out = appendPairs(out, u.EscapedPath(), ";/", "path", inQuery)
		}
	}
	if bodyMayCarry(req.Body) {
		out = append(out, bodyPairs(req)...)
	}
	if cookiesHaveAnchor(req) {
		out = append(out, cookiePairs(req)...)
	}
	return out
}

// bodyMayCarry reports whether a body may hold a consent field: an anchor
// inside a name, that is in a run of name characters that a channel
// reads ("gdpr_consent" in a JSON key or a form field), not merely the word
// "consent" in running text.
func bodyMayCarry(body string) bool {
	for i := 0; i < len(body); i++ {
		for _, a := range anchorsByFirst[body[i]] {
			if len(body)-i < len(a) || !equalFoldASCII(body[i:i+len(a)], a) {
				continue
			}
			from, to := i, i+len(a)
			for from > 0 && i-from < 40 && nameByte(body[from-1]) {
				from--
			}
			for to < len(body) && to-i < 40 && nameByte(body[to]) {
				to++
			}
			if _, ok := channelFor(body[from:to], inQuery|inForm|inJSON|inCookie); ok {
				return true
			}
		}
	}
	return false
}

// nameByte reports a byte that may stand in a field name.
func nameByte(c byte) bool {
	return c == '_' || c == '-' || c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'z'
}

// cookiesHaveAnchor reports whether a cookie name or value holds an anchor.
func cookiesHaveAnchor(req Request) bool {
	for _, v := range req.Headers.Values("Cookie") {
		if namesHaveAnchor(v, ";") {
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

// appendPairs splits s on any of seps into name=value pairs, unescaping
// each; parts without "=" are skipped.
func appendPairs(out []pair, s, seps, source string, at place) []pair {
	n := 0
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(seps, r) }) {
		name, value, ok := strings.Cut(part, "=")
		if !ok || name == "" {
			continue
		}
		if n++; n > maxPairs {
			break
		}
		out = append(out, pair{codec.QueryUnescape(name), codec.QueryUnescape(value), source, at})
	}
	return out
}

// bodyPairs reads a form-encoded or JSON body.
func bodyPairs(req Request) []pair {
	body := strings.TrimSpace(req.Body)
	if body == "" || len(body) > maxBodyText {
		return nil
	}
	mt, _, _ := mime.ParseMediaType(req.BodyMIME)
	if mt == "" {
		mt, _, _ = mime.ParseMediaType(req.Headers.Get("Content-Type"))
	}
	switch {
	case strings.Contains(mt, "json") || strings.HasPrefix(body, "{") || strings.HasPrefix(body, "["):
		return jsonPairs(body)
	case mt == "application/x-www-form-urlencoded" || (mt == "" || mt == "text/plain") && !strings.ContainsAny(body, " \n<"):
		return appendPairs(nil, body, "&", "body", inForm)
	}
	return nil
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

// cookiePairs lists the cookies sent: the Cookie header's, then recorded
// ones the header did not hold (HAR exporters record both).
func cookiePairs(req Request) []pair {
	var out []pair
	seen := map[string]bool{}
	for _, h := range req.Headers.Values("Cookie") {
		for _, c := range strings.Split(h, ";") {
			name, value, ok := strings.Cut(strings.TrimSpace(c), "=")
			if !ok || len(out) >= maxPairs {
				continue
			}
			seen[name+"="+value] = true
			out = append(out, pair{name, codec.QueryUnescape(value), "cookie", inCookie})
		}
	}
	for _, c := range req.Cookies {
		if !seen[c.Name+"="+c.Value] && len(out) < maxPairs {
			seen[c.Name+"="+c.Value] = true
			out = append(out, pair{c.Name, codec.QueryUnescape(c.Value), "cookie", inCookie})
		}
	}
	return out
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
func hitSignals(req Request, host string, hits []pixel.Hit) []Signal {
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
		if s, ok := undecodedGoogle(req, host); ok {
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
func undecodedGoogle(req Request, host string) (Signal, bool) {
	rd := party.RegistrableDomain(host)
	if !strings.HasPrefix(rd, "google.") && !slices.Contains(googleDomains, rd) {
		return Signal{}, false
	}
	u, err := url.Parse(req.URL)
	if err != nil {
		return Signal{}, false
	}
	h := pixel.Hit{Vendor: "Google", Product: "Google"}
	ps := appendPairs(nil, u.RawQuery, "&;", "query", inQuery)
	for _, p := range appendPairs(ps, u.EscapedPath(), ";/", "path", inQuery) {
		switch p.name {
		case "gcs", "gcd", "npa", "dma", "dma_cps", "pscdl":
			h.Fields = append(h.Fields, pixel.Field{Name: p.name, Value: p.value})
		}
	}
	cm, ok := pixel.ConsentState(h)
	if !ok {
		return Signal{}, false
	}
	return Signal{Kind: KindConsentMode, Request: req.Index, Host: host, Source: "query",
		Field: consentFields(cm), Raw: consentRaw(cm), ConsentMode: &ConsentMode{Product: h.Product, GoogleConsent: cm}}, true
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
