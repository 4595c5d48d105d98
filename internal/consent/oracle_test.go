package consent

import (
	"hash/maphash"
	"mime"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/leakwatch/leakwatch/internal/codec"
	"github.com/leakwatch/leakwatch/internal/party"
	"github.com/leakwatch/leakwatch/internal/pixel"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// This file keeps the Collector as it was before it was made cheaper on
// tracker-dense traffic (every pair built and unescaped, every cookie
// against every platform rule): the oracle the equivalence tests and
// fuzz targets hold the new code to. It is test-only and not maintained
// beyond that.

// oldCollector is the former Collector.
type oldCollector struct {
	det     detector
	memo    memo
	index   map[string]int
	sigs    []Observed
	dropped int
	cookies map[uint64][]cookieMatch
	seed    maphash.Seed
}

func newOldCollector() *oldCollector {
	return &oldCollector{det: detector{found: map[string]map[[2]string]*Evidence{}}, memo: memo{}, index: map[string]int{},
		cookies: map[uint64][]cookieMatch{}, seed: maphash.MakeSeed()}
}

func (c *oldCollector) Add(r *traffic.Request, hits []pixel.Hit) []Signal {
	c.detect(r)
	if len(hits) == 0 && !oldMayCarry(r) {
		return nil
	}
	if len(r.Body) > maxObservedBody {
		cut := *r
		cut.Body = cut.Body[:maxObservedBody]
		r = &cut
	}
	req := FromTraffic(r)
	if len(c.memo) > maxMemo {
		c.memo = memo{}
	}
	sigs := oldObserve(req, hits, c.memo)
	for _, s := range sigs {
		c.det.signal(s)
		c.keepOld(s)
	}
	return sigs
}

func (c *oldCollector) keepOld(s Signal) {
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

func (c *oldCollector) detect(r *traffic.Request) {
	u, err := url.Parse(r.URL)
	if err != nil {
		return
	}
	oldHostPath(&c.det, strings.ToLower(u.Hostname()), u.Path, r.Index)
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
		ms = oldCookieMatchesOf(Request{Headers: r.Headers, Cookies: r.Cookies})
		if len(c.cookies) >= maxMemo {
			c.cookies = map[uint64][]cookieMatch{}
		}
		c.cookies[key] = ms
	}
	for _, m := range ms {
		c.det.add(m.platform, "cookie", m.cookie, r.Index)
	}
}

// oldDetectSignals is the former DetectSignals.
func oldDetectSignals(reqs []Request, sigs []Signal) []Platform {
	d := detector{found: map[string]map[[2]string]*Evidence{}}
	for _, r := range reqs {
		u, err := url.Parse(r.URL)
		if err != nil {
			continue
		}
		oldHostPath(&d, strings.ToLower(u.Hostname()), u.Path, r.Index)
		for _, m := range oldCookieMatchesOf(r) {
			d.add(m.platform, "cookie", m.cookie, r.Index)
		}
	}
	for _, s := range sigs {
		d.signal(s)
	}
	return d.platforms()
}

// oldObserveAll is the former ObserveAll.
func oldObserveAll(reqs []Request) []Signal {
	var out []Signal
	m := memo{}
	for _, r := range reqs {
		out = append(out, oldObserve(r, pixel.Decode(r.toTraffic()), m)...)
	}
	return out
}

func oldHostPath(d *detector, host, path string, index int) {
	for _, p := range platformRules {
		for _, h := range p.Hosts {
			if host == h || strings.HasSuffix(host, "."+h) {
				d.add(p.Name, "host", host, index)
			}
		}
		for _, x := range p.Paths {
			if strings.Contains(path, x) {
				d.add(p.Name, "path", x+" on "+host, index)
			}
		}
	}
}

func oldCookieMatchesOf(r Request) []cookieMatch {
	var out []cookieMatch
	for _, c := range oldCookiePairs(r) {
		for _, p := range platformRules {
			if oldCookieMatches(p.Cookies, c.name, c.value) {
				out = append(out, cookieMatch{p.Name, c.name})
			}
		}
	}
	return out
}

func oldCookieMatches(rules []CookieRule, name, value string) bool {
	for _, c := range rules {
		n, prefix := strings.CutSuffix(c.Name, "*")
		ok := strings.EqualFold(name, n) || prefix && strings.HasPrefix(strings.ToLower(name), strings.ToLower(n))
		if ok && strings.Contains(value, c.Contains) {
			return true
		}
	}
	return false
}

func oldObserve(req Request, hits []pixel.Hit, m memo) []Signal {
	host := oldHostOf(req.URL)
	var out []Signal
	for _, p := range oldRequestPairs(req) {
		c, ok := oldChannelFor(p.name, p.at)
		if !ok || p.value == "" || placeholder(p.value) {
			continue
		}
		s := Signal{Kind: c.kind, Request: req.Index, Host: host, Source: p.source, Field: p.name, Raw: p.value}
		if m.decode(&s, c) {
			out = append(out, s)
		}
	}
	out = append(out, headerSignals(req, host)...)
	return append(out, oldHitSignals(req, host, hits)...)
}

func oldHostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}

