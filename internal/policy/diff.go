package policy

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/leakwatch/leakwatch/internal/audit"
)

// Changes is what changed between two reports of the same site.
type Changes struct {
	NewCompanies  []CompanyChange `json:"new_companies"`
	GoneCompanies []CompanyChange `json:"gone_companies"`
	// ChangedCompanies are in both reports and receive other data kinds.
	ChangedCompanies []CompanyChange `json:"changed_companies"`
	NewPixels        []PixelID       `json:"new_pixels"`
	GonePixels       []PixelID       `json:"gone_pixels"`
	NewFindingTypes  []string        `json:"new_finding_types"`
	GoneFindingTypes []string        `json:"gone_finding_types"`
	// NewFindings and GoneFindings are sentences, one per finding identity
	// (see Evaluate) present in one report only.
	NewFindings  []string `json:"new_findings"`
	GoneFindings []string `json:"gone_findings"`
}

// CompanyChange is a company that appeared, went, or changed what it gets.
type CompanyChange struct {
	Company string   `json:"company"`
	Domains []string `json:"domains,omitempty"`
	// DataKinds are what a new company receives or a gone one received.
	DataKinds []string `json:"data_kinds,omitempty"`
	// NewDataKinds and GoneDataKinds are set for a changed company.
	NewDataKinds  []string `json:"new_data_kinds,omitempty"`
	GoneDataKinds []string `json:"gone_data_kinds,omitempty"`
}

// PixelID is a tracking account: a vendor's product and its ID.
type PixelID struct {
	Vendor  string `json:"vendor"`
	Product string `json:"product"`
	Account string `json:"account"`
}

func (p PixelID) String() string { return p.Product + " " + p.Account + " (" + p.Vendor + ")" }

// HasNew reports whether the new report has anything the old one lacks: a
// company, a data kind reaching a company, a pixel ID, a finding type or a
// finding. What is gone does not count.
func (d *Changes) HasNew() bool {
	n := len(d.NewCompanies) + len(d.NewPixels) + len(d.NewFindingTypes) + len(d.NewFindings)
	for _, c := range d.ChangedCompanies {
		n += len(c.NewDataKinds)
	}
	return n > 0
}

// Empty reports whether nothing changed.
func (d *Changes) Empty() bool {
	return len(d.NewCompanies)+len(d.GoneCompanies)+len(d.ChangedCompanies)+len(d.NewPixels)+len(d.GonePixels)+
		len(d.NewFindingTypes)+len(d.GoneFindingTypes)+len(d.NewFindings)+len(d.GoneFindings) == 0
}

// Diff compares an old and a new report.
func Diff(old, cur *audit.Report) *Changes {
	d := &Changes{}
	if old == nil {
		old = &audit.Report{}
	}
	if cur == nil {
		cur = &audit.Report{}
	}
	oc, nc := companies(old), companies(cur)
	for _, key := range sortedKeys(nc) {
		n := nc[key]
		o, ok := oc[key]
		if !ok {
			d.NewCompanies = append(d.NewCompanies, CompanyChange{Company: n.name, Domains: n.domains, DataKinds: n.kinds})
			continue
		}
		add, gone := setDiff(n.kinds, o.kinds), setDiff(o.kinds, n.kinds)
		if len(add)+len(gone) > 0 {
			d.ChangedCompanies = append(d.ChangedCompanies, CompanyChange{Company: n.name, Domains: n.domains, NewDataKinds: add, GoneDataKinds: gone})
		}
	}
	for _, key := range sortedKeys(oc) {
		if _, ok := nc[key]; !ok {
			o := oc[key]
			d.GoneCompanies = append(d.GoneCompanies, CompanyChange{Company: o.name, Domains: o.domains, DataKinds: o.kinds})
		}
	}
	op, np := pixelIDs(old), pixelIDs(cur)
	d.NewPixels, d.GonePixels = pixelDiff(np, op), pixelDiff(op, np)
	ot, nt := findingTypes(old), findingTypes(cur)
	d.NewFindingTypes, d.GoneFindingTypes = setDiff(nt, ot), setDiff(ot, nt)
	d.NewFindings, d.GoneFindings = findingDiff(cur, old), findingDiff(old, cur)
	d.fillEmpty()
	return d
}

// fillEmpty makes empty lists encode as [] rather than null.
func (d *Changes) fillEmpty() {
	for _, s := range []*[]CompanyChange{&d.NewCompanies, &d.GoneCompanies, &d.ChangedCompanies} {
		if *s == nil {
			*s = []CompanyChange{}
		}
	}
	for _, s := range []*[]PixelID{&d.NewPixels, &d.GonePixels} {
		if *s == nil {
			*s = []PixelID{}
		}
	}
	for _, s := range []*[]string{&d.NewFindingTypes, &d.GoneFindingTypes, &d.NewFindings, &d.GoneFindings} {
		if *s == nil {
			*s = []string{}
		}
	}
}

type companyInfo struct {
	name    string
	domains []string
	kinds   []string
}

