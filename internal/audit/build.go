package audit

import (
	"cmp"
	"fmt"
	"runtime"
	"slices"
	"strings"

	"github.com/leakwatch/leakwatch/internal/party"
	"github.com/leakwatch/leakwatch/internal/pixel"
)

// typeOrder ranks finding types in the report: what people must act on first.
var typeOrder = map[string]int{
	TypeViolation:         0,
	TypeLeak:              1,
	TypeKeystroke:         1,
	TypePattern:           2,
	TypeConsentConflict:   2,
	TypeAfterReject:       2,
	TypeDespiteGPC:        2,
	TypeBeforeChoice:      2,
	TypeAutomaticMatching: 3,
	TypePixelConfig:       4,
	TypeSessionReplay:     5,
	TypeCookieSync:        6,
	TypeFingerprinting:    7,
	TypeTrackingBeacon:    8,
	TypeThirdPartyCookie:  9,
	TypeIdentifierCookie:  10,
}

func rank(t string) int {
	if r, ok := typeOrder[t]; ok {
		return r
	}
	return len(typeOrder)
}

func behaviourFinding(src int, f pixel.Finding, c *party.Classifier) Finding {
	out := Finding{Type: f.Type, Vendor: f.Vendor, Product: f.Product, Account: f.Account,
		Summary: f.Summary, Details: reportDetails(f.Details), Requests: f.Requests}
	if f.Host != "" || f.Domain != "" {
		rcv := &Receiver{Host: f.Host, Domain: f.Domain}
		if rcv.Domain == "" {
			rcv.Domain = party.RegistrableDomain(f.Host)
		}
		rcv.Company = rcv.Domain
		if e := c.Entity(firstNonEmpty(f.Host, f.Domain)); e != nil {
			rcv.Company, rcv.Entity = e.Company, e.Name
			out.Vendor = e.Company
		}
		out.Receiver = rcv
	}
	if len(f.Requests) > 0 {
		out.Request = &RequestRef{Index: f.Requests[0], Source: src}
	}
	return out
}

// build turns the accumulated state and the leak search results into the report.
func (s *state) build(scans []scanResult, kept keptTotals) *Report {
	slices.SortFunc(scans, func(a, b scanResult) int {
		return cmp.Or(cmp.Compare(a.ref.source, b.ref.source), cmp.Compare(a.ref.index, b.ref.index))
	})
	n := len(s.behaviour)
	for _, sr := range scans {
		n += len(sr.res.Matches) + len(sr.res.Patterns)
	}
	r := &Report{Schema: Schema, Tool: s.opts.Tool, Sources: s.sources, Pixels: s.hits,
		Findings: make([]Finding, 0, n)}
	if r.Pixels == nil {
		r.Pixels = []PixelHit{}
	}
	for _, sr := range scans {
		submit := s.submitSide(sr.ref)
		for i, m := range sr.res.Matches {
			f := leakFinding(m, sr, sr.meanings[i])
			f.Submit = submit
			r.Findings = append(r.Findings, f)
		}
		for _, m := range sr.res.Patterns {
			f := patternFinding(m, sr)
			f.Submit = submit
			r.Findings = append(r.Findings, f)
		}
		if sr.detail != nil {
			r.Requests = append(r.Requests, *sr.detail)
		}
		for _, w := range sr.res.Warnings {
			if !strings.HasPrefix(w, "request ") {
				w = "request " + itoa(sr.ref.index) + ": " + w
			}
			r.Warnings = append(r.Warnings, w)
		}
	}
	r.Warnings = append(r.Warnings, s.internalErrors...)
	r.Warnings = append(r.Warnings, kept.warnings(s.opts.Limits)...)
	for _, k := range sortedKeys(s.hitsDropped) {
		r.Warnings = append(r.Warnings, budgetWarning("pixel hits of "+k, s.hitsDropped[k], "--max-pixel-hits",
			s.opts.Limits.MaxPixelHits))
	}
	r.Findings = append(r.Findings, s.behaviour...)
	r.Findings = append(r.Findings, s.consentConflicts(r)...)
	if s.conflictsDropped > 0 {
		r.Warnings = append(r.Warnings, fmt.Sprintf("%d more Google hits declaring denied consent were not checked for conflicts (limit %d)",
			s.conflictsDropped, maxConsentConflicts))
	}
	r.Consent = s.consentSection()
	r.Findings = append(r.Findings, liveConsentFindings(r, s.thirdHit)...)
	if cmpr := consentComparison(r, s.thirdHit); cmpr != nil {
		if r.Consent == nil {
			r.Consent = &Consent{}
		}
		r.Consent.Comparison = cmpr
	}
	s.cookieIdentifiers(r)
	s.analyzers = nil // what they kept past Finish was for cookieIdentifiers
	s.attribute(r)
	slices.SortStableFunc(r.Findings, compareFindings)
	for _, p := range s.pages {
		r.Pages = append(r.Pages, p.info)
	}
	if r.Pages == nil {
		r.Pages = []PageInfo{}
	}
	for _, h := range sortedKeys(s.background) {
		r.BrowserTraffic = append(r.BrowserTraffic, *s.background[h])
	}
	r.ThirdParties = s.thirdParties()
	r.FirstParty = s.firstPartyInfo()
	r.Companies, r.Unattributed = attribute(r)
	rankThirdParties(r)
	r.Summary = summarize(s, r)
	return r
}

