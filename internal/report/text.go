package report

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/leakwatch/leakwatch/internal/audit"
)

// ANSI styles used by the text format when Options.Color is set.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
)

// textWriter writes the terminal report line by line.
type textWriter struct {
	w     *bufio.Writer
	color bool
	width int
	v     *view
}

func renderText(w io.Writer, r *audit.Report, opts Options) error {
	r, err := terminalSafe(r)
	if err != nil {
		return err
	}
	t := &textWriter{w: bufio.NewWriter(w), color: opts.Color, width: opts.Width, v: newView(r, opts)}
	if t.width <= 0 {
		t.width = 100
	}
	t.width = max(t.width, 40)
	t.header()
	t.companyTable()
	t.matrix()
	serious, flows, rest, folded := t.v.splitBehaviour()
	t.leaks()
	t.patterns()
	t.behaviour("Automatic matching, session replay, fingerprinting", serious)
	t.flows(flows)
	t.pixels()
	t.behaviour("Other configuration and behaviour", rest)
	t.folded(folded)
	t.consent()
	t.browser()
	t.policy()
	t.warnings()
	return t.w.Flush()
}

func (t *textWriter) style(code, s string) string {
	if !t.color || s == "" {
		return s
	}
	return code + s + ansiReset
}

func (t *textWriter) println(s string) { t.w.WriteString(s + "\n") }

// wrap prints s folded at the terminal width with the given indent.
func (t *textWriter) wrap(indent, s string) { t.hang(indent, indent, s) }

// hang prints s folded at the terminal width, the first line indented by
// first and the following ones by rest. Words longer than a line are cut
// into pieces so nothing runs past the width.
func (t *textWriter) hang(first, rest, s string) {
	line := []rune(first)
	room := max(t.width-len([]rune(rest)), 10)
	flush := func() {
		if strings.TrimSpace(string(line)) != "" {
			t.println(strings.TrimRight(string(line), " "))
		}
		line = []rune(rest)
	}
	for _, word := range strings.Fields(s) {
		w := []rune(word)
		if visible(line)+visibleRunes(w)+1 > t.width && strings.TrimSpace(string(line)) != "" {
			flush()
		}
		for visibleRunes(w) > room {
			k := cutVisible(w, room)
			line = append(line, w[:k]...)
			w = w[k:]
			flush()
		}
		line = append(append(line, w...), ' ')
	}
	flush()
}

// visible counts the runes of a line that show on screen (not ANSI codes).
func visible(line []rune) int { return visibleRunes(line) }

// cutVisible returns how many runes of rs hold its first n visible ones,
// never splitting an ANSI escape sequence.
func cutVisible(rs []rune, n int) int {
	seen, esc := 0, false
	for i, r := range rs {
		switch {
		case r == 0x1b:
			esc = true
		case esc:
			esc = r != 'm'
		default:
			if seen == n {
				return i
			}
			seen++
		}
	}
	return len(rs)
}

func visibleRunes(rs []rune) int {
	n, esc := 0, false
	for _, r := range rs {
		switch {
		case r == 0x1b:
			esc = true
		case esc:
			esc = r != 'm'
		default:
			n++
		}
	}
	return n
}

func (t *textWriter) section(title string, n int) {
	t.println("")
	if n >= 0 {
		title += " (" + strconv.Itoa(n) + ")"
	}
	t.wrap("", t.style(ansiBold, strings.ToUpper(title)))
}

func (t *textWriter) header() {
	r := t.v.r
	name := r.Tool.Name
	if name == "" {
		name = "leakwatch"
	}
	t.println(t.style(ansiBold, strings.TrimSpace(name+" "+r.Tool.Version)+" report"))
	for _, s := range r.Sources {
		line := fmt.Sprintf("source: %s (%s, %s)", s.Path,
			plural(s.Requests, "request", "requests"), plural(s.Pages, "page", "pages"))
		if s.Site != "" {
			line += " · site " + s.Site
		}
		t.hang("", "  ", t.style(ansiDim, line))
		if c := coverageLine(s); c != "" {
			t.hang("  ", "    ", t.style(ansiDim, "recorded: "+c))
		}
	}
	t.println("")
	d := t.v.verdict()
	t.wrap("", t.style(stateStyle[d.State], d.Title))
	t.hang("", "  ", "Observed: "+strings.Join(d.Observed, "; ")+".")
	if d.NotFound != "" {
		t.hang("", "  ", d.NotFound)
	}
	if len(d.NotChecked) > 0 {
		t.hang("", "  ", t.style(ansiYellow, "Not checked:")+" "+strings.Join(d.NotChecked, " "))
	}
	if d.Hidden != "" {
		t.hang("", "  ", t.style(ansiDim, d.Hidden))
	}
}

