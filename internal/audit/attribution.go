package audit

import (
	"cmp"
	"slices"
	"strings"

	"github.com/leakwatch/leakwatch/internal/party"
)

// Company is one company of the report with everything attributed to it.
// Every finding, pixel hit and request detail of a report belongs to
// exactly one company or to Report.Unattributed.
type Company struct {
	// Name is the company's one name across the report: as in
	// ThirdParties, receivers and pixel hits.
	Name string `json:"name"`
	// ThirdParty is the index of the company's entry in
	// Report.ThirdParties, or -1 when it has none: the site's own company
	// (findings on first-party hosts), or a receiver no third party lists.
	ThirdParty int `json:"third_party"`
	// FirstParty is set for the site's own company.
	FirstParty bool `json:"first_party,omitempty"`
	// Entities are the company's products or services named as receivers
	// ("Google Analytics").
	Entities []string `json:"entities,omitempty"`
	// Domains and Hosts are where its findings, pixel hits and requests went.
	Domains []string `json:"domains,omitempty"`
	Hosts   []string `json:"hosts,omitempty"`
	// Products are the pixel products of its hits and findings.
	Products []string `json:"products,omitempty"`
	// DataKinds are the persona keys its leak findings carry.
	DataKinds []string `json:"data_kinds,omitempty"`
	// Findings, Pixels and Requests are indexes into Report.Findings,
	// Report.Pixels and Report.Requests, ascending.
	Findings []int `json:"findings,omitempty"`
	Pixels   []int `json:"pixels,omitempty"`
	Requests []int `json:"requests,omitempty"`
}

// Attribution lists findings, pixel hits and request details by index.
type Attribution struct {
	Findings []int `json:"findings,omitempty"`
	Pixels   []int `json:"pixels,omitempty"`
	Requests []int `json:"requests,omitempty"`
}

// Grouped returns r when its Companies fit its findings, pixel hits and
// request details (each in exactly one company or Unattributed, every
// index in range), and otherwise a shallow copy with them worked out again:
// a report written before companies existed, or edited since. Readers of
// JSON reports call it before grouping anything by company.
func (r *Report) Grouped() *Report {
	if r.attributionFits() {
		return r
	}
	c := *r
	c.Companies, c.Unattributed = attribute(&c)
	return &c
}

// Owners returns, for every finding and every pixel hit of a Grouped
// report, the index of its company in r.Companies, or -1 when it is
// unattributed.
func (r *Report) Owners() (findings, pixels []int) {
	findings, pixels = minusOnes(len(r.Findings)), minusOnes(len(r.Pixels))
	for ci, c := range r.Companies {
		for _, i := range c.Findings {
			if i >= 0 && i < len(findings) {
				findings[i] = ci
			}
		}
		for _, i := range c.Pixels {
			if i >= 0 && i < len(pixels) {
				pixels[i] = ci
			}
		}
	}
	return findings, pixels
}

func minusOnes(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = -1
	}
	return out
}

// attributionFits reports whether Companies and Unattributed cover every
// finding, pixel hit and request detail exactly once.
func (r *Report) attributionFits() bool {
	if r.Companies == nil {
		return false
	}
	seen := [3][]bool{make([]bool, len(r.Findings)), make([]bool, len(r.Pixels)), make([]bool, len(r.Requests))}
	mark := func(kind int, idx []int) bool {
		for _, i := range idx {
			if i < 0 || i >= len(seen[kind]) || seen[kind][i] {
				return false
			}
			seen[kind][i] = true
		}
		return true
	}
	for _, c := range r.Companies {
		if c.Name == "" || c.ThirdParty < -1 || c.ThirdParty >= len(r.ThirdParties) ||
			!mark(0, c.Findings) || !mark(1, c.Pixels) || !mark(2, c.Requests) {
			return false
		}
	}
	if u := r.Unattributed; u != nil && (!mark(0, u.Findings) || !mark(1, u.Pixels) || !mark(2, u.Requests)) {
		return false
	}
	for _, s := range seen {
		if slices.Contains(s, false) {
			return false
		}
	}
	return true
}

