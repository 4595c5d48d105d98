package report

import (
	"cmp"
	"slices"
	"strings"

	"github.com/leakwatch/leakwatch/internal/audit"
)

// view is what every human-facing format derives from a report: companies
// in order of significance, who received which data, and the findings
// sorted into the sections people read.
type view struct {
	r         *audit.Report
	companies []company
	kinds     []string // data kinds received by any company, in report order
	leaks     []int    // indexes into r.Findings
	patterns  []int
	behaviour []int // pixel-config, cookie-sync, session-replay, ...
	breaches  []int // policy-violation findings
	pages     []string
	requests  map[reqKey]*audit.RequestDetail
	// unplaced are pixel hits that no third party owns, such as a tag
	// served through the site's own domain.
	unplaced []int
}

type reqKey struct{ source, index int }

// company is one third party with what the report says it received.
type company struct {
	tp       *audit.ThirdParty
	kinds    []kindCount // persona data received
	looks    []kindCount // pattern rules matched (values that look personal)
	leaks    []int       // indexes into r.Findings
	patterns []int
	other    []int
	pixels   []int // indexes into r.Pixels
	pages    []string
}

type kindCount struct {
	kind  string
	count int
}

// received reports whether the company got persona data or pattern values.
func (c *company) received() bool { return len(c.tp.DataKinds) > 0 || len(c.leaks) > 0 }

func (c *company) count(kind string) int {
	for _, k := range c.kinds {
		if k.kind == kind {
			return k.count
		}
	}
	return 0
}

func newView(r *audit.Report) *view {
	v := &view{r: r, requests: map[reqKey]*audit.RequestDetail{}}
	for i := range r.Requests {
		d := &r.Requests[i]
		v.requests[reqKey{d.Source, d.Index}] = d
	}
	res := newResolver(r)
	for i := range r.ThirdParties {
		v.companies = append(v.companies, company{tp: &r.ThirdParties[i]})
	}
	kinds := slices.Clone(r.Summary.DataKinds)
	for i := range r.Findings {
		f := &r.Findings[i]
		v.sortFinding(i, f)
		ci := res.finding(f)
		if ci < 0 && (f.Type == audit.TypeLeak || f.Type == audit.TypePattern) && findingCompany(f) != "" {
			// A receiver the company table does not list still gets a card.
			ci = res.add(findingCompany(f))
			v.companies = append(v.companies, company{tp: &audit.ThirdParty{Company: findingCompany(f), Domains: receiverDomains(f)}})
		}
		if ci < 0 {
			continue
		}
		c := &v.companies[ci]
		switch f.Type {
		case audit.TypeLeak:
			c.leaks = append(c.leaks, i)
			c.kinds = addKind(c.kinds, f.Field)
			kinds = appendNew(kinds, f.Field)
			c.pages = appendNew(c.pages, f.Page)
		case audit.TypePattern:
			c.patterns = append(c.patterns, i)
			c.looks = addKind(c.looks, f.Rule)
		case audit.TypeViolation:
		default:
			c.other = append(c.other, i)
		}
	}
	for i := range r.Pixels {
		if ci := res.pixel(&r.Pixels[i]); ci >= 0 {
			v.companies[ci].pixels = append(v.companies[ci].pixels, i)
		} else {
			v.unplaced = append(v.unplaced, i)
		}
	}
	for i := range v.companies {
		c := &v.companies[i]
		for _, k := range c.tp.DataKinds {
			if c.count(k) == 0 {
				c.kinds = append(c.kinds, kindCount{kind: k})
			}
			kinds = appendNew(kinds, k)
		}
	}
	v.kinds = kinds
	slices.SortStableFunc(v.companies, compareCompanies)
	v.pages = dataPages(v.companies)
	return v
}

func (v *view) sortFinding(i int, f *audit.Finding) {
	switch f.Type {
	case audit.TypeLeak:
		v.leaks = append(v.leaks, i)
	case audit.TypePattern:
		v.patterns = append(v.patterns, i)
	case audit.TypeViolation:
		v.breaches = append(v.breaches, i)
	default:
		v.behaviour = append(v.behaviour, i)
	}
}

// compareCompanies puts the most significant first: data received, then
// leaks, then requests, then name.
func compareCompanies(a, b company) int {
	if c := cmp.Compare(len(b.kinds), len(a.kinds)); c != 0 {
		return c
	}
	if c := cmp.Compare(len(b.leaks)+len(b.patterns), len(a.leaks)+len(a.patterns)); c != 0 {
		return c
	}
	if c := cmp.Compare(b.tp.Requests, a.tp.Requests); c != 0 {
		return c
	}
	return strings.Compare(a.tp.Company, b.tp.Company)
}

// withLooks returns the companies that received values that look personal
// but no persona data.
func (v *view) withLooks() []*company {
	var out []*company
	for i := range v.companies {
		if len(v.companies[i].kinds) == 0 && len(v.companies[i].looks) > 0 {
			out = append(out, &v.companies[i])
		}
	}
	return out
}

// lookKinds lists the pattern rules seen, in company order.
func (v *view) lookKinds() []string {
	var out []string
	for _, c := range v.companies {
		for _, k := range c.looks {
			out = appendNew(out, k.kind)
		}
	}
	return out
}

// withData returns the companies that received persona data.
func (v *view) withData() []*company {
	var out []*company
	for i := range v.companies {
		if len(v.companies[i].kinds) > 0 {
			out = append(out, &v.companies[i])
		}
	}
	return out
}

// request returns the raw evidence behind a reference, or nil.
func (v *view) request(ref *audit.RequestRef) *audit.RequestDetail {
	if ref == nil {
		return nil
	}
	return v.requests[reqKey{ref.Source, ref.Index}]
}

func findingCompany(f *audit.Finding) string {
	if f.Receiver != nil && f.Receiver.Company != "" {
		return f.Receiver.Company
	}
	return f.Vendor
}

func receiverDomains(f *audit.Finding) []string {
	if f.Receiver == nil || f.Receiver.Domain == "" {
		return nil
	}
	return []string{f.Receiver.Domain}
}

func addKind(ks []kindCount, kind string) []kindCount {
	for i := range ks {
		if ks[i].kind == kind {
			ks[i].count++
			return ks
		}
	}
	return append(ks, kindCount{kind: kind, count: 1})
}

func appendNew(list []string, s string) []string {
	if s == "" || slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// dataPages lists the pages personal data left from, in first-seen order.
func dataPages(cs []company) []string {
	var pages []string
	for _, c := range cs {
		for _, p := range c.pages {
			pages = appendNew(pages, p)
		}
	}
	return pages
}
