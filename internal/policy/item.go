package policy

import (
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/leakwatch/leakwatch/internal/audit"
)

// Item kinds.
const (
	kindFinding = iota
	kindThirdParty
	kindPixel
)

// item is one thing a rule can be broken by, with the attributes selectors
// look at, all lowercased where matching is case-insensitive.
type item struct {
	kind       int
	index      int // into Report.Findings for findings
	typ        string
	company    string   // the name sentences use
	names      []string // every name the receiver goes by: entity, owner, pixel vendor
	hosts      []string // receiving host and registrable domain(s)
	categories []string
	page       string
	field      string
	rule       string
	channel    string
	meaning    string
	account    string
	confidence string // of pattern findings: high (also when a report leaves it empty), medium, low
	key        string // identity against a baseline
	sentence   string
}

// items lists the report's findings, third parties and pixel IDs.
func items(r *audit.Report) []item {
	o := newOwners(r)
	var out []item
	for i := range r.Findings {
		f := &r.Findings[i]
		if f.Type == audit.TypeViolation {
			continue
		}
		it := findingItem(f)
		it.index = i
		o.name(&it, o.findings[i])
		out = append(out, it)
	}
	for i := range r.ThirdParties {
		tp := &r.ThirdParties[i]
		it := item{
			kind: kindThirdParty, company: tp.Company,
			hosts:    append(append([]string{}, tp.Domains...), tp.Hosts...),
			key:      "third-party\x00" + strings.ToLower(tp.Company),
			sentence: thirdPartySentence(*tp),
		}
		o.nameThirdParty(&it, i)
		out = append(out, it)
	}
	return append(out, pixelItems(r, o)...)
}

// owners gives every item the names of the company the report attributes
// it to (audit.Report.Companies), so that a rule naming "Meta", "Facebook"
// or facebook.com reaches every item of that company, as the report groups
// them.
type owners struct {
	r                *audit.Report
	findings, pixels []int // company index of each finding and pixel hit, or -1
	byThirdParty     map[int]int
	vendors          map[int][]string // pixel vendor names of each company
}

// newOwners reads the grouping of r (worked out again when r, read from
// JSON, has none).
func newOwners(r *audit.Report) *owners {
	r = r.Grouped()
	o := &owners{r: r, byThirdParty: map[int]int{}, vendors: map[int][]string{}}
	o.findings, o.pixels = r.Owners()
	for ci, c := range r.Companies {
		if c.ThirdParty >= 0 {
			o.byThirdParty[c.ThirdParty] = ci
		}
	}
	for i, ci := range o.pixels {
		if v := r.Pixels[i].Vendor; ci >= 0 && v != "" {
			o.vendors[ci] = append(o.vendors[ci], v)
		}
	}
	return o
}

// name fills an item's names and categories from its company, by index
// into Report.Companies (-1: unattributed).
func (o *owners) name(it *item, ci int) {
	it.names = nonEmpty(it.names...)
	if it.company != "" {
		it.names = append(it.names, strings.ToLower(it.company))
	}
	if ci < 0 || ci >= len(o.r.Companies) {
		return
	}
	c := &o.r.Companies[ci]
	it.names = append(it.names, strings.ToLower(c.Name))
	it.names = append(it.names, nonEmpty(o.vendors[ci]...)...)
	if c.ThirdParty >= 0 {
		tp := &o.r.ThirdParties[c.ThirdParty]
		it.names = append(it.names, strings.ToLower(tp.Company))
		it.categories = tp.Categories
	}
}

// nameThirdParty names the item of third party i.
func (o *owners) nameThirdParty(it *item, i int) {
	if ci, ok := o.byThirdParty[i]; ok {
		o.name(it, ci)
		return
	}
	o.name(it, -1)
	it.names = append(it.names, strings.ToLower(o.r.ThirdParties[i].Company))
	it.categories = o.r.ThirdParties[i].Categories
}

func findingItem(f *audit.Finding) item {
	it := item{
		kind: kindFinding, typ: f.Type, page: f.Page, field: f.Field, rule: f.Rule,
		channel: f.Channel, meaning: f.Meaning, account: f.Account, company: f.Vendor,
		names: nonEmpty(f.Vendor),
	}
	if f.Type == audit.TypePattern {
		it.confidence = strings.ToLower(f.Confidence)
		if it.confidence == "" {
			it.confidence = audit.ConfidenceHigh
		}
	}
	if f.Receiver != nil {
		it.company = f.Receiver.Company
		it.hosts = nonEmpty(f.Receiver.Host, f.Receiver.Domain)
	}
	if len(it.hosts) == 0 && f.Request != nil {
		it.hosts = nonEmpty(hostOf(f.Request.URL))
	}
	it.key = strings.Join([]string{f.Type, strings.ToLower(it.company), f.Vendor, f.Product, f.Account,
		f.Field, f.Rule, f.Channel, f.Location}, "\x00")
	it.sentence = findingSentence(f, it.company)
	return it
}