// owners maps hosts and registrable domains to the company that received
// the most requests there (ties to the first name): a domain that two
// companies share (a platform's hosts) goes to the busier one, a host
// always to the company it was counted under.
type owners struct {
	host, domain map[string]ownerPick
	// want, when set, holds the only keys lookups will ask for: a report
	// of 300,000 companies and a few findings indexes a few.
	want asked
}

// asked is the set of hosts (with their parents), domains, names and
// products a report's findings, pixel hits and request details name.
type asked map[string]struct{}

func (a asked) add(key string) {
	if key != "" {
		a[key] = struct{}{}
	}
}

// host adds a host and each parent that lookup will try.
func (a asked) host(host string) {
	for h := strings.ToLower(host); h != ""; {
		a[h] = struct{}{}
		_, rest, ok := strings.Cut(h, ".")
		if !ok || !strings.Contains(rest, ".") {
			break
		}
		h = rest
	}
}

func (a asked) has(key string) bool {
	_, ok := a[key]
	return a == nil || ok
}

type ownerPick struct {
	name     string
	index    int
	requests int
}

func newOwners(want asked) *owners {
	return &owners{host: map[string]ownerPick{}, domain: map[string]ownerPick{}, want: want}
}

func (o *owners) add(m map[string]ownerPick, key string, p ownerPick) {
	key = strings.ToLower(key)
	if key == "" || !o.want.has(key) {
		return
	}
	if old, ok := m[key]; !ok || p.requests > old.requests || p.requests == old.requests && p.name < old.name {
		m[key] = p
	}
}

// lookup finds the owner of a host, then of each parent of the host, then
// of the domain.
func (o *owners) lookup(host, domain string) (ownerPick, bool) {
	for h := strings.ToLower(host); h != ""; {
		if p, ok := o.host[h]; ok {
			return p, true
		}
		if p, ok := o.domain[h]; ok {
			return p, true
		}
		_, rest, ok := strings.Cut(h, ".")
		if !ok || !strings.Contains(rest, ".") {
			break
		}
		h = rest
	}
	p, ok := o.domain[strings.ToLower(domain)]
	return p, ok
}

// attribute names every receiver and pixel hit by the company that
// received the request: the owner of its host, else of its domain. The
// third parties, findings and pixels then join by name.
func (s *state) attribute(r *Report) {
	want := asked{}
	for _, f := range r.Findings {
		if f.Receiver != nil {
			want.host(f.Receiver.Host)
			want.add(strings.ToLower(f.Receiver.Domain))
		}
	}
	for _, h := range r.Pixels {
		host := hostOf(h.Request.URL)
		want.host(host)
		want.add(party.RegistrableDomain(strings.ToLower(host)))
	}
	o := newOwners(want)
	s.companies.each(func(c *companyAgg) {
		p := ownerPick{name: c.name(), requests: c.requests}
		c.eachHost(func(h string) { o.add(o.host, h, p) })
		c.eachDomain(func(d string) { o.add(o.domain, d, p) })
	})
	for i := range r.Findings {
		f := &r.Findings[i]
		if f.Receiver == nil {
			continue
		}
		if p, ok := o.lookup(f.Receiver.Host, f.Receiver.Domain); ok {
			f.Receiver.Company = p.name
		}
		if f.Type != TypeLeak && f.Type != TypePattern {
			f.Vendor = f.Receiver.Company
		}
	}
	for i := range r.Pixels {
		h := &r.Pixels[i]
		host := hostOf(h.Request.URL)
		if p, ok := o.lookup(host, party.RegistrableDomain(strings.ToLower(host))); ok {
			h.Vendor = p.name
		}
	}
}

// sortCompanies puts third parties first, in the order of ThirdParties,
// then the site's own company, then the other receivers by name.
func sortCompanies(cs []Company) {
	slices.SortFunc(cs, func(a, b Company) int {
		return cmp.Or(cmp.Compare(companyRank(a), companyRank(b)), cmp.Compare(a.ThirdParty, b.ThirdParty),
			strings.Compare(a.Name, b.Name))
	})
}

func companyRank(c Company) int {
	switch {
	case c.ThirdParty >= 0:
		return 0
	case c.FirstParty:
		return 1
	}
	return 2
}
