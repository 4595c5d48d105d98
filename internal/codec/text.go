package codec

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// PlausibleText reports whether b reads as text: valid UTF-8 with few
// control characters. Large inputs are judged by their first megabyte.
func PlausibleText(b []byte) bool {
	if len(b) > 1<<20 {
		b = b[:1<<20]
		start := len(b) - 1 // the last rune's first byte; drop the rune if cut
		for start > 0 && len(b)-start < utf8.UTFMax && !utf8.RuneStart(b[start]) {
			start--
		}
		if !utf8.FullRune(b[start:]) {
			b = b[:start]
		}
	}
	if len(b) < 2 || !utf8.Valid(b) {
		return false
	}
	bad := 0
	for _, c := range b {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c == 0x7f {
			bad++
		}
	}
	return bad*20 <= len(b) && !bytes.Contains(b, []byte("\uFFFD"))
}

// QueryUnescape decodes a query-string component (%XX, + for space), or
// returns s as it is when it is not validly escaped.
func QueryUnescape(s string) string {
	if !strings.ContainsAny(s, "%+") {
		return s
	}
	if v, ok := UnescapeQuery(s); ok {
		return v
	}
	return s
}
