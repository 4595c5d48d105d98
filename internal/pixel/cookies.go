package pixel

import (
	"fmt"
	"math"
	"net/url"
	"strings"

	"github.com/leakwatch/leakwatch/internal/party"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// Identifier thresholds. A cookie value is identifier-like when it has at
// least minIDLen characters, Shannon entropy of at least minIDBitsPerChar
// bits per character and minIDBits in total, and is not a timestamp,
// boolean, URL or JSON. Cookie syncing uses Privacy Badger's rule on whole
// tokens (see idrules.go): at least minIDLen characters with more than
// minSyncBits bits of estimated (character-class) entropy.
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
	requests  requestSet
	dropped   int // names beyond maxNamesPerFinding
}

// addName records a cookie name in set, within the per-finding cap.
func (e *cookieEvidence) addName(set map[string]bool, name string) {
	name = capName(name)
	if set[name] {
		return
	}
	if len(e.set)+len(e.sent) >= 2*maxNamesPerFinding {
		e.dropped++
		return
	}
	set[strings.Clone(name)] = true
}

// recordCookies notes cookies set and sent and identifier-like values.
// The cookies are listed in a buffer the Analyzer reuses (and clears, so
// that it holds no request's memory after the request).
func (a *Analyzer) recordCookies(r *traffic.Request, p party.Party) {
	list := appendRequestCookies(a.cookieBuf[:0], r)
	nSent := len(list)
	if r.Response != nil {
		list = appendResponseCookies(list, r.Response)
	}
	defer a.keepCookieBuf(list)
	if len(list) == 0 {
		return
	}
	sent, set := list[:nSent], list[nSent:]
	if p.ThirdParty {
		e := a.cookies[p.Domain]
		if e == nil {
			e = &cookieEvidence{set: map[string]bool{}, sent: map[string]bool{}}
			a.cookies[strings.Clone(p.Domain)] = e
		}
		for _, c := range set {
			e.addName(e.set, c.name)
		}
		for _, c := range sent {
			e.addName(e.sent, c.name)
		}
		e.requests.add(r.Index)
	}
	var ev *keyedEvidence
	for _, c := range list { // sent, then set
		if len(c.value) < minIDLen || !a.cookieSeen(c.name, c.value, p, r.Index) {
			continue
		}
		if ev == nil {
			ev = evidence(a.idCookies, p.Domain)
			if ev.domain == "" {
				ev.domain = strings.Clone(p.Domain)
			}
		}
		ev.add(r.Index, c.name)
	}
}

// syncSource returns the text of a cookie value whose tokens are looked
// for in URLs: percent-decoded once, and not a URL (a stored landing page
// or referrer repeats the page's own parts, not an identifier).
func syncSource(v string) (string, bool) {
	if len(v) < minIDLen {
		return "", false
	}
	if strings.Contains(v, "%") {
		if d, err := url.QueryUnescape(v); err == nil {
			v = d
		}
	}
	return v, len(v) >= minIDLen && !strings.Contains(v, "://")
}

// maxCookieBuf is the most cookies whose room the Analyzer keeps between
// requests: a request with more gets a list of its own.
const maxCookieBuf = 1024

// keepCookieBuf keeps list's room for the next request, cleared, unless it
// is larger than maxCookieBuf.
func (a *Analyzer) keepCookieBuf(list []cookiePair) {
	clear(list)
	a.cookieBuf = nil
	if cap(list) <= maxCookieBuf {
		a.cookieBuf = list[:0]
	}
}

// cookiePair is a cookie's name and value.
type cookiePair struct{ name, value string }

// appendRequestCookies appends the cookies a request sent: as recorded,
// else parsed from its Cookie headers.
func appendRequestCookies(dst []cookiePair, r *traffic.Request) []cookiePair {
	if len(r.Cookies) > 0 {
		for _, c := range r.Cookies {
			dst = append(dst, cookiePair{c.Name, c.Value})
		}
		return dst
	}
	for _, x := range r.Headers {
		if !strings.EqualFold(x.Name, "Cookie") {
			continue
		}
		for h, more := x.Value, true; more; {
			var kv string
			kv, h, more = strings.Cut(h, ";")
			name, value, ok := strings.Cut(strings.TrimSpace(kv), "=")
			if ok && name != "" {
				dst = append(dst, cookiePair{name, value})
			}
		}
	}
	return dst
}

