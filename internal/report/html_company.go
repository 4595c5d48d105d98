package report

import (
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/leakwatch/leakwatch/internal/audit"
)

// htmlCompany is one company card.
type htmlCompany struct {
	ID         string
	Name       string
	Known      bool
	Received   bool // persona data
	Looks      bool // values that look personal, no persona data
	Domains    []string
	Hosts      []string
	Categories []string
	Requests   int
	Blocked    int
	Rules      []string
	Kinds      []kindOpt
	LookKinds  []kindOpt
	KindKeys   string // data kind keys joined with "|", for the filter script
	Sentence   string // what the company got, in plain words
	Hashed     bool   // some of it was hashed
	Leaks      []htmlFinding
	Patterns   []htmlFinding
	Other      []htmlFinding
	Pixels     []pixelRow
	Fields     []fieldRow
}

// htmlFinding is a finding with its evidence, ready to show.
type htmlFinding struct {
	Type      string
	Title     string
	Kind      string
	Where     string
	Meaning   string
	Chain     []string
	Value     string
	Evidence  string
	Request   *audit.RequestRef
	Requests  string
	Initiator string
	Page      string
	Persona   string
	Details   []kindOpt
	Raw       *audit.RequestDetail
	// Confidence and Reason of a pattern finding.
	Confidence, Reason string
}

type pixelRow struct {
	Product, Account, Events string
	Hits                     int
}

type fieldRow struct{ Name, Meaning, Value string }

func newHTMLCompany(v *view, c *company, n int, used map[string]bool) htmlCompany {
	h := htmlCompany{
		ID: "c" + strconv.Itoa(n+1) + "-" + slug(c.tp.Company), Name: c.tp.Company, Known: c.tp.Known,
		Received: len(c.kinds) > 0, Domains: c.tp.Domains, Hosts: c.tp.Hosts, Categories: c.tp.Categories,
		Requests: c.tp.Requests, Blocked: c.tp.Blocked, Rules: c.tp.Rules,
	}
	h.Looks = !h.Received && len(c.looks) > 0
	var keys []string
	h.Kinds, keys = countLabels(c.kinds, keys)
	h.LookKinds, keys = countLabels(c.looks, keys)
	h.KindKeys = strings.Join(keys, "|")
	h.Sentence, h.Hashed = companySentence(v, c)
	for _, i := range c.leaks {
		h.Leaks = append(h.Leaks, newHTMLFinding(v, &v.r.Findings[i]))
	}
	for _, i := range c.patterns {
		h.Patterns = append(h.Patterns, newHTMLFinding(v, &v.r.Findings[i]))
	}
	for _, i := range c.other {
		used[strconv.Itoa(i)] = true
		h.Other = append(h.Other, newHTMLFinding(v, &v.r.Findings[i]))
	}
	hits := make([]audit.PixelHit, len(c.pixels))
	for i, p := range c.pixels {
		hits[i] = v.r.Pixels[p]
	}
	for _, g := range groupPixels(hits) {
		h.Pixels = append(h.Pixels, pixelRow{Product: g.product, Account: strings.Join(g.accounts, ", "),
			Events: eventList(g.events), Hits: g.hits})
	}
	h.Fields = notableFields(hits)
	return h
}

// isHash reports whether an encoding step is a one-way hash: md5, sha1,
// sha256, sha256-salted, sha3-256, ripemd160, blake2b, murmurhash3, ...
func isHash(step string) bool {
	for _, p := range []string{"md", "sha", "ripemd", "blake", "murmur", "whirlpool"} {
		if strings.HasPrefix(step, p) {
			return true
		}
	}
	return false
}

// companySentence says in plain words what a company received: "Meta
// received the visitor's email address (hashed) and ZIP code (hashed) in 2
// requests from 2 pages."
func companySentence(v *view, c *company) (string, bool) {
	if len(c.leaks) == 0 {
		return "", false
	}
	var parts []string
	reqs := map[reqKey]bool{}
	anyHash := false
	for _, k := range c.kinds {
		hashed := false
		for _, i := range c.leaks {
			f := &v.r.Findings[i]
			if f.Request != nil {
				reqs[reqKey{f.Request.Source, f.Request.Index}] = true
			}
			if f.Field == k.kind && slices.ContainsFunc(f.Encoding, isHash) {
				hashed = true
			}
		}
		part := kindLabel(k.kind)
		if hashed {
			part += " (hashed)"
			anyHash = true
		}
		parts = append(parts, part)
	}
	s := c.tp.Company + " received the visitor's " + joinWords(parts) + " in " +
		plural(len(reqs), "request", "requests")
	if len(c.pages) > 0 {
		s += " from " + plural(len(c.pages), "page", "pages")
	}
	return s + ".", anyHash
}

// countLabels names counted kinds ("email address ×2") and adds their keys.
func countLabels(ks []kindCount, keys []string) ([]kindOpt, []string) {
	var out []kindOpt
	for _, k := range ks {
		keys = appendNew(keys, k.kind)
		label := kindLabel(k.kind)
		if k.count > 1 {
			label += " ×" + strconv.Itoa(k.count)
		}
		out = append(out, kindOpt{Key: k.kind, Label: label})
	}
	return out, keys
}

// notableFields lists the distinct decoded fields that carry something
// about the visitor.
func notableFields(hits []audit.PixelHit) []fieldRow {
	var rows []fieldRow
	seen := map[fieldRow]bool{}
	for _, hit := range hits {
		for _, f := range hit.Fields {
			row := fieldRow{Name: f.Name, Meaning: strings.ReplaceAll(string(f.Meaning), "_", " "), Value: f.Value}
			if !seen[row] && isNotable(f.Meaning) {
				seen[row] = true
				rows = append(rows, row)
			}
		}
	}
	slices.SortStableFunc(rows, func(a, b fieldRow) int {
		return meaningRank(strings.ReplaceAll(a.Meaning, " ", "_")+": ") - meaningRank(strings.ReplaceAll(b.Meaning, " ", "_")+": ")
	})
	return rows
}

func newHTMLFinding(v *view, f *audit.Finding) htmlFinding {
	h := htmlFinding{
		Type: f.Type, Title: findingTitle(f), Kind: kindLabel(f.Field), Where: where(f),
		Meaning: strings.ReplaceAll(f.Meaning, "_", " "), Chain: f.Encoding, Value: f.Value,
		Evidence: f.Evidence, Request: f.Request, Requests: requestList(f), Initiator: f.Initiator,
		Page: f.Page, Persona: f.Persona, Raw: v.request(f.Request),
	}
	if f.Type == audit.TypePattern {
		h.Kind = f.Rule
		h.Confidence, h.Reason = cmpOr(f.Confidence, audit.ConfidenceHigh), f.Reason
	}
	for _, d := range f.Details {
		h.Details = append(h.Details, kindOpt{Key: d.Name, Label: d.Value})
	}
	if w := who(f); w != "" && f.Type != audit.TypeLeak && f.Type != audit.TypePattern {
		h.Details = append([]kindOpt{{Key: "who", Label: w}}, h.Details...)
	}
	return h
}

// slug makes a company name safe for an element id.
func slug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	return strings.Trim(b.String(), "-")
}
