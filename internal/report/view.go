package report

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
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

// resolver finds the company card a finding or pixel hit belongs to: by
// the receiver's company, then the request host, then the pixel product,
// then the vendor name.
type resolver struct {
	byName    map[string]int
	byHost    map[string]int
	byProduct map[string]int
	urls      map[reqKey]string // request URLs known from details, pixel hits and findings
	n         int
}

func newResolver(r *audit.Report) *resolver {
	res := &resolver{byName: map[string]int{}, byHost: map[string]int{}, byProduct: map[string]int{},
		urls: map[reqKey]string{}}
	for _, d := range r.Requests {
		res.urls[reqKey{d.Source, d.Index}] = d.URL
	}
	for _, h := range r.Pixels {
		res.urls[reqKey{h.Request.Source, h.Request.Index}] = h.Request.URL
	}
	for _, f := range r.Findings {
		if f.Request != nil && f.Request.URL != "" {
			res.urls[reqKey{f.Request.Source, f.Request.Index}] = f.Request.URL
		}
	}
	for i := range r.ThirdParties {
		tp := &r.ThirdParties[i]
		setFirst(res.byName, tp.Company, i)
		for _, h := range tp.Hosts {
			setFirst(res.byHost, h, i)
		}
		for _, p := range tp.Products {
			setFirst(res.byProduct, p, i)
		}
	}
	res.n = len(r.ThirdParties)
	return res
}

func setFirst(m map[string]int, key string, i int) {
	if _, ok := m[key]; !ok && key != "" {
		m[key] = i
	}
}

// add registers a company that only findings name and returns its index.
func (res *resolver) add(name string) int {
	res.byName[name] = res.n
	res.n++
	return res.n - 1
}

func (res *resolver) lookup(name, url, product, vendor string) int {
	if i, ok := res.byName[name]; ok && name != "" {
		return i
	}
	if i, ok := res.byHost[hostOf(url)]; ok && url != "" {
		return i
	}
	if i, ok := res.byProduct[product]; ok && product != "" {
		return i
	}
	if i, ok := res.byName[vendor]; ok && vendor != "" {
		return i
	}
	return -1
}

func (res *resolver) finding(f *audit.Finding) int {
	var name, url string
	if f.Receiver != nil {
		name = f.Receiver.Company
		if i, ok := res.byHost[f.Receiver.Host]; ok && name == "" {
			return i
		}
	}
	src := 0
	if f.Request != nil {
		url, src = f.Request.URL, f.Request.Source
	}
	if i := res.lookup(name, url, f.Product, f.Vendor); i >= 0 {
		return i
	}
	// Last resort: the host of any request the finding points at.
	for _, n := range f.Requests {
		if i, ok := res.byHost[hostOf(res.urls[reqKey{src, n}])]; ok {
			return i
		}
	}
	return -1
}

func (res *resolver) pixel(h *audit.PixelHit) int {
	return res.lookup("", h.Request.URL, h.Product, h.Vendor)
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

// kindLabels are plain words for persona keys.
var kindLabels = map[string]string{
	"email":            "email address",
	"phone":            "phone number",
	"name":             "name",
	"first_name":       "first name",
	"last_name":        "last name",
	"street":           "street address",
	"city":             "city",
	"state":            "state",
	"zip":              "ZIP code",
	"country":          "country",
	"date_of_birth":    "date of birth",
	"tracking_numbers": "parcel tracking number",
	// pattern rules
	"us-address":   "US street address",
	"usps-impb":    "USPS tracking number",
	"upu-s10":      "S10 parcel number",
	"ups":          "UPS tracking number",
	"fedex":        "FedEx tracking number",
	"payment-card": "payment card number",
	"us-ssn":       "US social security number",
}

// kindLabel names a data kind in plain words.
func kindLabel(kind string) string {
	if l, ok := kindLabels[kind]; ok {
		return l
	}
	if rest, ok := strings.CutPrefix(kind, "custom."); ok {
		return rest
	}
	return strings.ReplaceAll(kind, "_", " ")
}

func kindLabelList(kinds []string) []string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = kindLabel(k)
	}
	return out
}

// joinWords joins items as "a, b and c".
func joinWords(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// plural returns "1 company" or "3 companies".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// headline says in a sentence or two who received what, from where.
func (v *view) headline() string {
	cs, looks := v.withData(), v.withLooks()
	var s string
	switch {
	case len(cs) > 0:
		s = fmt.Sprintf("%s received personal data (%s): %s.",
			plural(len(cs), "company", "companies"), joinWords(kindLabelList(v.kinds)), joinWords(companyNames(cs)))
		if len(v.pages) > 0 {
			s += " It left from " + plural(len(v.pages), "page", "pages") + ": " + joinWords(v.pages) + "."
		}
	case len(v.companies) == 0:
		return "No third party received requests, and no personal data was found leaving the site."
	case len(looks) == 0:
		return fmt.Sprintf("No personal data was found going to the %s this site contacted.",
			plural(len(v.companies), "third-party company", "third-party companies"))
	default:
		s = fmt.Sprintf("No persona value was found in requests to the %s this site contacted.",
			plural(len(v.companies), "third-party company", "third-party companies"))
	}
	if len(looks) > 0 {
		s += " " + looksSentence(v, looks)
	}
	return s
}

// looksSentence tells of values that look personal, found without a persona.
func looksSentence(v *view, looks []*company) string {
	also := ""
	if len(v.withData()) > 0 {
		also = " also"
	}
	return fmt.Sprintf("Values that look personal (%s)%s went to %s: %s.", joinWords(kindLabelList(v.lookKinds())),
		also, plural(len(looks), "company", "companies"), joinWords(companyNames(looks)))
}

func companyNames(cs []*company) []string {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = c.tp.Company
	}
	return names
}

// encodingChain renders transforms innermost last as "sha256 ← meta-normalize".
func encodingChain(enc []string) string {
	if len(enc) == 0 {
		return "plain"
	}
	return strings.Join(enc, " ← ")
}

// shorten cuts s to at most n runes, marking the cut with "…".
func shorten(s string, n int) string {
	if n <= 1 {
		return ""
	}
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	return string(rs[:n-1]) + "…"
}

// where names the place in a request a finding sits, e.g. "query ud[em]".
func where(f *audit.Finding) string {
	switch {
	case f.Channel != "" && f.Location != "":
		return f.Channel + " " + f.Location
	case f.Channel != "":
		return f.Channel
	}
	return f.Location
}

// findingTitle is a short line naming a non-leak finding.
func findingTitle(f *audit.Finding) string {
	if f.Summary != "" {
		return f.Summary
	}
	parts := []string{f.Type}
	for _, s := range []string{f.Vendor, f.Product, f.Account, f.Rule} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " ")
}
