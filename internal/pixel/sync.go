package pixel

import (
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/leakwatch/leakwatch/internal/party"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// recordURL keeps a third-party request's URL for the cookie-sync check,
// with the page URL, the Referer and the user agent removed (values that
// legitimately repeat cookie-looking text), percent-decoded and capped.
func (a *Analyzer) recordURL(r *traffic.Request, p party.Party, pageURL string) {
	if !p.ThirdParty {
		return
	}
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
	remove := []string{pageURL, r.Headers.Get("Referer"), r.Headers.Get("User-Agent")}
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
	page := strings.ToLower(pageURL)
	if len(page) > maxURLKept {
		page = page[:maxURLKept]
	}
	a.urls = append(a.urls, urlRecord{index: r.Index, domain: strings.Clone(p.Domain),
		host: strings.Clone(p.Host), text: strings.Clone(s), page: strings.Clone(page)})
}

// removeAll removes each non-empty value, raw and in its escaped forms.
func removeAll(s string, values []string) string {
	for _, v := range values {
		if len(v) < minIDLen {
			continue
		}
		for _, form := range []string{v, url.QueryEscape(v), url.PathEscape(v)} {
			s = strings.ReplaceAll(s, form, " ")
		}
	}
	return s
}

// syncKey identifies one cookie-sync flow: whose cookie went to whom.
type syncKey struct {
	owner      string
	firstParty bool
	cookie     string
	receiver   string
}

type syncEvidence struct {
	host     string
	matched  string
	requests map[int]bool
}

// candidateRef is one sync candidate of one identifier value.
type candidateRef struct {
	value, candidate string
}

// syncFindings applies the Privacy Badger rule to every kept third-party
// URL against every identifier seen anywhere in the capture. Candidates are
// indexed by their first minIDLen bytes, so each URL is scanned once
// whatever the number of identifiers.
func (a *Analyzer) syncFindings() []Finding {
	index := map[string][]candidateRef{}
	for _, v := range sortedKeys(a.identifiers) {
		for _, c := range a.identifiers[v].candidates {
			index[c[:minIDLen]] = append(index[c[:minIDLen]], candidateRef{v, c})
		}
	}
	flows := map[syncKey]*syncEvidence{}
	for _, rec := range a.urls {
		for v, m := range longestMatches(rec, index) {
			id := a.identifiers[v]
			if id.owner == rec.domain || a.sameCompany(id.owner, rec.domain) {
				continue
			}
			k := syncKey{id.owner, id.firstParty, id.name, rec.domain}
			e := flows[k]
			if e == nil {
				e = &syncEvidence{host: rec.host, matched: m, requests: map[int]bool{}}
				flows[k] = e
			}
			e.requests[rec.index] = true
		}
	}
	keys := make([]syncKey, 0, len(flows))
	for k := range flows {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		x, y := keys[i], keys[j]
		if x.receiver != y.receiver {
			return x.receiver < y.receiver
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

// longestMatches returns, per identifier value, the longest of its
// candidates found in the record's URL text that is not part of the page
// URL (a cookie holding the site's own name or domain identifies nobody).
func longestMatches(rec urlRecord, index map[string][]candidateRef) map[string]string {
	var best map[string]string
	t := rec.text
	for i := 0; i+minIDLen <= len(t); i++ {
		refs, ok := index[t[i:i+minIDLen]]
		if !ok {
			continue
		}
		for _, ref := range refs {
			cur := best[ref.value]
			if len(ref.candidate) < len(cur) || len(ref.candidate) == len(cur) && ref.candidate >= cur ||
				!strings.HasPrefix(t[i:], ref.candidate) ||
				strings.Contains(rec.page, strings.ToLower(ref.candidate)) {
				continue
			}
			if best == nil {
				best = map[string]string{}
			}
			best[ref.value] = ref.candidate
		}
	}
	return best
}

func (a *Analyzer) syncFinding(k syncKey, e *syncEvidence) Finding {
	giver := "the first-party cookie " + k.cookie + " of " + k.owner
	kind := "first-party"
	if !k.firstParty {
		giver = a.companyOf(k.owner) + "'s cookie " + k.cookie + " (" + k.owner + ")"
		kind = "third-party"
	}
	receiver := a.companyOf(k.receiver)
	return Finding{
		Type: FindingCookieSync, Vendor: receiver, Host: e.host, Domain: k.receiver,
		Summary: fmt.Sprintf("An identifier from %s was sent to %s (%s) in a request URL.",
			giver, receiver, k.receiver),
		Details: []Detail{{"giver", k.owner}, {"giver_kind", kind}, {"cookie", k.cookie},
			{"receiver", k.receiver}, {"shared_value", truncate(e.matched, 80)}},
		Requests: sortedInts(e.requests),
	}
}

// sameCompany reports whether two domains belong to the same known company.
func (a *Analyzer) sameCompany(x, y string) bool {
	px, okx := a.parties[x]
	py, oky := a.parties[y]
	return okx && oky && px.Known && py.Known && px.Company == py.Company
}

// registrable is the registrable domain of host.
func registrable(host string) string {
	return strings.Clone(party.RegistrableDomain(host))
}
