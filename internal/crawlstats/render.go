package crawlstats

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/leakwatch/leakwatch/internal/report"
)

// Stats formats.
const (
	FormatText     = "text"
	FormatJSON     = "json"
	FormatMarkdown = "md"
)

// StatsFormats lists the formats Render takes.
func StatsFormats() []string { return []string{FormatText, FormatJSON, FormatMarkdown} }

// RenderOptions tune Render. Top is how many rows each table of the text
// and Markdown formats shows (0: all); JSON always holds every row.
type RenderOptions struct {
	Top int
}

// Render writes the statistics in format: "text", "md" (or "markdown")
// or "json".
func Render(w io.Writer, s *Stats, format string, opts RenderOptions) error {
	var err error
	switch strings.ToLower(format) {
	case FormatText:
		err = renderText(w, s, opts)
	case FormatMarkdown, "markdown":
		err = renderMarkdown(w, s, opts)
	case FormatJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		err = enc.Encode(s)
	default:
		return fmt.Errorf("unknown statistics format %q (valid: %s)", format, strings.Join(StatsFormats(), ", "))
	}
	if err != nil {
		return fmt.Errorf("write %s statistics: %w", format, err)
	}
	return nil
}

// table is one section of the text and Markdown formats.
type table struct {
	title string
	note  string
	head  []string
	rows  [][]string
}

func renderText(w io.Writer, s *Stats, opts RenderOptions) error {
	var b strings.Builder
	for _, l := range headline(s) {
		b.WriteString(l + "\n")
	}
	for _, t := range tables(s) {
		fmt.Fprintf(&b, "\n%s\n", t.title)
		if t.note != "" {
			fmt.Fprintf(&b, "%s\n", t.note)
		}
		if len(t.rows) == 0 {
			b.WriteString("  (none)\n")
			continue
		}
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  "+strings.Join(t.head, "\t"))
		rows, more := top(t.rows, opts.Top)
		for _, r := range rows {
			fmt.Fprintln(tw, "  "+strings.Join(cells(r), "\t"))
		}
		tw.Flush()
		if more > 0 {
			fmt.Fprintf(&b, "  … %d more (all in --format json)\n", more)
		}
	}
	_, err := io.WriteString(w, trimLines(b.String()))
	return err
}

// trimLines drops the spaces tabwriter leaves after a last empty cell.
func trimLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

func renderMarkdown(w io.Writer, s *Stats, opts RenderOptions) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Crawl statistics: run %d\n\n", s.RunID)
	for _, l := range headline(s) {
		b.WriteString("- " + mdCell(l) + "\n")
	}
	for _, t := range tables(s) {
		fmt.Fprintf(&b, "\n## %s\n\n", t.title)
		if t.note != "" {
			fmt.Fprintf(&b, "%s\n\n", mdCell(t.note))
		}
		if len(t.rows) == 0 {
			b.WriteString("None.\n")
			continue
		}
		b.WriteString("| " + strings.Join(t.head, " | ") + " |\n|" + strings.Repeat(" --- |", len(t.head)) + "\n")
		rows, more := top(t.rows, opts.Top)
		for _, r := range rows {
			c := cells(r)
			for i := range c {
				c[i] = mdCell(c[i])
			}
			b.WriteString("| " + strings.Join(c, " | ") + " |\n")
		}
		if more > 0 {
			fmt.Fprintf(&b, "\n%d more rows in the JSON statistics.\n", more)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func top(rows [][]string, n int) ([][]string, int) {
	if n <= 0 || len(rows) <= n {
		return rows, 0
	}
	return rows[:n], len(rows) - n
}

// cells makes captured text (company names, hosts, error messages) safe
// to print: one line, no control or bidi characters; tabs would break
// the text table's columns.
func cells(r []string) []string {
	out := make([]string, len(r))
	for i, c := range r {
		out[i] = report.SanitizeLine(c)
	}
	return out
}

// mdCell escapes what Markdown would read in a table cell.
func mdCell(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "|", `\|`, "<", "&lt;", ">", "&gt;", "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`)
	return r.Replace(report.SanitizeLine(s))
}

func itoa(n int) string { return strconv.Itoa(n) }

// pct is n as a share of the analysed sites.
func pct(n, of int) string {
	if of == 0 {
		return "-"
	}
	return strconv.FormatFloat(100*float64(n)/float64(of), 'f', 1, 64) + "%"
}
