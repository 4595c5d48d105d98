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
	urlAnchor := hasAnchor(r.URL)
	if len(hits) == 0 && !mayCarry(r, urlAnchor) {
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
	sigs := observeURL(req, u, urlAnchor, hits, c.memo)
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