// collectBeforeThirdParties is the number of companies from which build
// collects garbage before it makes the third-party list.
const collectBeforeThirdParties = 50_000

// submitSide says whether a request left before or after the first form
// submission of its page, when the scan submitted one there.
func (s *state) submitSide(m reqMeta) string {
	i, ok := s.pageIndex[pageKey{m.source, m.pageID}]
	if !ok || len(s.pages[i].info.Submits) == 0 {
		return ""
	}
	if m.index < s.pages[i].info.Submits[0].Request {
		return "before"
	}
	return "after"
}

func compareFindings(a, b Finding) int {
	return cmp.Or(
		cmp.Compare(rank(a.Type), rank(b.Type)),
		cmp.Compare(a.Type, b.Type),
		compareRefs(a.Request, b.Request),
		cmp.Compare(a.Persona, b.Persona),
		cmp.Compare(a.Field, b.Field),
		cmp.Compare(a.Rule, b.Rule),
		cmp.Compare(a.Channel, b.Channel),
		cmp.Compare(a.Location, b.Location),
		cmp.Compare(a.Vendor, b.Vendor),
		cmp.Compare(a.Summary, b.Summary),
	)
}

// thirdParties lists the companies that received requests, with what
// their traffic shows, in name order; rankThirdParties adds what they
// received and puts them in order. It empties the company table as it
// goes: a capture of 300,000 one-off hosts should not hold both.
func (s *state) thirdParties() []ThirdParty {
	if s.companies.n >= collectBeforeThirdParties {
		// The list is one block of ~250 bytes a company, allocated while
		// the garbage of the whole analysis is still on the heap: collected
		// first, 300,000 companies peak ~20 MB lower.
		runtime.GC()
	}
	out := make([]ThirdParty, 0, s.companies.n)
	t := s.companies
	s.companies, t.index = companyTable{}, nameIndex{}
	// The one-element host and domain lists of most companies share one
	// backing array rather than being 600,000 small objects.
	lists := make([]string, 0, 2*t.n)
	for i, chunk := range t.chunks {
		for j := range chunk {
			c := &chunk[j]
			var none companyFacts
			m := c.more
			if m == nil {
				m = &none
			}
			var domains, hosts []string
			if m.hosts.first == "" && m.domains.first == "" && c.host != "" && c.domain() != "" {
				n := len(lists)
				lists = append(lists, c.domain(), c.host)
				domains, hosts = lists[n:n+1:n+1], lists[n+1:n+2:n+2]
			} else {
				domains, hosts = c.sortedDomains(), c.sortedHosts()
			}
			out = append(out, ThirdParty{
				Company: c.name(), Known: c.known, Domains: domains, Hosts: hosts,
				Categories: m.categories.sorted(), Requests: c.requests, Blocked: int(c.blocked),
				Rules: m.rules.sorted(), Products: m.products.sorted(), Accounts: m.accounts.sorted(),
				Events: m.events.sorted(),
			})
		}
		t.chunks[i] = nil
	}
	slices.SortFunc(out, func(a, b ThirdParty) int { return strings.Compare(a.Company, b.Company) })
	return out
}

