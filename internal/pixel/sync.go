package pixel

import (
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/leakwatch/leakwatch/internal/party"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// urlRecord is a third-party request kept for the cookie-sync check: its
// index, its host (an index into Analyzer.hosts) and its URL text (an
// index into Analyzer.texts, where identical texts are kept once).
type urlRecord struct {
	index int32
	host  int32
	text  int32
}

// keptHost is a receiving host and its registrable domain.
type keptHost struct {
	host, domain string
}

// recordURL keeps a third-party request's URL for the cookie-sync check,
// with the page URL, the Referer and the user agent removed (values that
// legitimately repeat cookie-looking text), percent-decoded and capped.
// Kept text counts against the URL budget; past it the request is counted
// as not checked.
func (a *Analyzer) recordURL(r *traffic.Request, p party.Party, pageURL string) {
	a.recordPage(pageURL)
	if !p.ThirdParty {
		return
	}
	s := syncText(r, pageURL, a.embeddedDocs(r.URL))
	id, ok := a.textIDs[s]
	_, known := a.hostIDs[p.Host]
	cost := recordCost
	if !ok {
		cost += len(s) + entryCost
	}
	if !known {
		cost += len(p.Host) + len(p.Domain) + 2*entryCost
	}
	if !a.charge(cost) {
		a.limits.note(limitURLBytes, r.Index)
		return
	}
	if !ok {
		id = int32(len(a.texts))
		s = strings.Clone(s)
		a.texts = append(a.texts, s)
		a.textIDs[s] = id
	}
	a.urls = append(a.urls, urlRecord{index: int32(r.Index), host: a.hostID(p), text: id})
}

// syncText is the part of a request URL searched for identifiers. extra
// are more values to remove (documents' URLs the request carries).
func syncText(r *traffic.Request, pageURL string, extra []string) string {
	s := r.URL
	if i := strings.Index(s, "://"); i >= 0 {
		s = s[i+3:]
	}
	if i := strings.IndexAny(s, "/?"); i >= 0 {
		s = s[i:]
	}
	if len(s) > 4*maxURLKept {
		s = s[:4*maxURLKept]
	}
	remove := removeForms(append([]string{pageURL, r.Headers.Get("Referer"), r.Headers.Get("User-Agent")}, extra...))
	s = removeAll(s, remove)
	for i := 0; i < 2; i++ {
		if d, err := url.QueryUnescape(s); err == nil {
			s = d
		}
	}
	s = removeAll(s, remove)
	if len(s) > maxURLKept {
		s = s[:maxURLKept]
	}
	return s
}

// recordDocument remembers the URL of a document (page or frame) request:
// a pixel inside a frame reports the frame's URL as its page, and what
// that URL carries is the frame's, not a sync to the pixel's owner.
func (a *Analyzer) recordDocument(r *traffic.Request) {
	if r.ResourceType != "document" && r.ResourceType != "subdocument" && r.Target != "iframe" {
		return
	}
	u := r.URL
	if len(u) > maxURLKept {
		return
	}
	if _, ok := a.docs[u]; ok {
		return
	}
	if len(a.docs) >= maxPagesKept || !a.charge(len(u)+entryCost) {
		a.limits.note(limitPages, r.Index)
		return
	}
	a.docs[strings.Clone(u)] = struct{}{}
}

// embeddedDocs returns the query values of rawURL that are the URL of a
// document seen in the capture.
func (a *Analyzer) embeddedDocs(rawURL string) []string {
	_, q, ok := strings.Cut(rawURL, "?")
	if !ok || len(a.docs) == 0 {
		return nil
	}
	if len(q) > 4*maxURLKept {
		q = q[:4*maxURLKept]
	}
	var out []string
	for _, kv := range strings.Split(q, "&") {
		_, v, _ := strings.Cut(kv, "=")
		if len(v) < minIDLen {
			continue
		}
		if d, err := url.QueryUnescape(v); err == nil {
			v = d
		}
		if _, ok := a.docs[v]; ok {
			out = append(out, v)
		}
	}
	return out
}

// charge takes n bytes from the kept-URL budget, or reports that it
// cannot.
func (a *Analyzer) charge(n int) bool {
	if a.keptBytes+n > a.opts.maxKeptURLBytes() {
		return false
	}
	a.keptBytes += n
	return true
}

// hostID interns a receiving host.
func (a *Analyzer) hostID(p party.Party) int32 {
	if id, ok := a.hostIDs[p.Host]; ok {
		return id
	}
	id := int32(len(a.hosts))
	h := keptHost{host: strings.Clone(p.Host), domain: a.intern(p.Domain)}
	a.hosts = append(a.hosts, h)
	a.hostIDs[h.host] = id
	return id
}

// removeForms lists the forms removeAll removes of each value long
// enough to matter: raw, query-escaped and path-escaped, in that order.
// They are escaped once for both passes of syncText.
func removeForms(values []string) []string {
	var forms []string
	for _, v := range values {
		if len(v) >= minIDLen {
			forms = append(forms, v, url.QueryEscape(v), url.PathEscape(v))
		}
	}
	return forms
}

// removeAll replaces each of forms in s by a space, in order.
func removeAll(s string, forms []string) string {
	for _, form := range forms {
		s = strings.ReplaceAll(s, form, " ")
	}
	return s
}

// flowKey is one cookie-sync flow: an identifier and who received it. The
// giver is the cookie the identifier is credited to.
type flowKey struct {
	id, receiver string
}

type flow struct {
	cand     *candidate
	host     string // the receiving host of the flow's first request
	first    int
	requests []int
}

// addRequest adds a request index, once.
func (f *flow) addRequest(i int) {
	if n := len(f.requests); n == 0 || f.requests[n-1] != i {
		f.requests = append(f.requests, i)
	}
}

// syncFindings applies the identifier rules to every kept third-party URL:
// each distinct kept text is scanned once against the index of all
// candidates (a hash lookup per token run, so the work is linear in the
// text whatever the number of identifiers). It returns the cookie-sync
// findings and the identifier-cookie findings of vendors' own cookies sent
// to their own domains.
func (a *Analyzer) syncFindings() []Finding {
	a.settleCandidates()
	flows := map[flowKey]*flow{}
	own := map[string]*keyedEvidence{}
	order := make([]int, len(a.urls))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return a.urls[order[i]].text < a.urls[order[j]].text })
	var matches []idMatch
	dropped := 0
	for k, ri := range order {
		rec := a.urls[ri]
		if k == 0 || a.urls[order[k-1]].text != rec.text {
			matches = a.matchAll(a.texts[rec.text], false)
		}
		h := a.hosts[rec.host]
		for _, m := range matches {
			if !a.creditMatch(flows, own, m, h, int(rec.index)) {
				dropped++
			}
		}
	}
	a.limits[limitFlows] = limitHit{count: dropped, first: -1}
	mergeSubstrings(flows)
	out := a.flowFindings(flows)
	return append(out, a.ownCookieFindings(own)...)
}

