package redact

import (
	"strings"
	"unicode/utf8"
)

// Hand matchers of the JSON field expressions (jsonFieldRE and
// escapedJSONFieldRE) anchored at a key's opening quote: a field scan
// tries one at every key before a colon, and the regexp engine cost more
// than the rest of the scan. Each part of the expressions is read one way
// only (a backslash always pairs with the next character, a class never
// holds the byte that ends it), so one pass without backtracking finds
// what the expression finds; the expressions stay the definition
// (TestFieldMatchers). Bytes that are not UTF-8 read as one rune each, as
// the regexp engine reads them.

// maxKeyUnits is the most units a key may have ({1,128}).
const maxKeyUnits = 128

// jsonUnitEnd returns the end of the unit (?:[^"\\]|\\.) at s[i], or -1.
func jsonUnitEnd(s string, i int) int {
	switch c := s[i]; {
	case c == '"':
		return -1
	case c == '\\':
		if i+1 >= len(s) {
			return -1
		}
		r, w := utf8.DecodeRuneInString(s[i+1:])
		if r == '\n' { // '.' is any rune but a newline
			return -1
		}
		return i + 1 + w
	case c < utf8.RuneSelf:
		return i + 1
	}
	_, w := utf8.DecodeRuneInString(s[i:])
	return i + w
}

// jsonString returns where the units from s[i] end at a closing quote,
// with at most limit units (limit < 0: any number), or -1.
func jsonString(s string, i, limit int) int {
	for units := 0; ; units++ {
		if i >= len(s) || units > limit && limit >= 0 {
			return -1
		}
		if s[i] == '"' {
			return i
		}
		if i = jsonUnitEnd(s, i); i < 0 {
			return -1
		}
	}
}

// jsonKeyLen is the length of jsonKey's match at the start of s, or -1.
func jsonKeyLen(s string) int {
	if s == "" || s[0] != '"' {
		return -1
	}
	end := jsonString(s, 1, maxKeyUnits)
	if end <= 1 {
		return -1
	}
	return end + 1
}

// colonAt returns where the value starts after \s*:\s* at s[i], or -1.
func colonAt(s string, i int) int {
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	if i >= len(s) || s[i] != ':' {
		return -1
	}
	i++
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	return i
}

// jsonFieldMatch returns what jsonFieldRE anchored at the start of s
// returns from FindStringSubmatchIndex, or nil.
func jsonFieldMatch(s string) []int {
	k := jsonKeyLen(s)
	if k < 0 {
		return nil
	}
	v := colonAt(s, k)
	switch {
	case v < 0 || v >= len(s):
		return nil
	case s[v] == '"':
		end := jsonString(s, v+1, -1)
		if end < 0 {
			return nil
		}
		return []int{0, end + 1, 1, k - 1, v + 1, end, -1, -1}
	}
	d := v
	if s[d] == '-' {
		d++
	}
	end := d
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	if end == d {
		return nil
	}
	return []int{0, end, 1, k - 1, -1, -1, v, end}
}

// escapedRun returns where a run of [^"\\] from s[i] ends, with at most
// limit runes (limit < 0: any number), or -1 past the limit.
func escapedRun(s string, i, limit int) int {
	for units := 0; i < len(s) && s[i] != '"' && s[i] != '\\'; units++ {
		if units == limit {
			return -1
		}
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		_, w := utf8.DecodeRuneInString(s[i:])
		i += w
	}
	return i
}

// escapedKeyLen is the length of escapedJSONKey's match at the start of
// s, or -1.
func escapedKeyLen(s string) int {
	if !strings.HasPrefix(s, `\"`) {
		return -1
	}
	end := escapedRun(s, 2, maxKeyUnits)
	if end <= 2 || !strings.HasPrefix(s[end:], `\"`) {
		return -1
	}
	return end + 2
}

// escapedFieldMatch returns what escapedJSONFieldRE anchored at the start
// of s returns from FindStringSubmatchIndex, or nil.
func escapedFieldMatch(s string) []int {
	k := escapedKeyLen(s)
	if k < 0 {
		return nil
	}
	v := colonAt(s, k)
	if v < 0 || !strings.HasPrefix(s[v:], `\"`) {
		return nil
	}
	end := escapedRun(s, v+2, -1)
	if !strings.HasPrefix(s[end:], `\"`) {
		return nil
	}
	return []int{0, end + 2, 2, k - 2, v + 2, end}
}