// companies maps lowercased company names to what each received, as the
// report groups findings by company (audit.Report.Companies): every third
// party, and the other receivers of persona data.
func companies(r *audit.Report) map[string]*companyInfo {
	r = r.Grouped()
	out := map[string]*companyInfo{}
	get := func(name string) *companyInfo {
		key := strings.ToLower(name)
		if out[key] == nil {
			out[key] = &companyInfo{name: name}
		}
		return out[key]
	}
	for _, tp := range r.ThirdParties {
		c := get(tp.Company)
		c.domains = tp.Domains
		c.kinds = append(c.kinds, tp.DataKinds...)
	}
	for _, co := range r.Companies {
		if co.ThirdParty < 0 && len(co.DataKinds) == 0 {
			continue
		}
		c := get(co.Name)
		if c.domains == nil {
			c.domains = co.Domains
		}
		c.kinds = append(c.kinds, co.DataKinds...)
	}
	for _, c := range out {
		c.kinds = uniqSorted(c.kinds)
	}
	return out
}

func pixelIDs(r *audit.Report) []PixelID {
	var out []PixelID
	for _, h := range r.Pixels {
		if h.Account != "" {
			out = append(out, PixelID{h.Vendor, h.Product, h.Account})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return slices.Compact(out)
}

func pixelDiff(a, b []PixelID) []PixelID {
	var out []PixelID
	for _, p := range a {
		if !slices.ContainsFunc(b, func(q PixelID) bool {
			return strings.EqualFold(p.Vendor, q.Vendor) && strings.EqualFold(p.Product, q.Product) && p.Account == q.Account
		}) {
			out = append(out, p)
		}
	}
	return out
}

func findingTypes(r *audit.Report) []string {
	var out []string
	for _, f := range r.Findings {
		if f.Type != audit.TypeViolation {
			out = append(out, f.Type)
		}
	}
	return uniqSorted(out)
}

// findingDiff lists sentences for findings of a whose identity b lacks.
func findingDiff(a, b *audit.Report) []string {
	inB := map[string]bool{}
	for _, it := range items(b) {
		inB[it.key] = true
	}
	done := map[string]bool{}
	var out []string
	for _, it := range items(a) {
		if it.kind != kindFinding || inB[it.key] || done[it.key] {
			continue
		}
		done[it.key] = true
		out = append(out, it.sentence)
	}
	return out
}

// WriteText writes the diff for people, one change per line.
func (d *Changes) WriteText(w io.Writer) error {
	ew := &errWriter{w: w}
	if d.Empty() {
		ew.printf("No differences: the same companies, data kinds, pixel IDs and findings.\n")
		return ew.err
	}
	section(ew, "New companies", len(d.NewCompanies), func() {
		for _, c := range d.NewCompanies {
			ew.printf("  + %s%s%s\n", c.Company, domains(c.Domains), receives(" receives ", c.DataKinds))
		}
	})
	section(ew, "Gone companies", len(d.GoneCompanies), func() {
		for _, c := range d.GoneCompanies {
			ew.printf("  - %s%s%s\n", c.Company, domains(c.Domains), receives(" received ", c.DataKinds))
		}
	})
	section(ew, "Companies receiving other data", len(d.ChangedCompanies), func() {
		for _, c := range d.ChangedCompanies {
			ew.printf("  ~ %s%s%s\n", c.Company, receives(": now also receives ", c.NewDataKinds), receives("; no longer receives ", c.GoneDataKinds))
		}
	})
	section(ew, "New pixel IDs", len(d.NewPixels), func() { pixels(ew, "+", d.NewPixels) })
	section(ew, "Gone pixel IDs", len(d.GonePixels), func() { pixels(ew, "-", d.GonePixels) })
	section(ew, "New finding types", len(d.NewFindingTypes), func() { ew.printf("  + %s\n", strings.Join(d.NewFindingTypes, ", ")) })
	section(ew, "Gone finding types", len(d.GoneFindingTypes), func() { ew.printf("  - %s\n", strings.Join(d.GoneFindingTypes, ", ")) })
	section(ew, "New findings", len(d.NewFindings), func() { lines(ew, "+", d.NewFindings) })
	section(ew, "Gone findings", len(d.GoneFindings), func() { lines(ew, "-", d.GoneFindings) })
	return ew.err
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}

func section(ew *errWriter, title string, n int, body func()) {
	if n > 0 {
		ew.printf("%s (%d):\n", title, n)
		body()
	}
}

func pixels(ew *errWriter, mark string, ps []PixelID) {
	for _, p := range ps {
		ew.printf("  %s %s\n", mark, p)
	}
}

func lines(ew *errWriter, mark string, ss []string) {
	for _, s := range ss {
		ew.printf("  %s %s\n", mark, s)
	}
}

func domains(ds []string) string {
	if len(ds) == 0 {
		return ""
	}
	return " (" + strings.Join(ds, ", ") + ")"
}

func receives(prefix string, kinds []string) string {
	if len(kinds) == 0 {
		return ""
	}
	return prefix + strings.Join(kinds, ", ")
}

func setDiff(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

func uniqSorted(s []string) []string {
	s = slices.Clone(s)
	sort.Strings(s)
	return slices.Compact(s)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
