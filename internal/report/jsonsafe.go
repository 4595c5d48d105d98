package report

import (
	"fmt"
	"io"
	"unicode/utf8"
)

// jsonSafe writes JSON (or XML) with the runes that reorder or hide text
// (bidi overrides and isolates, directional marks, line separators:
// unsafeRunes) escaped, as \uXXXX in JSON and &#xXXXX; in XML.
// encoding/json and encoding/xml escape control bytes but pass these
// through, and a SARIF viewer, a CI page or `cat` would render them. In
// JSON they can only stand inside strings and in XML inside text or
// attribute values, where the escape means the same rune, so the
// document's content is unchanged.
type jsonSafe struct {
	w    io.Writer
	esc  string // the escape's format: jsonEscape or xmlEscape
	held []byte // the start of a multi-byte rune cut by the end of a write
	err  error
}

// Write escapes p; a rune cut at its end waits for the next write.
func (j *jsonSafe) Write(p []byte) (int, error) {
	if j.err != nil {
		return 0, j.err
	}
	n := len(p)
	if len(j.held) > 0 {
		p = append(j.held, p...)
		j.held = nil
	}
	start := 0
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c != 0xd8 && c != 0xe2 { // lead bytes of every unsafe rune
			continue
		}
		if !utf8.FullRune(p[i:]) {
			j.held = append([]byte(nil), p[i:]...)
			p = p[:i]
			break
		}
		r, size := utf8.DecodeRune(p[i:])
		if !unsafeRune(r) {
			continue
		}
		j.put(p[start:i])
		j.put(fmt.Appendf(nil, j.esc, r))
		i += size - 1
		start = i + 1
	}
	j.put(p[start:])
	return n, j.err
}

func (j *jsonSafe) put(b []byte) {
	if j.err == nil && len(b) > 0 {
		_, j.err = j.w.Write(b)
	}
}

// Flush writes a held partial rune (invalid UTF-8 the encoder let through).
func (j *jsonSafe) Flush() error {
	j.put(j.held)
	j.held = nil
	return j.err
}

const (
	jsonEscape = `\u%04x`
	xmlEscape  = `&#x%04x;`
)

// renderJSONSafe runs a JSON renderer through jsonSafe.
func renderJSONSafe(w io.Writer, render func(io.Writer) error) error {
	return renderSafe(w, jsonEscape, render)
}

// renderSafe runs a renderer through jsonSafe with the escape esc.
func renderSafe(w io.Writer, esc string, render func(io.Writer) error) error {
	j := &jsonSafe{w: w, esc: esc}
	if err := render(j); err != nil {
		return err
	}
	return j.Flush()
}