// pixelItems gives one item per distinct vendor, product and account.
func pixelItems(r *audit.Report, o *owners) []item {
	seen := map[string]int{}
	var out []item
	for i, h := range r.Pixels {
		if h.Account == "" {
			continue
		}
		key := "pixel\x00" + strings.ToLower(h.Vendor) + "\x00" + strings.ToLower(h.Product) + "\x00" + h.Account
		if i, ok := seen[key]; ok {
			out[i].index++ // hit count while building
			continue
		}
		seen[key] = len(out)
		it := item{
			kind: kindPixel, company: h.Vendor, account: h.Account, page: h.Page,
			hosts: nonEmpty(hostOf(h.Request.URL)), key: key, index: 1, sentence: h.Product,
		}
		o.name(&it, o.pixels[i])
		out = append(out, it)
	}
	for i := range out {
		it := &out[i]
		it.sentence = fmt.Sprintf("%s %s (%s) fired %s on %s", it.sentence, it.account, it.company, plural(it.index, "hit"), orUnknown(it.page))
		it.index = -1
	}
	return out
}

func thirdPartySentence(tp audit.ThirdParty) string {
	s := fmt.Sprintf("%s (%s) received %s", tp.Company, strings.Join(tp.Domains, ", "), plural(tp.Requests, "request"))
	if len(tp.DataKinds) > 0 {
		s += " and the persona's " + strings.Join(tp.DataKinds, ", ")
	}
	return s
}

func findingSentence(f *audit.Finding, company string) string {
	who := orUnknown(company)
	if f.Receiver != nil && f.Receiver.Domain != "" && !strings.EqualFold(f.Receiver.Domain, company) {
		who += " (" + f.Receiver.Domain + ")"
	}
	var s string
	switch f.Type {
	case audit.TypeLeak:
		s = fmt.Sprintf("%s received %s%s%s", who, f.Field, encodingPhrase(f.Encoding, f.Field), where(f))
	case audit.TypePattern:
		s = fmt.Sprintf("%s received a value that looks like %s%s", who, f.Rule, where(f))
	default:
		s = f.Summary
		if s == "" {
			s = fmt.Sprintf("%s finding for %s", f.Type, who)
		} else {
			s = fmt.Sprintf("%s: %s: %s", who, f.Type, strings.TrimSuffix(s, "."))
		}
	}
	if f.Page != "" {
		s += " on " + f.Page
	}
	return s + requestPhrase(f)
}

// encodingPhrase writes the chain outermost first as nested calls:
// ["base64", "sha256"] of email reads "as base64(sha256(email))".
func encodingPhrase(enc []string, field string) string {
	if len(enc) == 0 {
		return " in plain text"
	}
	return " as " + strings.Join(enc, "(") + "(" + field + strings.Repeat(")", len(enc))
}

func where(f *audit.Finding) string {
	s := ""
	if f.Channel != "" {
		s = " in " + f.Channel
	}
	if f.Location != "" {
		s += " " + f.Location
	}
	if f.Meaning != "" {
		s += " (" + f.Meaning + ")"
	}
	return s
}

func requestPhrase(f *audit.Finding) string {
	var idx []int
	if f.Request != nil {
		idx = append(idx, f.Request.Index)
	}
	for _, i := range f.Requests {
		if f.Request == nil || i != f.Request.Index {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		return ""
	}
	sort.Ints(idx)
	parts := make([]string, 0, 4)
	for i, n := range idx {
		if i == 3 {
			parts = append(parts, fmt.Sprintf("and %d more", len(idx)-3))
			break
		}
		parts = append(parts, fmt.Sprintf("#%d", n))
	}
	word := "request "
	if len(idx) > 1 {
		word = "requests "
	}
	return " (" + word + strings.Join(parts, ", ") + ")"
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func orUnknown(s string) string {
	if s == "" {
		return "an unknown party"
	}
	return s
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}

func nonEmpty(vs ...string) []string {
	var out []string
	for _, v := range vs {
		if v != "" {
			out = append(out, strings.ToLower(v))
		}
	}
	return out
}
