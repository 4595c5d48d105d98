package pixel

import (
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/leakwatch/leakwatch/internal/codec"
	"github.com/leakwatch/leakwatch/internal/party"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// urlRecord is a third-party request kept for the cookie-sync check: its
// index and the ids of its URL text and host in Analyzer.keptS (identical
// strings are kept once). domain is the id of the host's registrable
// domain, or, below zero, the length of the host's suffix that is its
// domain (the usual case, which costs nothing).
type urlRecord struct {
	index, text, host, domain int32
}

// keptHost is a receiving host and its registrable domain.
type keptHost struct {
	host, domain string
}

// recordURL keeps a third-party request's URL for the cookie-sync check,
// with the page URL, the Referer and the user agent removed (values that
// legitimately repeat cookie-looking text), percent-decoded and capped.
// What is kept counts against the URL budget as it is allocated; past the
// budget the request is counted as not checked.
func (a *Analyzer) recordURL(r *traffic.Request, p party.Party, pageURL string) {
	a.recordPage(pageURL)
	if !p.ThirdParty {
		return
	}
	base := a.removeMemo.get(pageURL, r.Headers.Get("Referer"), r.Headers.Get("User-Agent"))
	rec, ok := a.keepRecord(syncText(r, base, a.embeddedDocs(r.URL)), p)
	if ok && a.kept.take(a.urls.addCost()) {
		rec.index = int32(r.Index)
		a.urls.add(rec)
		return
	}
	a.limits.note(limitURLBytes, r.Index)
}

// keepRecord adds a request's text, host and domain to the kept strings.
func (a *Analyzer) keepRecord(text string, p party.Party) (urlRecord, bool) {
	t, _, ok1 := a.keptS.add(text)
	h, _, ok2 := a.keptS.add(p.Host)
	rec := urlRecord{text: int32(t), host: int32(h), domain: -int32(len(p.Domain))}
	ok3 := true
	if !strings.HasSuffix(p.Host, p.Domain) || p.Domain == "" {
		var d int
		d, _, ok3 = a.keptS.add(p.Domain)
		rec.domain = int32(d)
	}
	return rec, ok1 && ok2 && ok3
}

// keptHost returns the host and domain of a kept record.
func (a *Analyzer) keptHost(rec urlRecord) keptHost {
	h := a.keptS.str(int(rec.host))
	if rec.domain < 0 {
		return keptHost{host: h, domain: h[len(h)+int(rec.domain):]}
	}
	return keptHost{host: h, domain: a.keptS.str(int(rec.domain))}
}

// syncText is the part of a request URL searched for identifiers. base
// are the forms of the page URL, Referer and User-Agent to remove (see
// removeMemo); extra are more values to remove (documents' URLs the
// request carries).
func syncText(r *traffic.Request, base []string, extra []string) string {
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
	remove := base
	if len(extra) > 0 {
		remove = append(slices.Clip(base), removeForms(extra)...)
	}
	s = removeAll(s, remove)
	for i := 0; i < 2; i++ {
		if d, ok := codec.UnescapeQuery(s); ok {
			s = d
		}
	}
	s = removeAll(s, remove)
	if len(s) > maxURLKept {
		s = s[:maxURLKept]
	}
	return s
}

// maxMemoBytes caps the header bytes removeMemo keeps a copy of: longer
// values are escaped afresh for their request.
const maxMemoBytes = 1 << 16

// removeMemo keeps the forms syncText removes of the last request's page
// URL, Referer and User-Agent: the requests of one page share them, and
// escaping them for every request cost more than the rest of syncText.
type removeMemo struct {
	page, referer, agent string
	forms                []string
	ok                   bool
}

// get returns the forms of page, referer and agent to remove, without
// repeats (see dedupForms).
func (m *removeMemo) get(page, referer, agent string) []string {
	if m.ok && m.page == page && m.referer == referer && m.agent == agent {
		return m.forms
	}
	if len(page)+len(referer)+len(agent) > maxMemoBytes {
		return dedupForms(removeForms([]string{page, referer, agent}))
	}
	page, referer, agent = strings.Clone(page), strings.Clone(referer), strings.Clone(agent)
	forms := dedupForms(removeForms([]string{page, referer, agent}))
	*m = removeMemo{page: page, referer: referer, agent: agent, forms: forms, ok: true}
	return forms
}

// dedupForms drops a form equal to an earlier one when it holds no space:
// removeAll has already replaced it, and replacing text by spaces cannot
// make a new occurrence of a form without one, so the result is the same.
func dedupForms(forms []string) []string {
	out := forms[:0]
	for i, f := range forms {
		if strings.IndexByte(f, ' ') < 0 && slices.Contains(forms[:i], f) {
			continue
		}
		out = append(out, f)
	}
	return out
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
	if a.docs.has(u) {
		return
	}
	if a.docs.len() >= maxPagesKept {
		a.limits.note(limitPages, r.Index)
		return
	}
	if _, _, ok := a.docs.add(u); !ok {
		a.limits.note(limitPages, r.Index)
		return
	}
	a.docLens.add(len(u))
}

// embeddedDocs returns the query values of rawURL that are the URL of a
// document seen in the capture. A value is unescaped and looked up only
// when a document of its length was seen (docLens).
func (a *Analyzer) embeddedDocs(rawURL string) []string {
	_, q, ok := strings.Cut(rawURL, "?")
	if !ok || a.docs.len() == 0 {
		return nil
	}
	if len(q) > 4*maxURLKept {
		q = q[:4*maxURLKept]
	}
	var out []string
	for more := true; more; {
		var kv string
		kv, q, more = strings.Cut(q, "&")
		_, v, _ := strings.Cut(kv, "=")
		if len(v) < minIDLen {
			continue
		}
		if escapes := strings.Count(v, "%"); escapes > 0 || strings.IndexByte(v, '+') >= 0 {
			// Unescaped, v is 2 bytes shorter per escape, or unchanged
			// when an escape is bad: no document that long, no lookup.
			if !a.docLens.has(len(v)-2*escapes) && !a.docLens.has(len(v)) {
				continue
			}
			if d, ok := codec.UnescapeQuery(v); ok {
				v = d
			}
		}
		if a.docLens.has(len(v)) && a.docs.has(v) {
			out = append(out, v)
		}
	}
	return out
}

// lengthSet is a set of string lengths up to maxURLKept. Any other
// number, negative ones included, is never in it.
type lengthSet [maxURLKept/64 + 1]uint64

func (s *lengthSet) add(n int) {
	if n >= 0 && n <= maxURLKept {
		s[n/64] |= 1 << (n % 64)
	}
}

func (s *lengthSet) has(n int) bool {
	return n >= 0 && n <= maxURLKept && s[n/64]&(1<<(n%64)) != 0
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
	filter := newTokenFilter(a.cands)
	a.settleCandidates(filter)
	flows := map[flowKey]*flow{}
	own := map[string]*keyedEvidence{}
	order := make([]int32, a.urls.n) // records by text, in request order within a text
	if len(a.cands) == 0 {
		order = nil // nothing to look for
	}
	for i := range order {
		order[i] = int32(i)
	}
	sort.SliceStable(order, func(i, j int) bool {
		return a.urls.at(int(order[i])).text < a.urls.at(int(order[j])).text
	})
	var matches []idMatch
	var prev int32
	dropped := 0
	for k, ri := range order {
		rec := a.urls.at(int(ri))
		if k == 0 || prev != rec.text {
			prev = rec.text
			matches = a.matchAll(a.keptS.str(int(rec.text)), false, filter)
		}
		if len(matches) == 0 {
			continue
		}
		h := a.keptHost(rec)
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
