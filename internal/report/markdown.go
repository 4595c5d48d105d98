package report

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/leakwatch/leakwatch/internal/audit"
)

// mdWriter writes GitHub-flavoured Markdown for pull-request comments.
type mdWriter struct {
	w *bufio.Writer
	v *view
}

func renderMarkdown(w io.Writer, r *audit.Report, opts Options) error {
	r, err := sanitizedCopy(r, SanitizeLine)
	if err != nil {
		return err
	}
	m := &mdWriter{w: bufio.NewWriter(w), v: newView(r, opts)}
	m.summary()
	m.matrix()
	m.leaks()
	m.patterns()
	m.behaviour()
	m.consent()
	m.policy()
	m.companies()
	m.warnings()
	return m.w.Flush()
}

func (m *mdWriter) p(format string, args ...any) { fmt.Fprintf(m.w, format+"\n", args...) }

// mdMarks are the heading marks of the headline states.
var mdMarks = map[string]string{stateBad: "⚠️", stateWarn: "⚠️", stateNeutral: "ℹ️", stateGood: "✅"}

func (m *mdWriter) summary() {
	v := m.v
	d := v.verdict()
	m.p("## %s leakwatch: %s\n", mdMarks[d.State], mdText(d.Short))
	m.p("**%s**\n", mdText(d.Title))
	m.p("- Observed: %s.", mdText(strings.Join(d.Observed, "; ")))
	if d.NotFound != "" {
		m.p("- %s", mdText(d.NotFound))
	}
	if len(d.NotChecked) > 0 {
		m.p("- **Not checked:** %s", mdText(strings.Join(d.NotChecked, " ")))
	}
	if d.Hidden != "" {
		m.p("- %s", mdText(d.Hidden))
	}
	for _, s := range v.r.Sources {
		line := "- Source " + mdCode(s.Path)
		if s.Site != "" {
			line += " — site " + mdCode(s.Site)
		}
		if c := coverageLine(s); c != "" {
			line += " — recorded: " + mdText(c)
		}
		m.p("%s", line)
	}
	if b := browserLine(v.r.BrowserTraffic); b != "" {
		m.p("- %s", mdText(b))
	}
	m.p("")
}

// mdMaxRows caps each list so a comment stays under the 65,536 characters
// GitHub accepts; the rest is in the other formats.
const mdMaxRows = 50

// more ends a capped list, saying how much was left out.
func (m *mdWriter) more(n int) {
	if n > mdMaxRows {
		m.p("\n… and %d more; the HTML, JSON and CSV reports list them all.", n-mdMaxRows)
	}
	m.p("")
}

// row writes one table row; cells are already escaped.
func (m *mdWriter) row(cells ...string) { m.p("| %s |", strings.Join(cells, " | ")) }

func (m *mdWriter) matrix() {
	cs := m.v.withData()
	if len(cs) == 0 {
		return
	}
	m.p("### Who received what\n")
	cols := []string{"Company"}
	align := []string{"---"}
	for _, k := range m.v.kinds {
		cols = append(cols, mdText(kindLabel(k)))
		align = append(align, "---:")
	}
	m.row(append(cols, "Requests", "Blocked")...)
	m.row(append(align, "---:", "---:")...)
	for _, c := range head(mdMaxRows, cs) {
		cells := []string{"**" + mdText(c.tp.Company) + "**"}
		for _, k := range m.v.kinds {
			cells = append(cells, countCell(c.count(k), slicesContains(c.tp.DataKinds, k)))
		}
		m.row(append(cells, strconv.Itoa(c.tp.Requests), blocked(c.tp))...)
	}
	m.more(len(cs))
}

func (m *mdWriter) leaks() {
	if len(m.v.leaks) == 0 {
		return
	}
	m.p("### Leaks (%d)\n", len(m.v.leaks))
	m.row("Request", "Data", "Company", "Where", "Meaning", "Encoding", "Script", "Page")
	m.row("---:", "---", "---", "---", "---", "---", "---", "---")
	for _, i := range head(mdMaxRows, m.v.leaks) {
		f := &m.v.r.Findings[i]
		m.row(mdRequest(f.Request), mdText(kindLabel(f.Field)), mdText(receiverName(f)), mdCode(where(f)),
			mdText(f.Meaning), mdText(encodingChain(f.Encoding)), mdCode(f.Initiator), mdCode(f.Page))
	}
	m.more(len(m.v.leaks))
}

func (m *mdWriter) patterns() {
	if len(m.v.patterns) == 0 {
		return
	}
	m.p("### Personal-looking values found without a persona (%d)\n", len(m.v.patterns))
	if m.v.verbose {
		m.row("Request", "Rule", "Company", "Where", "Value", "Page", "Confidence", "Reason")
		m.row("---:", "---", "---", "---", "---", "---", "---", "---")
	} else {
		m.row("Request", "Rule", "Company", "Where", "Value", "Page")
		m.row("---:", "---", "---", "---", "---", "---")
	}
	for _, i := range head(mdMaxRows, m.v.patterns) {
		f := &m.v.r.Findings[i]
		cells := []string{mdRequest(f.Request), mdText(f.Rule), mdText(receiverName(f)), mdCode(where(f)), mdCode(f.Value), mdCode(f.Page)}
		if m.v.verbose {
			cells = append(cells, mdText(cmpOr(f.Confidence, audit.ConfidenceHigh)), mdText(f.Reason))
		}
		m.row(cells...)
	}
	m.more(len(m.v.patterns))
}

