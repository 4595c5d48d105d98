package report

import (
	"strings"
	"unicode/utf8"
)

// table lays out rows of plain text in columns that fit a width. Columns
// marked shrink give up space (their cells are cut with "…") when the
// natural layout is too wide.
type table struct {
	header []string
	rows   [][]string
	shrink []bool
	right  []bool // right-align (numbers)
}

const colGap = 2

// widths returns each column's width so that the table fits in max runes
// when it can.
func (t *table) widths(maxWidth int) []int {
	w := make([]int, len(t.header))
	for i, h := range t.header {
		w[i] = utf8.RuneCountInString(h)
	}
	for _, row := range t.rows {
		for i, c := range row {
			w[i] = max(w[i], utf8.RuneCountInString(c))
		}
	}
	total := func() int {
		n := colGap * (len(w) - 1)
		for _, x := range w {
			n += x
		}
		return n
	}
	for total() > maxWidth {
		widest := -1
		for i := range w {
			if t.shrink[i] && w[i] > 8 && (widest < 0 || w[i] > w[widest]) {
				widest = i
			}
		}
		if widest < 0 {
			break
		}
		w[widest]--
	}
	return w
}

// lines renders the table; style colours a cell after padding (row -1 is
// the header) and may be nil.
func (t *table) lines(maxWidth int, style func(row, col int, s string) string) []string {
	w := t.widths(maxWidth)
	if sum(w)+colGap*(len(w)-1) > maxWidth {
		return t.stacked(maxWidth, style)
	}
	out := make([]string, 0, len(t.rows)+1)
	out = append(out, t.line(-1, t.header, w, style))
	for i, row := range t.rows {
		out = append(out, t.line(i, row, w, style))
	}
	return out
}

func (t *table) line(ri int, cells []string, w []int, style func(int, int, string) string) string {
	var b strings.Builder
	for i, c := range cells {
		c = shorten(c, w[i])
		pad := strings.Repeat(" ", w[i]-utf8.RuneCountInString(c))
		if t.right[i] {
			c = pad + c
		} else if i < len(cells)-1 {
			c += pad
		}
		if style != nil {
			c = style(ri, i, c)
		}
		b.WriteString(c)
		if i < len(cells)-1 {
			b.WriteString(strings.Repeat(" ", colGap))
		}
	}
	return strings.TrimRight(b.String(), " ")
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}

// stacked renders each row as its first cell followed by one indented
// "header: value" line per other column, for screens too narrow for
// columns.
func (t *table) stacked(maxWidth int, style func(row, col int, s string) string) []string {
	if style == nil {
		style = func(_, _ int, s string) string { return s }
	}
	var out []string
	for ri, row := range t.rows {
		out = append(out, style(ri, 0, shorten(row[0], maxWidth)))
		for ci := 1; ci < len(row); ci++ {
			label := "  " + strings.ToLower(t.header[ci]) + ": "
			value := shorten(row[ci], maxWidth-utf8.RuneCountInString(label))
			out = append(out, label+style(ri, ci, value))
		}
	}
	return out
}
