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
	verbose   bool
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
	// hidden counts the pattern findings below high confidence left out
	// unless verbose.
	hidden int
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
	// behaves is set when a behaviour finding other than a cookie note
	// names the company (cookie sync, session replay, beacons, ...).
	behaves bool
	// beacons is set when unrecognised tracking beacons went to it.
	beacons bool
}

type kindCount struct {
	kind  string
	count int
}

func (c *company) count(kind string) int {
	for _, k := range c.kinds {
		if k.kind == kind {
			return k.count
		}
	}
	return 0
}

func newView(r *audit.Report, opts Options) *view {
	r = r.Grouped()
	v := &view{r: r, verbose: opts.Verbose, requests: map[reqKey]*audit.RequestDetail{}}
	for i := range r.Requests {
		d := &r.Requests[i]
		v.requests[reqKey{d.Source, d.Index}] = d
	}
	for i := range r.ThirdParties {
		v.companies = append(v.companies, company{tp: &r.ThirdParties[i]})
	}
	kinds := v.placeAttributed(slices.Clone(r.Summary.DataKinds))
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
	slices.SortStableFunc(v.behaviour, func(a, b int) int {
		return cmp.Compare(behaviourRank(r.Findings[a].Type), behaviourRank(r.Findings[b].Type))
	})
	slices.SortStableFunc(v.companies, compareCompanies)
	v.pages = dataPages(v.companies)
	return v
}

// placeAttributed files findings and pixel hits on the cards of the
// companies audit attributed them to (a company with a third-party entry
// has that entry's card) and returns the data kinds seen, extended by the
// leaks'.
func (v *view) placeAttributed(kinds []string) []string {
	r := v.r
	findingOwner, pixelOwner := r.Owners()
	cards := make([]int, len(r.Companies))
	for ci, c := range r.Companies {
		cards[ci] = c.ThirdParty
	}
	for i := range r.Findings {
		f := &r.Findings[i]
		if f.Type == audit.TypePattern && !v.verbose && !highConfidence(f) {
			v.hidden++
			continue
		}
		v.sortFinding(i, f)
		ci := findingOwner[i]
		if ci < 0 {
			continue
		}
		if cards[ci] < 0 && (f.Type == audit.TypeLeak || f.Type == audit.TypePattern) {
			// A receiver the company table does not list still gets a card.
			c := &r.Companies[ci]
			cards[ci] = len(v.companies)
			v.companies = append(v.companies, company{tp: &audit.ThirdParty{Company: c.Name, Domains: c.Domains}})
		}
		if cards[ci] >= 0 {
			kinds = v.companies[cards[ci]].add(i, f, kinds)
		}
	}
	for i, ci := range pixelOwner {
		if ci >= 0 && cards[ci] >= 0 {
			v.companies[cards[ci]].pixels = append(v.companies[cards[ci]].pixels, i)
		} else {
			v.unplaced = append(v.unplaced, i)
		}
	}
	return kinds
}

func (v *view) sortFinding(i int, f *audit.Finding) {
	switch f.Type {
	case audit.TypeLeak:
		v.leaks = append(v.leaks, i)
	case audit.TypePattern:
		v.patterns = append(v.patterns, i)
	case audit.TypeViolation:
		v.breaches = append(v.breaches, i)
	case audit.TypeConsentConflict, audit.TypeBeforeChoice, audit.TypeAfterReject, audit.TypeDespiteGPC:
		// The consent section lists them.
	default:
		v.behaviour = append(v.behaviour, i)
	}
}

// compareCompanies puts the most significant first: data received, then
// leaks, then companies that run pixels or take part in tracking
// behaviour, then requests, then name.
func compareCompanies(a, b company) int {
	if c := cmp.Compare(len(b.kinds), len(a.kinds)); c != 0 {
		return c
	}
	if c := cmp.Compare(len(b.leaks)+len(b.patterns), len(a.leaks)+len(a.patterns)); c != 0 {
		return c
	}
	if c := cmp.Compare(b.rank(), a.rank()); c != 0 {
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

// add files finding i under the company and returns the data kinds seen,
// extended by a leak's.
func (c *company) add(i int, f *audit.Finding, kinds []string) []string {
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
		c.behaves = c.behaves || !slices.Contains(cookieNotes, f.Type) && f.Type != audit.TypeTrackingBeacon
		c.beacons = c.beacons || f.Type == audit.TypeTrackingBeacon
	}
	return kinds
}

// highConfidence reports whether a pattern finding is shown by default. A
// report written before confidence existed leaves it empty: high.
func highConfidence(f *audit.Finding) bool {
	return f.Confidence == "" || f.Confidence == audit.ConfidenceHigh
}

// behaviourOrder lists behaviour finding types, most serious first; types
// not listed come after, in report order.
// cookieNotes are the behaviour findings that only say cookies were set or
// hold identifiers: on a news page nearly every company has them, so the
// short report folds them.
var cookieNotes = []string{audit.TypeThirdPartyCookie, audit.TypeIdentifierCookie}

var behaviourOrder = []string{audit.TypeAutomaticMatching, audit.TypeSessionReplay, audit.TypeFingerprinting,
	audit.TypeCookieSync, audit.TypePixelConfig, audit.TypeTrackingBeacon, audit.TypeThirdPartyCookie,
	audit.TypeIdentifierCookie}

func behaviourRank(typ string) int {
	if i := slices.Index(behaviourOrder, typ); i >= 0 {
		return i
	}
	return len(behaviourOrder)
}

// rank says how much a company without persona data matters to a reader:
// 3 when it runs pixels or got values that look personal, 2 when it takes
// part in tracking behaviour beyond cookies and beacons (identifier flows,
// session replay), 1 for unrecognised beacons only, 0 otherwise.
func (c *company) rank() int {
	switch {
	case len(c.pixels) > 0 || len(c.looks) > 0:
		return 3
	case c.behaves:
		return 2
	case c.beacons:
		return 1
	}
	return 0
}

// notable reports whether the company belongs in the short list: it
// received data, runs pixels, or takes part in tracking behaviour.
func (c *company) notable() bool { return len(c.kinds) > 0 || c.rank() > 0 }