// rankThirdParties gives each third party the data kinds, leaks and
// patterns of the findings attributed to it, sorts the third parties most
// significant first, and points the companies at their new places.
func rankThirdParties(r *Report) {
	for _, c := range r.Companies {
		if c.ThirdParty < 0 {
			continue
		}
		tp := &r.ThirdParties[c.ThirdParty]
		tp.DataKinds = c.DataKinds
		for _, i := range c.Findings {
			switch r.Findings[i].Type {
			case TypeLeak:
				tp.Leaks++
			case TypePattern:
				tp.Patterns++
			}
		}
	}
	// Third-party names are unique: the companies find their entries
	// again by name, without a copy of a table that can hold 300,000.
	byName := make(map[string]int, len(r.Companies))
	for i, c := range r.Companies {
		if c.ThirdParty >= 0 {
			byName[r.ThirdParties[c.ThirdParty].Company] = i
		}
	}
	slices.SortStableFunc(r.ThirdParties, compareThirdParties)
	for i := range r.ThirdParties {
		if ci, ok := byName[r.ThirdParties[i].Company]; ok {
			r.Companies[ci].ThirdParty = i
		}
	}
	sortCompanies(r.Companies)
}

func compareThirdParties(a, b ThirdParty) int {
	return cmp.Or(
		-cmp.Compare(len(a.DataKinds), len(b.DataKinds)),
		-cmp.Compare(a.Leaks, b.Leaks),
		-cmp.Compare(a.Patterns, b.Patterns),
		-cmp.Compare(len(a.Products), len(b.Products)),
		-cmp.Compare(a.Requests, b.Requests),
		strings.Compare(a.Company, b.Company),
	)
}

func (s *state) firstPartyInfo() FirstParty {
	fp := FirstParty{Domains: s.firstParty.sorted()}
	for _, d := range fp.Domains {
		if e := s.opts.Classifier.Entity(d); e != nil {
			fp.Company = e.Name
			break
		}
	}
	return fp
}

func summarize(s *state, r *Report) Summary {
	sum := Summary{Requests: s.requests, ThirdPartyRequests: s.third, ThirdParties: len(r.ThirdParties),
		Pixels: len(r.Pixels), DataKinds: []string{}}
	kinds := set{}
	for _, tp := range r.ThirdParties {
		if len(tp.DataKinds) > 0 {
			sum.CompaniesWithData++
		}
		for _, k := range tp.DataKinds {
			kinds.add(k)
		}
	}
	sum.DataKinds = kinds.sorted()
	if s.opts.Pool != nil {
		sum.Personas = s.opts.Pool.Personas()
	}
	if sum.DataKinds == nil {
		sum.DataKinds = []string{}
	}
	replay := set{}
	for _, f := range r.Findings {
		switch f.Type {
		case TypeLeak:
			sum.Leaks++
		case TypePattern:
			sum.Patterns++
			if f.Confidence == ConfidenceHigh {
				sum.PatternsHigh++
			}
		case TypeCookieSync:
			sum.IdentifierFlows++
		case TypeSessionReplay:
			replay.add(firstNonEmpty(f.Vendor, f.Product))
		}
	}
	sum.SessionReplay = replay.sorted()
	sum.Unseen = unseen(s, sum)
	return sum
}

// unseen lists what the analysis could not see.
func unseen(s *state, sum Summary) []string {
	var out []string
	if sum.Personas == 0 {
		out = append(out, "No persona was given, so the tester's own values (email, name, address, "+
			"what was typed) were not searched for, hashed or encoded; only values that look personal "+
			"were. Give --persona to search for them.")
	}
	if s.opts.NoPatterns {
		out = append(out, "Value patterns were not searched for (--no-patterns).")
	}
	for _, src := range s.sources {
		if w := src.Coverage.bodyWarning(src.Creator); w != "" {
			out = append(out, w)
		}
	}
	return out
}