// stateStyle colours the headline: red for persona data, yellow for
// values that look personal, green only for a complete all-clear.
var stateStyle = map[string]string{
	stateBad: ansiRed + ansiBold, stateWarn: ansiYellow + ansiBold, stateNeutral: ansiBold, stateGood: ansiGreen,
}

func (t *textWriter) companyTable() {
	t.section("Third parties", len(t.v.companies))
	if len(t.v.companies) == 0 {
		t.println("  none")
		return
	}
	shown, folded := t.v.shortList()
	tb := &table{
		header: []string{"COMPANY", "DOMAINS", "CATEGORIES", "REQUESTS", "BLOCKED", "DATA RECEIVED"},
		shrink: []bool{true, true, true, false, false, true},
		right:  []bool{false, false, false, true, true, false},
	}
	for _, c := range shown {
		data := "-"
		switch {
		case len(c.kinds) > 0:
			data = strings.Join(kindKeys(c.kinds), ", ")
		case len(c.looks) > 0:
			data = "looks like " + strings.Join(kindKeys(c.looks), ", ")
		case len(t.v.activity(c)) > 0:
			data = strings.Join(t.v.activity(c), ", ")
		}
		name := c.tp.Company
		if !c.tp.Known {
			name += "?"
		}
		tb.rows = append(tb.rows, []string{name, strings.Join(c.tp.Domains, ", "),
			dash(strings.Join(c.tp.Categories, ", ")), strconv.Itoa(c.tp.Requests), blocked(c.tp), data})
	}
	for _, l := range tb.lines(t.width-2, t.tableStyle) {
		t.println("  " + l)
	}
	if note := foldNote(folded); note != "" {
		t.hang("  ", "    ", note)
	}
	if anyUnknown(shown) {
		t.wrap("  ", t.style(ansiDim, "? = owner not in the entity data; named by its domain"))
	}
}

func (t *textWriter) tableStyle(row, col int, s string) string {
	switch {
	case row < 0:
		return t.style(ansiDim, s)
	case col == 5 && strings.HasPrefix(s, "looks like"):
		return t.style(ansiYellow, s)
	case col == 5 && activityWord(strings.TrimSpace(s)):
		return t.style(ansiDim, s)
	case col == 5 && strings.TrimSpace(s) != "-":
		return t.style(ansiRed, s)
	}
	return s
}

func anyUnknown(cs []*company) bool {
	for _, c := range cs {
		if !c.tp.Known {
			return true
		}
	}
	return false
}

func kindKeys(ks []kindCount) []string {
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = k.kind
	}
	return out
}

func blocked(tp *audit.ThirdParty) string {
	if tp.Blocked == 0 {
		return "-"
	}
	return strconv.Itoa(tp.Blocked)
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func (t *textWriter) matrix() {
	cs := t.v.withData()
	if len(cs) == 0 {
		return
	}
	t.section("Who received your data", -1)
	tb := &table{header: append([]string{"COMPANY"}, t.v.kinds...)}
	tb.shrink = make([]bool, len(tb.header))
	tb.right = make([]bool, len(tb.header))
	tb.shrink[0] = true
	for i := 1; i < len(tb.header); i++ {
		tb.right[i] = true
	}
	for _, c := range cs {
		row := []string{c.tp.Company}
		for _, k := range t.v.kinds {
			row = append(row, countCell(c.count(k), slicesContains(c.tp.DataKinds, k)))
		}
		tb.rows = append(tb.rows, row)
	}
	for _, l := range tb.lines(t.width-2, func(row, col int, s string) string {
		if row < 0 {
			return t.style(ansiDim, s)
		}
		if col > 0 && strings.TrimSpace(s) != "-" {
			return t.style(ansiRed, s)
		}
		return s
	}) {
		t.println("  " + l)
	}
}

// countCell shows a leak count, "yes" when the company table says it
// received the kind without leak findings, or "-".
func countCell(n int, listed bool) string {
	switch {
	case n > 0:
		return strconv.Itoa(n)
	case listed:
		return "yes"
	}
	return "-"
}

func slicesContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
