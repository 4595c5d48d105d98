package redact

import (
	"regexp"
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

var (
	jsonFieldAt        = regexp.MustCompile(`^(?:` + jsonFieldRE.String() + `)`)
	escapedJSONFieldAt = regexp.MustCompile(`^(?:` + escapedJSONFieldRE.String() + `)`)
)

// fieldScan is one JSON field expression as a colon-point scan.
type fieldScan struct {
	at *regexp.Regexp // the expression anchored at its start
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
	jsonFieldScan = fieldScan{jsonFieldAt, `"`, 128 * 5, func(s string, i int) bool {
		if i < len(s) && s[i] == '-' {
			i++
		}
		return i < len(s) && (s[i] == '"' || s[i] >= '0' && s[i] <= '9')
	}}
	escapedJSONFieldScan = fieldScan{escapedJSONFieldAt, `\"`, 128 * 4, func(s string, i int) bool {
		return strings.HasPrefix(s[i:], `\"`)
	}}
)

// locs returns what the unanchored expression's
// FindAllStringSubmatchIndex(s, -1) returns.
func (f fieldScan) locs(s string) [][]int {
	var out [][]int
	pos, tried := 0, 0 // matches start at pos or later; starts below tried were tried
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
			if !strings.HasPrefix(s[q:], f.quote) {
				continue
			}
			if loc := f.at.FindStringSubmatchIndex(s[q:]); loc != nil {
				for k := range loc {
					if loc[k] >= 0 {
						loc[k] += q
					}
				}
				out = append(out, loc)
				pos = loc[1]
				break
			}
		}
		tried = max(tried, p)
		off = max(off, pos)
	}
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
