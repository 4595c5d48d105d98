package report

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/leakwatch/leakwatch/internal/audit"
)

func (t *textWriter) leaks() {
	if len(t.v.leaks) == 0 {
		return
	}
	t.section("Evidence: personal data sent to third parties", len(t.v.leaks))
	var last *audit.RequestRef
	for _, g := range sameGroups(t.v, t.v.leaks) {
		f := &t.v.r.Findings[g[0]]
		if !sameRequest(last, f.Request) {
			t.requestLine(f.Request)
		}
		last = f.Request
		to := findingCompany(f)
		if f.Receiver != nil && f.Receiver.Host != "" {
			to += " (" + f.Receiver.Host + ")"
		}
		t.wrap("    ", t.style(ansiRed, f.Field)+" → "+to+" in "+where(f))
		t.detail("meaning", string(f.Meaning))
		t.detail("encoding", encodingChain(f.Encoding))
		t.detail("value", f.Value)
		t.detail("evidence", f.Evidence)
		t.detail("initiator", f.Initiator)
		t.detail("page", f.Page)
		t.detail("persona", f.Persona)
		t.detail("sent", submitNote(f.Submit))
		t.detail("also", sameNote(t.v, g))
	}
}

// submitNote says when a value left relative to the scan's form submission.
func submitNote(side string) string {
	switch side {
	case "before":
		return "before the form was submitted (taken while being typed)"
	case "after":
		return "after the form was submitted"
	}
	return ""
}

func sameRequest(a, b *audit.RequestRef) bool {
	return a != nil && b != nil && a.Source == b.Source && a.Index == b.Index
}

// requestLine prints "  #14 GET https://…" fitted to the width.
func (t *textWriter) requestLine(ref *audit.RequestRef) {
	if ref == nil {
		t.println("  (no request)")
		return
	}
	head := "  " + reqID(ref.Source, ref.Index)
	url, method := ref.URL, ref.Method
	if d := t.v.request(ref); d != nil && url == "" {
		url, method = d.URL, d.Method
	}
	head = strings.TrimSpace(head+" "+method) + " "
	t.println(t.style(ansiBold, head) + shorten(url, t.width-len([]rune(head))))
}

func (t *textWriter) detail(name, value string) {
	if value == "" {
		return
	}
	label := fmt.Sprintf("    %-10s ", name+":")
	t.println(t.style(ansiDim, label) + shorten(value, t.width-len(label)))
}

func (t *textWriter) patterns() {
	if len(t.v.patterns) == 0 {
		return
	}
	t.section("Personal-looking values found without a persona", len(t.v.patterns))
	for _, g := range sameGroups(t.v, t.v.patterns) {
		f := &t.v.r.Findings[g[0]]
		t.requestLine(f.Request)
		t.wrap("    ", t.style(ansiYellow, f.Rule)+" → "+findingCompany(f)+" in "+where(f))
		if t.v.verbose {
			t.detail("confidence", cmpOr(f.Confidence, audit.ConfidenceHigh))
			t.detail("reason", f.Reason)
		}
		t.detail("encoding", encodingChain(f.Encoding))
		t.detail("value", f.Value)
		t.detail("initiator", f.Initiator)
		t.detail("page", f.Page)
		t.detail("also", sameNote(t.v, g))
	}
}

// pixelGroup gathers the hits of one vendor product.
type pixelGroup struct {
	vendor, product string
	accounts        []string
	events          []kindCount
	fields          []string
	hits            int
}

// notable are the field meanings worth showing in a summary.
var notable = []audit.Meaning{audit.MeaningHashedEmail, audit.MeaningHashedPhone, audit.MeaningHashedName,
	audit.MeaningHashedAddress, audit.MeaningPlainPII, audit.MeaningUserID, audit.MeaningCustomData, audit.MeaningClickID}

func isNotable(m audit.Meaning) bool { return slices.Contains(notable, m) }

func groupPixels(hits []audit.PixelHit) []*pixelGroup {
	var groups []*pixelGroup
	for _, h := range hits {
		var g *pixelGroup
		for _, x := range groups {
			if x.vendor == h.Vendor && x.product == h.Product {
				g = x
			}
		}
		if g == nil {
			g = &pixelGroup{vendor: h.Vendor, product: h.Product}
			groups = append(groups, g)
		}
		g.hits++
		g.accounts = appendNew(g.accounts, h.Account)
		if h.Event != "" {
			g.events = addKind(g.events, h.Event)
		}
		for _, f := range h.Fields {
			if isNotable(f.Meaning) {
				g.fields = appendNew(g.fields, string(f.Meaning)+": "+f.Name+"="+f.Value)
			}
		}
	}
	for _, g := range groups {
		slices.SortStableFunc(g.fields, func(a, b string) int { return meaningRank(a) - meaningRank(b) })
	}
	return groups
}

// meaningRank orders "meaning: name=value" lines by how personal the
// meaning is, as listed in notable.
func meaningRank(line string) int {
	m, _, _ := strings.Cut(line, ": ")
	if i := slices.Index(notable, audit.Meaning(m)); i >= 0 {
		return i
	}
	return len(notable)
}

func eventList(evs []kindCount) string {
	parts := make([]string, len(evs))
	for i, e := range evs {
		parts[i] = e.kind + " ×" + strconv.Itoa(e.count)
	}
	return strings.Join(parts, ", ")
}

