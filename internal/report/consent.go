package report

import (
	"strconv"
	"strings"

	"github.com/leakwatch/leakwatch/internal/audit"
)

// consentGroup is the report's consent signals of one reading: the same
// declared state sent to several hosts reads as one line.
type consentGroup struct {
	Kind     string
	Reading  string
	Requests int
	Hosts    []string
}

// consentGroups folds the consent signals by reading, in order of first
// appearance.
func consentGroups(c *audit.Consent) []consentGroup {
	if c == nil {
		return nil
	}
	var out []consentGroup
	at := map[string]int{}
	for _, s := range c.Signals {
		i, ok := at[s.Reading]
		if !ok {
			i = len(out)
			at[s.Reading] = i
			out = append(out, consentGroup{Kind: string(s.Kind), Reading: s.Reading})
		}
		g := &out[i]
		g.Requests += s.Requests
		g.Hosts = appendNew(g.Hosts, s.Host)
	}
	return out
}

// consentPlatformLine names a platform and what showed it.
func consentPlatformLine(p audit.ConsentPlatform) string {
	var ev []string
	for _, e := range p.Evidence {
		ev = appendNew(ev, e.Detail)
	}
	if len(ev) > 3 {
		ev = append(ev[:3], "and "+strconv.Itoa(len(ev)-3)+" more")
	}
	return p.Name + " (" + p.Kind + "; " + strings.Join(ev, ", ") + ")"
}

// hostsLine says how many requests went to which hosts: the host when
// there is one, else how many (all of them when verbose).
func hostsLine(g consentGroup, verbose bool) string {
	n := plural(g.Requests, "request", "requests")
	switch {
	case len(g.Hosts) == 1:
		return n + " to " + g.Hosts[0]
	case verbose:
		return n + " to " + strings.Join(g.Hosts, ", ")
	}
	return n + " to " + strconv.Itoa(len(g.Hosts)) + " hosts"
}

// consentTypes are the finding types the consent section lists.
var consentTypes = []string{audit.TypeAfterReject, audit.TypeDespiteGPC, audit.TypeBeforeChoice, audit.TypeConsentConflict}

// consentConflicts are the consent findings: data a third party received
// against the consent state of the scan or of the request itself.
func (v *view) consentConflicts() []int {
	var out []int
	for _, t := range consentTypes {
		for i := range v.r.Findings {
			if v.r.Findings[i].Type == t {
				out = append(out, i)
			}
		}
	}
	return out
}

func (t *textWriter) consent() {
	c := t.v.r.Consent
	conflicts := t.v.consentConflicts()
	if c == nil && len(conflicts) == 0 {
		return
	}
	t.section("Consent: what the requests declare", -1)
	for _, i := range conflicts {
		f := &t.v.r.Findings[i]
		t.requestLine(f.Request)
		t.hang("    ", "      ", t.style(ansiRed, "✗ ")+f.Summary)
	}
	if c == nil {
		return
	}
	for _, p := range c.Platforms {
		t.hang("  ", "    ", "platform: "+consentPlatformLine(p))
	}
	for _, g := range consentGroups(c) {
		t.hang("  ", "    ", g.Reading+" — "+hostsLine(g, t.v.verbose))
	}
	if c.SignalsNotListed > 0 {
		t.wrap("  ", t.style(ansiDim, "… and "+plural(c.SignalsNotListed, "more distinct signal", "more distinct signals")+" not kept"))
	}
	if tb := comparisonTable(c.Comparison); tb != nil {
		t.println("")
		t.wrap("  ", "What each company received, by consent state:")
		for _, l := range tb.lines(t.width-2, func(_, _ int, s string) string { return s }) {
			t.println("  " + l)
		}
	}
}

