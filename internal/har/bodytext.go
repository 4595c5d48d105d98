package har

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// bodyText is a body string of a HAR (postData.text, content.text) decoded
// straight into bytes: one allocation instead of a string and its copy, and
// bytes that are not UTF-8 are kept as recorded rather than replaced.
type bodyText []byte

var errBadString = errors.New("invalid JSON string")

func (t *bodyText) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*t = nil
		return nil
	}
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		// Not a string (a tool wrote the JSON body as JSON): keep its text.
		var buf bytes.Buffer
		if err := json.Compact(&buf, b); err != nil {
			return err
		}
		*t = buf.Bytes()
		return nil
	}
	out, err := unquoteJSON(b[1 : len(b)-1])
	if err != nil {
		return err
	}
	*t = out
	return nil
}

func (t bodyText) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(string(t)); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// unquoteJSON decodes the inside of a JSON string literal (already checked
// by the decoder's scanner).
func unquoteJSON(s []byte) ([]byte, error) {
	first := bytes.IndexByte(s, '\\')
	if first < 0 {
		return bytes.Clone(s), nil
	}
	out := make([]byte, first, len(s))
	copy(out, s[:first])
	for i := first; i < len(s); {
		c := s[i]
		if c != '\\' {
			j := bytes.IndexByte(s[i:], '\\')
			if j < 0 {
				j = len(s) - i
			}
			out = append(out, s[i:i+j]...)
			i += j
			continue
		}
		if i+1 >= len(s) {
			return nil, errBadString
		}
		switch e := s[i+1]; e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, n := unicodeEscape(s[i:])
			if n == 0 {
				return nil, errBadString
			}
			out = utf8.AppendRune(out, r)
			i += n
			continue
		default:
			return nil, errBadString
		}
		i += 2
	}
	return out, nil
}

// unicodeEscape decodes \uXXXX at the start of s, joining a surrogate pair;
// it returns the rune and the bytes used, 0 when malformed.
func unicodeEscape(s []byte) (rune, int) {
	r := hex4(s)
	if r < 0 {
		return 0, 0
	}
	if utf16.IsSurrogate(r) {
		if r2 := hex4(s[6:]); r2 >= 0 && len(s) >= 12 && s[6] == '\\' {
			if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
				return d, 12
			}
		}
		return utf8.RuneError, 6
	}
	return r, 6
}

// hex4 reads \uXXXX at the start of s, or returns -1.
func hex4(s []byte) rune {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return -1
	}
	v, err := strconv.ParseUint(string(s[2:6]), 16, 32)
	if err != nil {
		return -1
	}
	return rune(v)
}
