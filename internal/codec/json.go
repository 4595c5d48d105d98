package codec

import (
	"bytes"
	"errors"
	"unicode/utf16"
	"unicode/utf8"
)

// ErrJSONString says a JSON string literal holds a bad escape.
var ErrJSONString = errors.New("malformed JSON string escape")

// UnquoteJSON decodes the inside of a JSON string literal (without its
// quotes) strictly: a bad or cut-off escape is ErrJSONString. A lone
// surrogate becomes U+FFFD, as encoding/json does. Input without escapes
// is returned as a copy.
func UnquoteJSON(s []byte) ([]byte, error) {
	return unescape(s, true)
}

// UnescapeJSON decodes JSON string escapes leniently, for text that only
// looks like JSON: a bad escape is kept as written.
func UnescapeJSON(s []byte) []byte {
	out, _ := unescape(s, false)
	return out
}

func unescape(s []byte, strict bool) ([]byte, error) {
	first := bytes.IndexByte(s, '\\')
	if first < 0 {
		return bytes.Clone(s), nil
	}
	out := make([]byte, first, len(s))
	copy(out, s[:first])
	for i := first; i < len(s); {
		if s[i] != '\\' {
			j := bytes.IndexByte(s[i:], '\\')
			if j < 0 {
				j = len(s) - i
			}
			out = append(out, s[i:i+j]...)
			i += j
			continue
		}
		r, n := escape(s[i:])
		if n == 0 {
			if strict {
				return nil, ErrJSONString
			}
			out = append(out, '\\')
			i++
			continue
		}
		out = utf8.AppendRune(out, r)
		i += n
	}
	return out, nil
}

// simple maps the one-letter escapes to what they stand for.
var simple = [256]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

// escape decodes the escape at the start of s (which begins with a
// backslash); it returns the rune and the bytes used, 0 when malformed.
func escape(s []byte) (rune, int) {
	if len(s) < 2 {
		return 0, 0
	}
	if s[1] != 'u' {
		if c := simple[s[1]]; c != 0 {
			return rune(c), 2
		}
		return 0, 0
	}
	r, ok := Hex4(s[2:])
	if !ok {
		return 0, 0
	}
	if !utf16.IsSurrogate(r) {
		return r, 6
	}
	if len(s) >= 12 && s[6] == '\\' && s[7] == 'u' {
		if r2, ok := Hex4(s[8:]); ok {
			if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
				return d, 12
			}
		}
	}
	return utf8.RuneError, 6
}

// Hex4 reads four hex digits at the start of s.
func Hex4(s []byte) (rune, bool) {
	if len(s) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range s[:4] {
		v := Unhex(c)
		if v < 0 {
			return 0, false
		}
		r = r<<4 | rune(v)
	}
	return r, true
}

// Unhex is the value of one hex digit, or -1.
func Unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}