// appendResponseCookies appends the cookies a response set: as recorded,
// else parsed from its Set-Cookie headers.
func appendResponseCookies(dst []cookiePair, resp *traffic.Response) []cookiePair {
	if len(resp.Cookies) > 0 {
		for _, c := range resp.Cookies {
			dst = append(dst, cookiePair{c.Name, c.Value})
		}
		return dst
	}
	for _, h := range resp.Headers.Values("Set-Cookie") {
		for _, line := range strings.Split(h, "\n") { // HAR exporters join repeats with newlines
			first, _, _ := strings.Cut(line, ";")
			name, value, ok := strings.Cut(strings.TrimSpace(first), "=")
			if ok && name != "" {
				dst = append(dst, cookiePair{name, strings.Trim(value, `"`)})
			}
		}
	}
	return dst
}

// identifierLike reports whether a cookie value looks like an identifier.
func identifierLike(v string) bool {
	if len(v) < minIDLen || isTimestamp(v) || strings.Contains(v, "://") ||
		strings.HasPrefix(v, "{") || strings.HasPrefix(v, "[") || strings.Contains(v, " ") {
		return false
	}
	// The words are at most 9 bytes long, in any case folding (a value
	// here has at least minIDLen bytes; the folds that lengthen a word,
	// "ſ" for "s", only reach 6).
	for _, w := range []string{"true", "false", "yes", "no", "null", "undefined"} {
		if len(v) <= 9 && strings.EqualFold(v, w) {
			return false
		}
	}
	if n := len(v); n >= 10 && n <= maxCountedLen {
		// Entropy is at least log2(n/c), c the count of the most frequent
		// byte. n² > 32c² puts it above 2.5 bits (minIDBitsPerChar) by at
		// least 4e-8, far beyond rounding, and 10 bytes of it above
		// minIDBits: the value passes without the logarithms.
		if c := maxCount(v); n*n > 32*c*c {
			return true
		}
	}
	h := shannon(v)
	return h >= minIDBitsPerChar && h*float64(len(v)) >= minIDBits
}

// maxCountedLen bounds the strings maxCount counts, and with them how
// small the margins of the entropy shortcuts can get.
const maxCountedLen = 4096

// maxCount returns how often the most frequent byte of s occurs; s has at
// most maxCountedLen bytes.
func maxCount(s string) int {
	var counts [256]uint16
	top := uint16(0)
	for i := 0; i < len(s); i++ {
		counts[s[i]]++
		top = max(top, counts[s[i]])
	}
	return int(top)
}

// shannon is the Shannon entropy of s in bits per byte: log2(n) less the
// mean of c·log2(c) over the counts c of its bytes, each term read from a
// table while counts are small (cookie values are cut at maxCookieValue).
// The terms are summed in the order the bytes first occur in s: a second
// pass over s meets them in that order and takes each count once.
func shannon(s string) float64 {
	if len(s) == 0 {
		return 0
	}
	if len(s) <= math.MaxUint16 {
		var counts [256]uint16
		return entropy(s, &counts)
	}
	var counts [256]int
	return entropy(s, &counts)
}

// entropy is shannon with counts of a type that can hold len(s).
func entropy[T uint16 | int](s string, counts *[256]T) float64 {
	for i := 0; i < len(s); i++ {
		counts[s[i]]++
	}
	sum, n := 0.0, float64(len(s))
	for i := 0; i < len(s); i++ {
		c := int(counts[s[i]])
		if c == 0 {
			continue
		}
		counts[s[i]] = 0
		if c < len(cLog2c) {
			sum += cLog2c[c]
		} else {
			sum += float64(c) * math.Log2(float64(c))
		}
	}
	return max(0, math.Log2(n)-sum/n)
}

// cLog2c holds c·log2(c) for the counts shannon meets most.
var cLog2c = func() (t [1025]float64) {
	for c := 1; c < len(t); c++ {
		t[c] = float64(c) * math.Log2(float64(c))
	}
	return t
}()

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
			Requests: e.requests.sorted(),
		})
	}
	for _, d := range sortedKeys(a.idCookies) {
		e := a.idCookies[d]
		names := e.names()
		company := a.companyOf(d)
		out = append(out, Finding{
			Type: FindingIdentifierCookie, Vendor: company, Domain: d,
			Summary: fmt.Sprintf("Cookies of %s hold identifier-like values: %s.", d,
				strings.Join(names, ", ")),
			Details:  []Detail{{"cookies", strings.Join(names, ",")}},
			Requests: e.requests.sorted(),
		})
	}
	return out
}
