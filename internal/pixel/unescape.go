package pixel

import "strings"

// unescapeQuery is url.QueryUnescape, reporting failure as ok false: the
// same result and the same failures ('%' not followed by two hex digits),
// but the text between escapes is copied a run at a time, not a byte at a
// time. syncText unescapes every kept third-party URL twice, and that was
// the larger part of its cost.
func unescapeQuery(s string) (string, bool) {
	n, plus := 0, false
	for i := 0; i < len(s); {
		switch s[i] {
		case '%':
			if i+2 >= len(s) || !isHex(s[i+1:i+3]) {
				return "", false
			}
			n++
			i += 3
		case '+':
			plus = true
			i++
		default:
			i++
		}
	}
	if n == 0 && !plus {
		return s, true
	}
	var b strings.Builder
	b.Grow(len(s) - 2*n)
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && s[j] != '%' && s[j] != '+' {
			j++
		}
		b.WriteString(s[i:j])
		switch {
		case j == len(s):
			return b.String(), true
		case s[j] == '+':
			b.WriteByte(' ')
			i = j + 1
		default:
			b.WriteByte(unhex(s[j+1])<<4 | unhex(s[j+2]))
			i = j + 3
		}
	}
	return b.String(), true
}

// unhex is the value of hex digit c.
func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}
