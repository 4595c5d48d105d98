package pixel

import (
	"fmt"
	"math"
	"strings"

	"github.com/leakwatch/leakwatch/internal/party"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// Identifier thresholds. A cookie value is identifier-like when it has at
// least minIDLen characters, Shannon entropy of at least minIDBitsPerChar
// bits per character and minIDBits in total, and is not a timestamp,
// boolean, URL or JSON. Cookie syncing uses Privacy Badger's rule: a shared
// substring of at least minIDLen characters with more than minSyncBits bits
// of estimated (character-class) entropy.
const (
	minIDLen         = 8
	minIDBitsPerChar = 2.5
	minIDBits        = 24
	minSyncBits      = 33
	maxCookieValue   = 256  // longer values are cut before they are kept
	maxURLKept       = 4096 // bytes of a third-party URL kept for sync checks
)

// cookieEvidence is what one third-party domain set and received.
type cookieEvidence struct {
	set, sent map[string]bool
	requests  map[int]bool
}

// identifier is a cookie value seen in the traffic and who held it.
type identifier struct {
	name       string // cookie name
	owner      string // registrable domain of the party that holds it
	firstParty bool
	candidates []string // substrings that qualify under the sync rule
}

// urlRecord is a third-party request kept for the cookie-sync check: its URL
// with the page URL and user agent removed, decoded, and capped.
type urlRecord struct {
	index  int
	domain string
	host   string
	text   string
	page   string // the page URL, lowercased
}

// recordCookies notes cookies set and sent and identifier-like values.
func (a *Analyzer) recordCookies(r *traffic.Request, p party.Party) {
	sent := requestCookies(r)
	var set []traffic.Cookie
	if r.Response != nil {
		set = responseCookies(r.Response)
	}
	if len(sent)+len(set) == 0 {
		return
	}
	if p.ThirdParty {
		e := a.cookies[p.Domain]
		if e == nil {
			e = &cookieEvidence{set: map[string]bool{}, sent: map[string]bool{}, requests: map[int]bool{}}
			a.cookies[strings.Clone(p.Domain)] = e
		}
		for _, c := range set {
			e.set[strings.Clone(c.Name)] = true
		}
		for _, c := range sent {
			e.sent[strings.Clone(c.Name)] = true
		}
		e.requests[r.Index] = true
	}
	for _, c := range append(sent, set...) {
		if !identifierLike(c.Value) {
			continue
		}
		ev := evidence(a.idCookies, p.Domain)
		ev.domain = strings.Clone(p.Domain)
		ev.add(r.Index, c.Name)
		a.addIdentifier(c, p)
	}
}

// addIdentifier remembers a cookie value for the cookie-sync check.
func (a *Analyzer) addIdentifier(c traffic.Cookie, p party.Party) {
	v := c.Value
	if len(v) > maxCookieValue {
		v = v[:maxCookieValue]
	}
	if _, ok := a.identifiers[v]; ok {
		return
	}
	cands := syncCandidates(v)
	if len(cands) == 0 {
		return
	}
	v = strings.Clone(v)
	for i := range cands {
		cands[i] = strings.Clone(cands[i])
	}
	a.identifiers[v] = &identifier{name: strings.Clone(c.Name), owner: strings.Clone(p.Domain),
		firstParty: !p.ThirdParty, candidates: cands}
}

// requestCookies returns the cookies a request sent: as recorded, else
// parsed from its Cookie headers.
func requestCookies(r *traffic.Request) []traffic.Cookie {
	if len(r.Cookies) > 0 {
		return r.Cookies
	}
	var out []traffic.Cookie
	for _, h := range r.Headers.Values("Cookie") {
		for _, kv := range strings.Split(h, ";") {
			name, value, ok := strings.Cut(strings.TrimSpace(kv), "=")
			if ok && name != "" {
				out = append(out, traffic.Cookie{Name: name, Value: value})
			}
		}
	}
	return out
}

// responseCookies returns the cookies a response set: as recorded, else
// parsed from its Set-Cookie headers.
func responseCookies(resp *traffic.Response) []traffic.Cookie {
	if len(resp.Cookies) > 0 {
		return resp.Cookies
	}
	var out []traffic.Cookie
	for _, h := range resp.Headers.Values("Set-Cookie") {
		for _, line := range strings.Split(h, "\n") { // HAR exporters join repeats with newlines
			first, _, _ := strings.Cut(line, ";")
			name, value, ok := strings.Cut(strings.TrimSpace(first), "=")
			if ok && name != "" {
				out = append(out, traffic.Cookie{Name: name, Value: strings.Trim(value, `"`)})
			}
		}
	}
	return out
}

// identifierLike reports whether a cookie value looks like an identifier.
func identifierLike(v string) bool {
	if len(v) < minIDLen || isTimestamp(v) || strings.Contains(v, "://") ||
		strings.HasPrefix(v, "{") || strings.HasPrefix(v, "[") || strings.Contains(v, " ") {
		return false
	}
	switch strings.ToLower(v) {
	case "true", "false", "yes", "no", "null", "undefined":
		return false
	}
	h := shannon(v)
	return h >= minIDBitsPerChar && h*float64(len(v)) >= minIDBits
}

// shannon is the Shannon entropy of s in bits per byte.
func shannon(s string) float64 {
	var counts [256]int
	for i := 0; i < len(s); i++ {
		counts[s[i]]++
	}
	h, n := 0.0, float64(len(s))
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / n
			h -= p * math.Log2(p)
		}
	}
	return h
}

