package redact

import (
	"strings"
)

// The JSON field expressions read every byte of a text with the regexp
// engine, tens of megabytes of a body (or of the binary a base64 run
// decodes to) at about 10 MB/s. Every match holds a "colon point": a key's
// closing quote, spaces, ':', spaces and the start of a value. These scans
// find each colon point with strings.IndexByte and try the expression,
// anchored, only at the quotes a match through it could start at: the
// same matches, read only around the colons. The expressions stay the
// definition (the tests compare both).

// The keys of the two expressions, which start them: a key is read one
// way only (a backslash always pairs with the next character), so where
// it closes is the same whatever follows.
const (
	jsonKey        = `"((?:[^"\\]|\\.){1,128})"`
	escapedJSONKey = `\\"([^"\\]{1,128})\\"`
)

// fieldScan is one JSON field expression as a colon-point scan.
type fieldScan struct {
	// at matches the expression anchored at the start of a text, as
	// FindStringSubmatchIndex would (nil: none); keyLen its key alone
	// (-1: none).
	at     func(string) []int
	keyLen func(string) int
	// quote is how a key opens and closes: `"` or `\"`.
	quote string
	// maxKey bounds a key's bytes: 128 units of up to 5 bytes (an escape
	// and a rune) or 4 (a rune).
	maxKey int
	// value reports whether a value may start at s[i] (after ':' and
	// spaces).
	value func(s string, i int) bool
}

var (
	jsonFieldScan = fieldScan{jsonFieldMatch, jsonKeyLen, `"`, 128 * 5, func(s string, i int) bool {
		if i < len(s) && s[i] == '-' {
			i++
		}
		return i < len(s) && (s[i] == '"' || s[i] >= '0' && s[i] <= '9')
	}}
	escapedJSONFieldScan = fieldScan{escapedFieldMatch, escapedKeyLen, `\"`, 128 * 4, func(s string, i int) bool {
		return strings.HasPrefix(s[i:], `\"`)
	}}
)

// locs returns what the unanchored expression's
// FindAllStringSubmatchIndex(s, -1) returns.
func (f fieldScan) locs(s string) [][]int {
	var out [][]int
	pos, tried := 0, 0 // matches start at pos or later; starts below tried were tried
	// dead are key ends after which the rest of the expression failed: a
	// value that never closes is read once, not once for every key
	// ending there.
	dead := map[int]bool{}
	for off := 0; ; {
		i := strings.IndexByte(s[off:], ':')
		if i < 0 {
			return out
		}
		colon := off + i
		off = colon + 1
		p := f.keyClose(s, colon)
		if p < 0 || p < pos {
			continue
		}
		for q := max(pos, tried, p-f.maxKey-len(f.quote)); q < p; q++ {
			if loc := f.tryAt(s, q, dead); loc != nil {
				out = append(out, loc)
				pos = loc[1]
				break
			}
		}
		tried = max(tried, p)
		off = max(off, pos)
	}
}

// tryAt matches the expression at s[q], or returns nil.
func (f fieldScan) tryAt(s string, q int, dead map[int]bool) []int {
	if !strings.HasPrefix(s[q:], f.quote) {
		return nil
	}
	k := f.keyLen(s[q:min(len(s), q+f.maxKey+2*len(f.quote))])
	if k < 0 || dead[q+k] {
		return nil
	}
	loc := f.at(s[q:])
	if loc == nil {
		dead[q+k] = true
		return nil
	}
	for j := range loc {
		if loc[j] >= 0 {
			loc[j] += q
		}
	}
	return loc
}

// keyClose returns where the quote closing a key before the colon at
// s[colon] starts, when a value may follow the colon; else -1.
func (f fieldScan) keyClose(s string, colon int) int {
	v := colon + 1
	for v < len(s) && isSpace(s[v]) {
		v++
	}
	if !f.value(s, v) {
		return -1
	}
	k := colon
	for k > 0 && isSpace(s[k-1]) {
		k--
	}
	if k < len(f.quote) || s[k-len(f.quote):k] != f.quote {
		return -1
	}
	return k - len(f.quote)
}

// hasMultipart reports whether s may hold a multipart part's headers:
// the expression's literal start, in any case.
func hasMultipart(s string) bool {
	return indexFrom(s, "content-disposition:", true) >= 0
}
