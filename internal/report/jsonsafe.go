package report

import (
	"fmt"
	"io"
	"unicode/utf8"
)

// jsonSafe writes JSON with the runes that reorder or hide text (bidi
// overrides and isolates, directional marks, line separators: unsafeRunes)
// escaped as \uXXXX. encoding/json escapes control bytes but passes these
// through, and a SARIF viewer, a code-review page or `cat` would render
// them. In JSON they can only stand inside strings, where the escape means
// the same rune, so the document's content is unchanged.
type jsonSafe struct {
	w    io.Writer
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
		j.put(fmt.Appendf(nil, `\u%04x`, r))
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

// renderJSONSafe runs a JSON renderer through jsonSafe.
func renderJSONSafe(w io.Writer, render func(io.Writer) error) error {
	j := &jsonSafe{w: w}
	if err := render(j); err != nil {
		return err
	}
	return j.Flush()
}