// creditMatch files one match of one request: as a vendor reading its own
// cookie, as a sync flow, or not at all (the identifier went back to its
// owner's company). It reports false when the flow cap dropped it.
func (a *Analyzer) creditMatch(flows map[flowKey]*flow, own map[string]*keyedEvidence,
	m idMatch, h keptHost, index int) bool {
	c := m.cand
	if c.owner == h.domain || a.sameCompany(c.owner, h.domain) {
		return true
	}
	if u := m.under; u != nil && (u.owner == h.domain || a.sameCompany(u.owner, h.domain)) {
		return true // the URL echoes a whole cookie value of the receiver's own
	}
	for _, v := range c.vendors {
		if vendorOwnsDomain(v.vendor, h.domain) {
			e := evidence(own, h.domain)
			if e.host == "" || index < e.hostAt {
				e.host, e.hostAt = h.host, index
			}
			e.vendor, e.domain = vendorCookies[v.vendor].company, h.domain
			if e.account == "" || c.owner < e.account {
				e.account = c.owner // the holder shown: the first by name
			}
			e.add(index, v.cookie)
			return true
		}
	}
	k := flowKey{m.id, h.domain}
	f := flows[k]
	if f == nil {
		if len(flows) >= maxFlows {
			return false
		}
		f = &flow{cand: c, host: h.host, first: index}
		flows[k] = f
	}
	if index < f.first {
		f.host, f.first = h.host, index
	}
	f.addRequest(index)
	return true
}

