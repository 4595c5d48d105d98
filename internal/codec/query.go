package codec

import "strings"

// UnescapeQuery is url.QueryUnescape reporting failure as ok false: the
// same result and the same failures ('%' not followed by two hex digits),
// but the text between escapes is copied a run at a time, not a byte at a
// time (pixel's cookie-sync search unescapes every kept third-party URL).
func UnescapeQuery(s string) (string, bool) {
	n, plus := 0, false
	for i := 0; i < len(s); {
		switch s[i] {
		case '%':
			if i+2 >= len(s) || Unhex(s[i+1]) < 0 || Unhex(s[i+2]) < 0 {
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
			b.WriteByte(byte(Unhex(s[j+1])<<4 | Unhex(s[j+2])))
			i = j + 3
		}
	}
	return b.String(), true
}
