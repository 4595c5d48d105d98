package report

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/leakwatch/leakwatch/internal/audit"
)

// Sanitize returns s with every character that could drive a terminal or
// hide text from a reader shown as a visible escape: C0 controls other
// than tab and newline (so ESC, and with it every CSI, OSC and DCS
// sequence, loses its power), DEL, C1 controls, bytes that are not UTF-8
// (a lone 0x9b is an 8-bit CSI to some terminals), the Unicode bidi
// controls and the line and paragraph separators. Controls become "\x1b",
// other runes "\u202e", invalid bytes "\xff". Captured text (URLs, headers,
// page titles, error messages, manifest entries) is written by websites
// or by whoever built a file, so it passes here before it is printed.
func Sanitize(s string) string { return sanitize(s, false) }

// SanitizeLine is Sanitize for a one-line field (a warning, a table cell):
// tab and newline become spaces too, so a value cannot draw a line of its
// own.
func SanitizeLine(s string) string { return sanitize(s, true) }

func sanitize(s string, oneLine bool) string {
	if isClean(s, oneLine) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n' || r == '\t':
			if oneLine {
				b.WriteByte(' ')
			} else {
				b.WriteRune(r)
			}
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// isClean reports whether s has nothing sanitize would change.
func isClean(s string, oneLine bool) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if (c < 0x20 && (oneLine || (c != '\n' && c != '\t'))) || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n == 1) || r < 0xa0 || unsafeRune(r) {
			return false
		}
		i += n
	}
	return true
}

// unsafeRunes are the format characters that reorder or hide text: the
// bidi embeddings, overrides and isolates, the directional marks, and the
// line and paragraph separators some viewers break lines on.
var unsafeRunes = [][2]rune{
	{0x061c, 0x061c}, // ARABIC LETTER MARK
	{0x200e, 0x200f}, // LRM, RLM
	{0x2028, 0x2029}, // LINE SEPARATOR, PARAGRAPH SEPARATOR
	{0x202a, 0x202e}, // LRE, RLE, PDF, LRO, RLO
	{0x2066, 0x2069}, // LRI, RLI, FSI, PDI
}

func unsafeRune(r rune) bool {
	for _, rg := range unsafeRunes {
		if r >= rg[0] && r <= rg[1] {
			return true
		}
	}
	return false
}

// sanitizedCopy returns a deep copy of r with clean applied to every
// string, map keys included. The renderers of text formats work on it, so
// no captured field can reach their output unescaped.
func sanitizedCopy(r *audit.Report, clean func(string) string) (*audit.Report, error) {
	b, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("copy report: %w", err)
	}
	var c audit.Report
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("copy report: %w", err)
	}
	cleanStrings(reflect.ValueOf(&c).Elem(), clean)
	return &c, nil
}

// terminalSafe is sanitizedCopy for the terminal report: one line a field.
func terminalSafe(r *audit.Report) (*audit.Report, error) {
	return sanitizedCopy(r, SanitizeLine)
}

func cleanStrings(v reflect.Value, clean func(string) string) {
	switch v.Kind() {
	case reflect.String:
		if v.CanSet() {
			v.SetString(clean(v.String()))
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			cleanStrings(v.Elem(), clean)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			cleanStrings(v.Field(i), clean)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			cleanStrings(v.Index(i), clean)
		}
	case reflect.Map:
		cleanMap(v, clean)
	}
}

// cleanMap rebuilds a map whose keys or values are strings (the only maps
// a report decoded from JSON can hold with text in them).
func cleanMap(v reflect.Value, clean func(string) string) {
	if v.IsNil() || !v.CanSet() {
		return
	}
	out := reflect.MakeMapWithSize(v.Type(), v.Len())
	iter := v.MapRange()
	for iter.Next() {
		k := reflect.New(v.Type().Key()).Elem()
		k.Set(iter.Key())
		cleanStrings(k, clean)
		e := reflect.New(v.Type().Elem()).Elem()
		e.Set(iter.Value())
		cleanStrings(e, clean)
		out.SetMapIndex(k, e)
	}
	v.Set(out)
}

// SanitizeAll applies SanitizeLine, in place, to every exported string
// reachable from the pointer v (struct fields, slices, maps, pointers), so
// a value read from a file can go to a plain-text writer that prints its
// fields as they are. A v that is not a pointer is left alone.
func SanitizeAll(v any) {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer && !rv.IsNil() {
		cleanStrings(rv.Elem(), SanitizeLine)
	}
}