// isTimestamp reports whether s is a Unix time in seconds or milliseconds
// between 2000 and 2100.
func isTimestamp(s string) bool {
	if !isDigits(s) || (len(s) != 10 && len(s) != 13) {
		return false
	}
	var n int64
	for i := 0; i < 10; i++ {
		n = n*10 + int64(s[i]-'0')
	}
	return n >= 946684800 && n < 4102444800
}

// classBits estimates entropy as Privacy Badger does: length times log2 of
// the size of the character classes present.
func classBits(s string) float64 {
	var digit, lower, upper, other bool
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digit = true
		case c >= 'a' && c <= 'z':
			lower = true
		case c >= 'A' && c <= 'Z':
			upper = true
		default:
			other = true
		}
	}
	size := 0
	for _, x := range []struct {
		on bool
		n  int
	}{{digit, 10}, {lower, 26}, {upper, 26}, {other, 33}} {
		if x.on {
			size += x.n
		}
	}
	if size < 2 {
		return 0
	}
	return float64(len(s)) * math.Log2(float64(size))
}

// syncCandidates returns the substrings of v, made of whole runs of
// alphanumeric tokens, that qualify as identifiers: longest first.
func syncCandidates(v string) []string {
	type span struct{ start, end int }
	var toks []span
	start := -1
	for i := 0; i <= len(v); i++ {
		alnum := i < len(v) && isAlnum(v[i])
		if alnum && start < 0 {
			start = i
		}
		if !alnum && start >= 0 {
			toks = append(toks, span{start, i})
			start = -1
		}
	}
	if len(toks) > 8 { // at most 36 candidates per value
		toks = toks[:8]
	}
	var out []string
	seen := map[string]bool{}
	for n := len(toks); n >= 1; n-- {
		for i := 0; i+n <= len(toks); i++ {
			s := v[toks[i].start:toks[i+n-1].end]
			if len(s) < minIDLen || seen[s] || isTimestamp(s) || classBits(s) <= minSyncBits {
				continue
			}
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func (a *Analyzer) cookieFindings() []Finding {
	var out []Finding
	for _, d := range sortedKeys(a.cookies) {
		e := a.cookies[d]
		set, sent := sortedSet(e.set), sortedSet(e.sent)
		company := a.companyOf(d)
		var parts []string
		if len(set) > 0 {
			parts = append(parts, fmt.Sprintf("set %d cookie(s)", len(set)))
		}
		if len(sent) > 0 {
			parts = append(parts, fmt.Sprintf("received %d cookie(s)", len(sent)))
		}
		out = append(out, Finding{
			Type: FindingThirdPartyCookie, Vendor: company, Domain: d,
			Summary:  fmt.Sprintf("Third party %s (%s) %s.", company, d, strings.Join(parts, " and ")),
			Details:  []Detail{{"set", strings.Join(set, ",")}, {"sent", strings.Join(sent, ",")}},
			Requests: sortedInts(e.requests),
		})
	}
	for _, d := range sortedKeys(a.idCookies) {
		e := a.idCookies[d]
		names := sortedSet(e.keys)
		company := a.companyOf(d)
		out = append(out, Finding{
			Type: FindingIdentifierCookie, Vendor: company, Domain: d,
			Summary: fmt.Sprintf("Cookies of %s hold identifier-like values: %s.", d,
				strings.Join(names, ", ")),
			Details:  []Detail{{"cookies", strings.Join(names, ",")}},
			Requests: sortedInts(e.requests),
		})
	}
	return out
}