// comparisonTable lays out the consent comparison: a company a row, a
// state a column, what it received in the cells ("—" for nothing).
func comparisonTable(c *audit.ConsentComparison) *table {
	if c == nil || len(c.Rows) == 0 {
		return nil
	}
	tb := &table{header: append([]string{"company"}, c.States...)}
	tb.shrink = make([]bool, len(tb.header))
	tb.right = make([]bool, len(tb.header))
	for i := range tb.shrink {
		tb.shrink[i] = true
	}
	for _, row := range c.Rows {
		cells := []string{row.Company}
		for _, k := range row.Received {
			cells = append(cells, receivedShort(k))
		}
		tb.rows = append(tb.rows, cells)
	}
	return tb
}

// receivedShort names what a company received in one state, briefly: up
// to two data kinds by name, more by number, and "hits" for tracking hits.
func receivedShort(kinds []string) string {
	hits := len(kinds) > 0 && kinds[len(kinds)-1] == "tracking hits"
	if hits {
		kinds = kinds[:len(kinds)-1]
	}
	var parts []string
	switch {
	case len(kinds) > 2:
		parts = append(parts, strconv.Itoa(len(kinds))+" data kinds")
	case len(kinds) > 0:
		parts = append(parts, strings.Join(kinds, ", "))
	}
	if hits {
		parts = append(parts, "hits")
	}
	if len(parts) == 0 {
		return "—"
	}
	return strings.Join(parts, " + ")
}

// receivedCell names what a company received in one state.
func receivedCell(kinds []string) string {
	if len(kinds) == 0 {
		return "—"
	}
	return strings.Join(kinds, ", ")
}

func (m *mdWriter) consent() {
	c := m.v.r.Consent
	conflicts := m.v.consentConflicts()
	if c == nil && len(conflicts) == 0 {
		return
	}
	m.p("\n### Consent\n")
	for _, i := range conflicts {
		f := &m.v.r.Findings[i]
		m.p("- ❌ %s %s", mdCode(reqID(f.Request.Source, f.Request.Index)), mdText(f.Summary))
	}
	if c == nil {
		return
	}
	for _, p := range c.Platforms {
		m.p("- Platform: %s", mdText(consentPlatformLine(p)))
	}
	for _, g := range consentGroups(c) {
		m.p("- %s — %s", mdText(g.Reading), mdText(hostsLine(g, m.v.verbose)))
	}
	if cmp := c.Comparison; cmp != nil && len(cmp.Rows) > 0 {
		m.p("\nWhat each company received, by consent state:\n")
		head := []string{"Company"}
		for _, s := range cmp.States {
			head = append(head, mdText(s))
		}
		m.row(head...)
		m.row(strings.Split(strings.Repeat("---,", len(head)-1)+"---", ",")...)
		for _, row := range cmp.Rows {
			cells := []string{mdText(row.Company)}
			for _, k := range row.Received {
				cells = append(cells, mdText(receivedCell(k)))
			}
			m.row(cells...)
		}
	}
}

// htmlConsent is the HTML report's consent panel.
type htmlConsent struct {
	Conflicts []htmlFinding
	Platforms []string
	Signals   []htmlConsentRow
	States    []string   // the comparison's columns
	Compare   [][]string // the comparison's rows: company, then a cell per state
}

type htmlConsentRow struct{ Reading, Hosts string }

func newHTMLConsent(v *view) *htmlConsent {
	c := v.r.Consent
	conflicts := v.consentConflicts()
	if c == nil && len(conflicts) == 0 {
		return nil
	}
	out := &htmlConsent{}
	for _, i := range conflicts {
		out.Conflicts = append(out.Conflicts, newHTMLFinding(v, &v.r.Findings[i]))
	}
	if c == nil {
		return out
	}
	for _, p := range c.Platforms {
		out.Platforms = append(out.Platforms, consentPlatformLine(p))
	}
	for _, g := range consentGroups(c) {
		out.Signals = append(out.Signals, htmlConsentRow{g.Reading, hostsLine(g, true)})
	}
	if cmp := c.Comparison; cmp != nil {
		out.States = cmp.States
		for _, row := range cmp.Rows {
			cells := []string{row.Company}
			for _, k := range row.Received {
				cells = append(cells, receivedCell(k))
			}
			out.Compare = append(out.Compare, cells)
		}
	}
	return out
}
