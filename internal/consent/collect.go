package consent

import (
	"hash/maphash"
	"net/url"
	"strings"

	"github.com/leakwatch/leakwatch/internal/pixel"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// Bounds of a Collector: what it keeps does not grow with the requests.
const (
	maxDistinctSignals = 2000     // distinct signals kept; the rest are counted
	maxMemo            = 4096     // decoded values remembered
	maxObservedBody    = 64 << 10 // request body bytes read for consent fields
	maxRawKept         = 2048     // bytes of a signal's raw value kept
)

// Observed is one distinct signal of a capture (same kind, host, place,
// field and value) with how many requests carried it and the first one.
type Observed struct {
	Signal
	// Requests counts the requests that carried it.
	Requests int `json:"requests"`
}

// Collector reads a capture request by request and keeps what a report
// needs: each distinct consent signal once, with its count, and the
// platforms' evidence. Its memory is bounded by the distinct signals and
// platforms (capped), not by the number of requests.
type Collector struct {
	det     detector
	memo    memo
	index   map[string]int // distinct signal key → position in sigs
	sigs    []Observed
	dropped int // signals not kept past maxDistinctSignals
	// cookies remembers the platforms each distinct cookie set showed (by
	// a hash of the Cookie header): a site sends the same cookies with
	// most of its requests.
	cookies map[uint64][]cookieMatch
	seed    maphash.Seed
}

// NewCollector returns an empty Collector.
func NewCollector() *Collector {
	return &Collector{det: detector{found: map[string]map[[2]string]*Evidence{}}, memo: memo{}, index: map[string]int{},
		cookies: map[uint64][]cookieMatch{}, seed: maphash.MakeSeed()}
}

// Add observes one request, with the vendor hits pixel decoded of it, and
// returns the signals it carried (its own, for the caller to relate to
// other findings of the same request).
func (c *Collector) Add(r *traffic.Request, hits []pixel.Hit) []Signal {
	u := parseURL(r.URL)
	c.detect(r, u)
	if len(hits) == 0 && !mayCarry(r) {
		return nil
	}
	if len(r.Body) > maxObservedBody { // cut before FromTraffic copies it
		cut := *r
		cut.Body = cut.Body[:maxObservedBody]
		r = &cut
	}
	req := FromTraffic(r)
	if len(c.memo) > maxMemo {
		c.memo = memo{}
	}
	sigs := observeURL(req, u, hits, c.memo)
	for _, s := range sigs {
		c.det.signal(s)
		c.keep(s)
	}
	return sigs
}

// detect matches a request against the platform table: its host and
// path, and its cookies (read once per distinct set of cookies).
func (c *Collector) detect(r *traffic.Request, u *url.URL) {
	if u == nil {
		return
	}
	c.det.hostPath(strings.ToLower(u.Hostname()), u.Path, r.Index)
	var h maphash.Hash
	h.SetSeed(c.seed)
	for _, v := range r.Headers.Values("Cookie") {
		h.WriteString(v)
		h.WriteByte(0)
	}
	for _, ck := range r.Cookies {
		h.WriteString(ck.Name)
		h.WriteByte('=')
		h.WriteString(ck.Value)
		h.WriteByte(0)
	}
	key := h.Sum64()
	ms, ok := c.cookies[key]
	if !ok {
		ms = cookieMatchesOf(r.Headers, r.Cookies)
		if len(c.cookies) >= maxMemo {
			c.cookies = map[uint64][]cookieMatch{}
		}
		c.cookies[key] = ms
	}
	for _, m := range ms {
		c.det.add(m.platform, "cookie", m.cookie, r.Index)
	}
}

// anchors are strings every consent field name holds one of (lower case),
// and the Consent Mode parameters read from Google requests no decoder
// knows: a request holding none of them carries no consent field.
var anchors = []string{"consent", "gdpr", "gpp", "privacy", "usp", "ccpa", "tcstring", "tc_string", "gcs=", "gcd=", "npa=", "dma="}

// mayCarry reports whether a request may carry a consent field: one of the
// anchors in its URL, cookies or body (its first 64 KiB), or an opt-out
// header.
func mayCarry(r *traffic.Request) bool {
	if hasAnchor(r.URL) || r.Headers.Get("Sec-GPC") != "" || r.Headers.Get("DNT") != "" {
		return true
	}
	for _, v := range r.Headers.Values("Cookie") {
		if namesHaveAnchor(v, ";") {
			return true
		}
	}
	for _, ck := range r.Cookies {
		if hasAnchor(ck.Name) {
			return true
		}
	}
	body := r.Body
	if len(body) > maxObservedBody {
		body = body[:maxObservedBody]
	}
	if hasAnchor(body) {
		return true
	}
	for _, p := range r.Params {
		if hasAnchor(p.Name) {
			return true
		}
	}
	return false
}

// anchorsByFirst lists the anchors by their first letter, both cases.
var anchorsByFirst = func() (t [256][]string) {
	for _, a := range anchors {
		t[a[0]] = append(t[a[0]], a)
		t[a[0]-'a'+'A'] = append(t[a[0]-'a'+'A'], a)
	}
	return t
}()

// hasAnchor reports whether s holds an anchor, ignoring ASCII case.
func hasAnchor[T string | []byte](s T) bool {
	for i := 0; i < len(s); i++ {
		for _, a := range anchorsByFirst[s[i]] {
			if len(s)-i >= len(a) && equalFoldASCII(s[i:i+len(a)], a) {
				return true
			}
		}
	}
	return false
}

// namesHaveAnchor reports whether a name of s's name=value parts (split
// at any of seps) holds an anchor: values, the bulk of a query or a Cookie
// header, are not read.
func namesHaveAnchor(s, seps string) bool {
	for len(s) > 0 {
		end := strings.IndexAny(s, seps)
		part := s
		if end >= 0 {
			part, s = s[:end], s[end+1:]
		} else {
			s = ""
		}
		if name, _, _ := strings.Cut(part, "="); hasAnchor(name) {
			return true
		}
	}
	return false
}

func equalFoldASCII[T string | []byte](s T, lower string) bool {
	for j := 0; j < len(lower); j++ {
		c := s[j]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[j] {
			return false
		}
	}
	return true
}

func (c *Collector) keep(s Signal) {
	key := strings.Join([]string{string(s.Kind), s.Host, s.Source, s.Field, s.Raw}, "\x00")
	if i, ok := c.index[key]; ok {
		c.sigs[i].Requests++
		return
	}
	if len(c.sigs) >= maxDistinctSignals {
		c.dropped++
		return
	}
	if len(s.Raw) > maxRawKept {
		s.Raw = s.Raw[:maxRawKept]
	}
	c.index[key] = len(c.sigs)
	c.sigs = append(c.sigs, Observed{Signal: s, Requests: 1})
}

// Signals returns the distinct signals in the order first seen, and how
// many more were not kept.
func (c *Collector) Signals() ([]Observed, int) { return c.sigs, c.dropped }

// Platforms returns the platforms the requests so far show.
func (c *Collector) Platforms() []Platform { return c.det.platforms() }

// ClickIDs are the query parameters that carry an ad click identifier.
var ClickIDs = []string{"gclid", "dclid", "gbraid", "wbraid", "gclsrc", "fbclid", "msclkid", "ttclid", "twclid", "li_fat_id", "epik", "ScCid"}

// ClickID returns the first ad click identifier parameter in a URL, or the
// URL passed in one of its parameters (Google hits carry the page URL in
// dl, url or ref), and its value.
func ClickID(rawURL string) (name, value string) {
	return clickID(rawURL, 2)
}

func clickID(rawURL string, depth int) (name, value string) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", ""
	}
	q := u.Query()
	for _, id := range ClickIDs {
		if v := q.Get(id); v != "" {
			return id, v
		}
	}
	for _, k := range []string{"dl", "url", "ref", "dr", "frm"} {
		if v := q.Get(k); depth > 0 && strings.Contains(v, "?") {
			if n, val := clickID(v, depth-1); n != "" {
				return n, val
			}
		}
	}
	return "", ""
}