// jsonUEscape is a JSON \uXXXX escape.
var jsonUEscape = regexp.MustCompile(`\\u[0-9a-fA-F]{4}`)

func oldRequestPairs(req Request) []pair {
	var out []pair
	if oldHasAnchor(req.URL) {
		if u, err := url.Parse(req.URL); err == nil {
			out = oldAppendPairs(out, u.RawQuery, "&;", "query", inQuery)
			out = oldAppendPairs(out, u.EscapedPath(), ";/", "path", inQuery)
		}
	}
	// A channel name whose name bytes are escaped (us%5Fprivacy,
	// gdpr\u005fconsent) counts too: a rule added after the code this
	// oracle copies, written here the plain way.
	if oldBodyMayCarry(req.Body) || oldBodyMayCarry(codec.QueryUnescape(req.Body)) ||
		oldBodyMayCarry(jsonUEscape.ReplaceAllStringFunc(req.Body, func(e string) string {
			n, _ := strconv.ParseUint(e[2:], 16, 32)
			return string(rune(n))
		})) {
		out = append(out, oldBodyPairs(req)...)
	}
	if oldCookiesHaveAnchor(req) {
		out = append(out, oldCookiePairs(req)...)
	}
	return out
}

func oldBodyMayCarry(body string) bool {
	for i := 0; i < len(body); i++ {
		for _, a := range oldAnchorsByFirst[body[i]] {
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
			if _, ok := oldChannelFor(body[from:to], inQuery|inForm|inJSON|inCookie); ok {
				return true
			}
		}
	}
	return false
}

func oldCookiesHaveAnchor(req Request) bool {
	for _, v := range req.Headers.Values("Cookie") {
		if oldNamesHaveAnchor(v, ";") {
			return true
		}
	}
	for _, c := range req.Cookies {
		if oldHasAnchor(c.Name) {
			return true
		}
	}
	return false
}

func oldAppendPairs(out []pair, s, seps, source string, at place) []pair {
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

func oldBodyPairs(req Request) []pair {
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
		return oldAppendPairs(nil, body, "&", "body", inForm)
	}
	return nil
}

func oldCookiePairs(req Request) []pair {
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

func oldChannelFor(name string, at place) (channel, bool) {
	for _, c := range channels {
		if c.where&at == 0 {
			continue
		}
		for _, n := range c.names {
			if strings.EqualFold(n, name) {
				return c, true
			}
		}
	}
	return channel{}, false
}

func oldHitSignals(req Request, host string, hits []pixel.Hit) []Signal {
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
		if s, ok := oldUndecodedGoogle(req, host); ok {
			out = append(out, s)
		}
	}
	return out
}

func oldUndecodedGoogle(req Request, host string) (Signal, bool) {
	rd := party.RegistrableDomain(host)
	if !strings.HasPrefix(rd, "google.") && !slices.Contains(googleDomains, rd) {
		return Signal{}, false
	}
	u, err := url.Parse(req.URL)
	if err != nil {
		return Signal{}, false
	}
	h := pixel.Hit{Vendor: "Google", Product: "Google"}
	ps := oldAppendPairs(nil, u.RawQuery, "&;", "query", inQuery)
	for _, p := range oldAppendPairs(ps, u.EscapedPath(), ";/", "path", inQuery) {
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

func oldMayCarry(r *traffic.Request) bool {
	if oldHasAnchor(r.URL) || r.Headers.Get("Sec-GPC") != "" || r.Headers.Get("DNT") != "" {
		return true
	}
	for _, v := range r.Headers.Values("Cookie") {
		if oldNamesHaveAnchor(v, ";") {
			return true
		}
	}
	for _, ck := range r.Cookies {
		if oldHasAnchor(ck.Name) {
			return true
		}
	}
	body := r.Body
	if len(body) > maxObservedBody {
		body = body[:maxObservedBody]
	}
	if oldHasAnchor(body) {
		return true
	}
	for _, p := range r.Params {
		if oldHasAnchor(p.Name) {
			return true
		}
	}
	return false
}

var oldAnchorsByFirst = func() (t [256][]string) {
	for _, a := range anchors {
		t[a[0]] = append(t[a[0]], a)
		t[a[0]-'a'+'A'] = append(t[a[0]-'a'+'A'], a)
	}
	return t
}()

func oldHasAnchor[T string | []byte](s T) bool {
	for i := 0; i < len(s); i++ {
		for _, a := range oldAnchorsByFirst[s[i]] {
			if len(s)-i >= len(a) && equalFoldASCII(s[i:i+len(a)], a) {
				return true
			}
		}
	}
	return false
}

func oldNamesHaveAnchor(s, seps string) bool {
	for len(s) > 0 {
		end := strings.IndexAny(s, seps)
		part := s
		if end >= 0 {
			part, s = s[:end], s[end+1:]
		} else {
			s = ""
		}
		if name, _, _ := strings.Cut(part, "="); oldHasAnchor(name) {
			return true
		}
	}
	return false
}