func (m *mdWriter) behaviour() {
	if len(m.v.behaviour) == 0 {
		return
	}
	serious, flows, rest, folded := m.v.splitBehaviour()
	m.p("### Configuration and behaviour (%d)\n", len(m.v.behaviour))
	list := append(slices.Clone(serious), rest...)
	if m.v.verbose {
		list = append(serious, append(flows, rest...)...)
	}
	for _, i := range head(mdMaxRows, list) {
		f := &m.v.r.Findings[i]
		m.p("- %s %s — %s", mdCode(f.Type), mdText(who(f)), mdText(findingTitle(f)))
	}
	if !m.v.verbose && len(flows) > 0 {
		groups := syncGroups(m.v, flows)
		m.p("- %s %s shared between companies (%s):", mdCode(audit.TypeCookieSync),
			plural(len(groups), "identifier", "identifiers"), plural(len(flows), "flow", "flows"))
		for _, g := range head(shortSyncs, groups) {
			m.p("  - %s", mdText(g.line()))
		}
		if n := len(groups) - shortSyncs; n > 0 {
			m.p("  - … and %s (--verbose lists every flow)", plural(n, "more identifier", "more identifiers"))
		}
	}
	for _, typ := range foldedTypes(folded) {
		m.p("- %s %s", mdCode(typ), mdText(foldedType(m.v, typ, folded[typ])))
	}
	m.more(len(list))
}

func (m *mdWriter) policy() {
	p := m.v.r.Policy
	if p == nil {
		return
	}
	name := p.Name
	if name == "" {
		name = "policy"
	}
	if p.Passed {
		m.p("### ✅ Policy %s passed\n", mdText(name))
	} else {
		m.p("### ❌ Policy %s failed: %s\n", mdText(name), plural(p.Violations, "violation", "violations"))
	}
	for _, rr := range p.Rules {
		mark := "✅"
		if !rr.Passed {
			mark = "❌"
		}
		m.p("- %s **%s** %s", mark, mdText(rr.Description), mdCode(rr.ID))
		for _, v := range head(mdMaxRows, rr.Violations) {
			m.p("  - %s", mdText(v))
		}
		if n := len(rr.Violations) - mdMaxRows; n > 0 {
			m.p("  - … and %d more", n)
		}
	}
	m.p("")
}

func (m *mdWriter) companies() {
	if len(m.v.companies) == 0 {
		return
	}
	m.p("<details><summary>Third-party companies (%d)</summary>\n", len(m.v.companies))
	shown, folded := m.v.shortList()
	m.row("Company", "Domains", "Categories", "Requests", "Blocked", "Data received")
	m.row("---", "---", "---", "---:", "---:", "---")
	for _, c := range head(mdMaxRows, shown) {
		kinds := make([]string, len(c.kinds))
		for i, k := range c.kinds {
			kinds[i] = kindLabel(k.kind)
		}
		if len(kinds) == 0 {
			kinds = m.v.activity(c)
		}
		m.row(mdText(c.tp.Company), mdText(strings.Join(c.tp.Domains, ", ")), mdText(strings.Join(c.tp.Categories, ", ")),
			strconv.Itoa(c.tp.Requests), blocked(c.tp), mdText(dash(strings.Join(kinds, ", "))))
	}
	m.more(len(shown))
	if note := foldNote(folded); note != "" {
		m.p("%s\n", mdText(note))
	}
	m.p("</details>\n")
}

func (m *mdWriter) warnings() {
	ws := allWarnings(m.v.r)
	if len(ws) == 0 {
		return
	}
	m.p("<details><summary>%s</summary>\n", plural(len(ws), "warning", "warnings"))
	for _, w := range head(mdMaxRows, ws) {
		m.p("- %s", mdText(w))
	}
	m.more(len(ws))
	m.p("</details>")
}

func receiverName(f *audit.Finding) string {
	name := findingCompany(f)
	if f.Receiver != nil && f.Receiver.Host != "" {
		name += " (" + f.Receiver.Host + ")"
	}
	return name
}

func mdRequest(ref *audit.RequestRef) string {
	if ref == nil {
		return ""
	}
	// In a code span: GitHub would link a bare "#14" to issue 14.
	return mdCode(reqID(ref.Source, ref.Index)) + " " + mdCode(ref.Method+" "+shorten(ref.URL, 80))
}

// mdEscaper backslash-escapes what Markdown or HTML would interpret.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "<", `\<`, ">", `\>`,
	"|", `\|`, "#", `\#`, "!", `\!`, "~", `\~`, "&", `\&`, "\r", " ", "\n", " ")

// mdText makes s literal text inside a paragraph, list item or table cell.
func mdText(s string) string { return mdEscaper.Replace(s) }

// mdCode makes s a code span safe inside a table cell; empty gives "".
func mdCode(s string) string {
	s = strings.TrimSpace(strings.NewReplacer("\r", " ", "\n", " ", "|", `\|`).Replace(s))
	if s == "" {
		return ""
	}
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + s + fence
}