// mergeSubstrings folds a flow whose identifier is a token run of a longer
// identifier received by the same domain into the longer one's flow: the
// longest wins over its substrings.
func mergeSubstrings(flows map[flowKey]*flow) {
	keys := sortedFlowKeys(flows)
	sort.SliceStable(keys, func(i, j int) bool { return len(keys[i].id) > len(keys[j].id) })
	for _, k := range keys {
		f := flows[k]
		if f == nil {
			continue
		}
		toks := tokens(k.id)
		for i := range toks {
			for j := i; j < len(toks) && j < i+maxRunTokens; j++ {
				sub := k.id[toks[i].start:toks[j].end]
				if sub == k.id {
					continue
				}
				sk := flowKey{sub, k.receiver}
				if g := flows[sk]; g != nil {
					f.requests = append(f.requests, g.requests...)
					delete(flows, sk)
				}
			}
		}
	}
}

func sortedFlowKeys(flows map[flowKey]*flow) []flowKey {
	keys := make([]flowKey, 0, len(flows))
	for k := range flows {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		x, y := keys[i], keys[j]
		if x.receiver != y.receiver {
			return x.receiver < y.receiver
		}
		return x.id < y.id
	})
	return keys
}

// flowFindings turns flows into findings, ordered by receiver, giver,
// cookie and identifier.
func (a *Analyzer) flowFindings(flows map[flowKey]*flow) []Finding {
	keys := sortedFlowKeys(flows)
	sort.SliceStable(keys, func(i, j int) bool {
		x, y := flows[keys[i]].cand, flows[keys[j]].cand
		if keys[i].receiver != keys[j].receiver {
			return keys[i].receiver < keys[j].receiver
		}
		if x.owner != y.owner {
			return x.owner < y.owner
		}
		return x.cookie < y.cookie
	})
	out := make([]Finding, 0, len(keys))
	for _, k := range keys {
		out = append(out, a.syncFinding(k, flows[k]))
	}
	return out
}

func (a *Analyzer) syncFinding(k flowKey, f *flow) Finding {
	c := f.cand
	kind := "first-party"
	if !c.firstParty {
		kind = "third-party"
	}
	receiver := a.companyOf(k.receiver)
	reqs := sortedUnique(f.requests)
	return Finding{
		Type: FindingCookieSync, Vendor: receiver, Host: f.host, Domain: k.receiver,
		Summary: fmt.Sprintf("The identifier in %s cookie %s of %s was sent to %s (%s) in %d request(s).",
			kind, c.cookie, c.owner, receiver, k.receiver, len(reqs)),
		Details: []Detail{{"identifier", truncate(k.id, 80)}, {"cookie", c.cookie}, {"giver", c.owner},
			{"giver_kind", kind}, {"receiver", k.receiver}, {"first_request", fmt.Sprint(c.first)}},
		Requests: reqs,
	}
}

// ownCookieFindings reports vendors' own identifier cookies that went to
// the vendor's own domains.
func (a *Analyzer) ownCookieFindings(own map[string]*keyedEvidence) []Finding {
	var out []Finding
	for _, d := range sortedKeys(own) {
		e := own[d]
		names := e.names()
		reqs := e.requests.sorted()
		out = append(out, Finding{
			Type: FindingIdentifierCookie, Vendor: e.vendor, Host: e.host, Domain: d,
			Summary: fmt.Sprintf("%s's own identifier cookie(s) %s, kept on %s, were sent to %s in %d request(s).",
				e.vendor, strings.Join(names, ", "), e.account, d, len(reqs)),
			Details:  []Detail{{"cookies", strings.Join(names, ",")}, {"holder", e.account}, {"receiver", d}},
			Requests: reqs,
		})
	}
	return out
}

// sameCompany reports whether two domains belong to the same company: as
// the party data knows it, or as the vendor-cookie table lists it.
func (a *Analyzer) sameCompany(x, y string) bool {
	px, okx := a.parties[x]
	py, oky := a.parties[y]
	if okx && oky && px.known && py.known && px.company == py.company {
		return true
	}
	return vendorsShareDomains(x, y)
}

func sortedUnique(xs []int) []int {
	out := append([]int(nil), xs...)
	sort.Ints(out)
	n := 0
	for i, x := range out {
		if i == 0 || x != out[n-1] {
			out[n] = x
			n++
		}
	}
	return out[:n]
}

// registrable is the registrable domain of host.
func registrable(host string) string {
	return strings.Clone(party.RegistrableDomain(host))
}