func (t *textWriter) pixels() {
	if len(t.v.r.Pixels) == 0 {
		return
	}
	t.section("Tracking pixels", len(t.v.r.Pixels))
	for _, g := range groupPixels(t.v.r.Pixels) {
		t.hang("  ", "    ", t.style(ansiBold, g.vendor+" · "+g.product)+" — "+plural(g.hits, "hit", "hits"))
		t.detail("accounts", strings.Join(g.accounts, ", "))
		t.detail("events", eventList(g.events))
		for i, f := range g.fields {
			if !t.v.verbose && i >= shortFields && i < len(g.fields)-1 && !personalLine(f) {
				t.detail("field", fmt.Sprintf("… and %d more (%s; --verbose shows them)",
					len(g.fields)-i, fieldMeanings(g.fields[i:])))
				break
			}
			t.detail("field", f)
		}
	}
}

func (t *textWriter) behaviour(title string, idx []int) {
	if len(idx) == 0 {
		return
	}
	t.section(title, len(idx))
	for _, i := range idx {
		f := &t.v.r.Findings[i]
		t.hang("  ", "    ", t.style(ansiYellow, "["+f.Type+"]")+" "+findingTitle(f))
		facts := []string{}
		if w := who(f); w != "" {
			facts = append(facts, w)
		}
		for _, d := range f.Details {
			facts = append(facts, d.Name+": "+shorten(d.Value, 48))
		}
		if r := requestList(f); r != "" {
			facts = append(facts, "requests "+r)
		}
		if f.Page != "" {
			facts = append(facts, "page "+f.Page)
		}
		t.hang("    ", "    ", t.style(ansiDim, strings.Join(facts, " · ")))
	}
}

// flows prints cookie-sync findings: one line per identifier by default,
// every finding with --verbose.
func (t *textWriter) flows(idx []int) {
	if len(idx) == 0 {
		return
	}
	if t.v.verbose {
		t.behaviour("Identifiers shared between companies", idx)
		return
	}
	groups := syncGroups(t.v, idx)
	t.section(fmt.Sprintf("Identifiers shared between companies (%s, %s)",
		plural(len(groups), "identifier", "identifiers"), plural(len(idx), "flow", "flows")), -1)
	for i, g := range groups {
		if i == shortSyncs {
			t.hang("  ", "    ", fmt.Sprintf("… and %s (--verbose lists every flow)",
				plural(len(groups)-i, "more identifier", "more identifiers")))
			break
		}
		t.hang("  ", "    ", g.line())
	}
}

// folded prints one line per folded finding type.
func (t *textWriter) folded(folded map[string][]int) {
	types := foldedTypes(folded)
	if len(types) == 0 {
		return
	}
	n := 0
	for _, typ := range types {
		n += len(folded[typ])
	}
	t.section("Cookies and unrecognised beacons", n)
	for _, typ := range types {
		t.hang("  ", "    ", foldedType(t.v, typ, folded[typ]))
	}
	t.wrap("  ", t.style(ansiDim, "--verbose shows each of them."))
}

// browser prints the browser's own traffic, kept apart from the site's.
func (t *textWriter) browser() {
	if line := browserLine(t.v.r.BrowserTraffic); line != "" {
		t.println("")
		t.hang("", "  ", t.style(ansiDim, line))
	}
}

// who names the vendor, product and account of a finding without repeats:
// "Meta Pixel 1234", "Google DoubleClick".
func who(f *audit.Finding) string {
	parts := []string{}
	if !strings.Contains(f.Product, f.Vendor) {
		parts = append(parts, f.Vendor)
	}
	parts = append(parts, f.Product, f.Account)
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}

// requestList names the requests behind a finding: "#3, #9".
func requestList(f *audit.Finding) string {
	var idx []string
	if f.Request != nil {
		idx = append(idx, "#"+strconv.Itoa(f.Request.Index))
	}
	for _, n := range f.Requests {
		idx = appendNew(idx, "#"+strconv.Itoa(n))
	}
	return strings.Join(idx, ", ")
}

func (t *textWriter) policy() {
	p := t.v.r.Policy
	if p == nil {
		return
	}
	t.section("Policy", -1)
	name := p.Name
	if name == "" {
		name = "policy"
	}
	if p.Passed {
		t.wrap("  ", t.style(ansiGreen+ansiBold, "PASSED")+" "+name)
	} else {
		t.wrap("  ", t.style(ansiRed+ansiBold, "FAILED")+" "+name+" — "+
			plural(p.Violations, "violation", "violations"))
	}
	for _, rr := range p.Rules {
		mark := t.style(ansiGreen, "✓")
		if !rr.Passed {
			mark = t.style(ansiRed, "✗")
		}
		t.wrap("  ", mark+" "+rr.ID+": "+rr.Description)
		for _, v := range rr.Violations {
			t.hang("      - ", "        ", v)
		}
	}
}

func (t *textWriter) warnings() {
	ws := allWarnings(t.v.r)
	if len(ws) == 0 {
		return
	}
	t.section("Warnings", len(ws))
	for _, w := range ws {
		t.wrap("  ", t.style(ansiYellow, "!")+" "+w)
	}
}

// personalMeanings are the pixel field meanings about the person, shown
// whatever the limit.
var personalMeanings = []audit.Meaning{audit.MeaningHashedEmail, audit.MeaningHashedPhone, audit.MeaningHashedName,
	audit.MeaningHashedAddress, audit.MeaningPlainPII, audit.MeaningUserID}

// personalLine reports whether a "meaning: name=value" line is about the
// person.
func personalLine(line string) bool {
	m, _, _ := strings.Cut(line, ": ")
	return slices.Contains(personalMeanings, audit.Meaning(m))
}

// fieldMeanings counts "meaning: name=value" lines by meaning: "custom_data 49".
func fieldMeanings(lines []string) string {
	var ks []kindCount
	for _, l := range lines {
		m, _, _ := strings.Cut(l, ": ")
		ks = addKind(ks, m)
	}
	parts := make([]string, len(ks))
	for i, k := range ks {
		parts[i] = k.kind + " " + strconv.Itoa(k.count)
	}
	return strings.Join(parts, ", ")
}
