package leak

import (
	"errors"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// maxJSONDepth bounds nesting so hostile input cannot exhaust the stack.
const maxJSONDepth = 256

// jsonWalker visits the string and number leaves of JSON text with their
// paths ("context.user.email", "e[].x"), without building a tree. Several
// top-level values in a row (newline-delimited JSON) are all visited.
type jsonWalker struct {
	data []byte
	pos  int
	path []byte
	leaf func(path []byte, v []byte) bool
}

var errJSON = errors.New("malformed JSON")

// errJSONDeep says JSON nested past maxJSONDepth.
var errJSONDeep = errors.New("JSON nested too deep")

// walkJSON calls leaf for each leaf; it returns how far it parsed and an
// error naming the offset when the text stops being JSON (the caller
// searches the rest as text) or when leaf returned false (errStopped).
func walkJSON(data []byte, leaf func(path []byte, v []byte) bool) (int, error) {
	w := jsonWalker{data: data, leaf: leaf}
	for {
		w.ws()
		if w.pos >= len(w.data) {
			return w.pos, nil
		}
		if err := w.value(0); err != nil {
			w.pos = min(w.pos, len(w.data))
			return w.pos, fmt.Errorf("%w at offset %d", err, w.pos)
		}
	}
}

func (w *jsonWalker) ws() {
	for w.pos < len(w.data) {
		switch w.data[w.pos] {
		case ' ', '\t', '\n', '\r':
			w.pos++
		default:
			return
		}
	}
}

func (w *jsonWalker) value(depth int) error {
	if depth > maxJSONDepth {
		return errJSONDeep
	}
	w.ws()
	if w.pos >= len(w.data) {
		return errJSON
	}
	switch c := w.data[w.pos]; {
	case c == '{':
		return w.object(depth)
	case c == '[':
		return w.array(depth)
	case c == '"':
		s, err := w.str()
		if err != nil {
			return err
		}
		if !w.leaf(w.path, s) {
			return errStopped
		}
		return nil
	case c == '-' || (c >= '0' && c <= '9'):
		start := w.pos
		for w.pos < len(w.data) && isNumByte(w.data[w.pos]) {
			w.pos++
		}
		if !w.leaf(w.path, w.data[start:w.pos]) {
			return errStopped
		}
		return nil
	default:
		for _, lit := range []string{"true", "false", "null"} {
			if len(w.data)-w.pos >= len(lit) && string(w.data[w.pos:w.pos+len(lit)]) == lit {
				w.pos += len(lit)
				return nil
			}
		}
		return errJSON
	}
}

func isNumByte(c byte) bool {
	return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'
}

func (w *jsonWalker) object(depth int) error {
	w.pos++ // {
	base := len(w.path)
	defer func() { w.path = w.path[:base] }()
	for first := true; ; first = false {
		w.ws()
		if w.pos >= len(w.data) {
			return errJSON
		}
		if w.data[w.pos] == '}' {
			w.pos++
			return nil
		}
		if !first {
			if w.data[w.pos] != ',' {
				return errJSON
			}
			w.pos++
			w.ws()
		}
		if w.pos >= len(w.data) || w.data[w.pos] != '"' {
			return errJSON
		}
		key, err := w.str()
		if err != nil {
			return err
		}
		w.ws()
		if w.pos >= len(w.data) || w.data[w.pos] != ':' {
			return errJSON
		}
		w.pos++
		w.path = w.path[:base]
		if keyLooksLikeData(key) {
			if !w.leaf(append(w.path, " (key)"...), key) {
				return errStopped
			}
			w.path = w.path[:base]
		}
		if base > 0 {
			w.path = append(w.path, '.')
		}
		w.path = append(w.path, key...)
		if err := w.value(depth + 1); err != nil {
			return err
		}
	}
}

func (w *jsonWalker) array(depth int) error {
	w.pos++ // [
	base := len(w.path)
	w.path = append(w.path, "[]"...)
	defer func() { w.path = w.path[:base] }()
	for first := true; ; first = false {
		w.ws()
		if w.pos >= len(w.data) {
			return errJSON
		}
		if w.data[w.pos] == ']' {
			w.pos++
			return nil
		}
		if !first {
			if w.data[w.pos] != ',' {
				return errJSON
			}
			w.pos++
		}
		if err := w.value(depth + 1); err != nil {
			return err
		}
	}
}

// str reads a JSON string at w.pos; the result aliases the input when it
// holds no escapes.
func (w *jsonWalker) str() ([]byte, error) {
	w.pos++ // opening quote
	start := w.pos
	escaped := false
	for w.pos < len(w.data) {
		switch w.data[w.pos] {
		case '\\':
			escaped = true
			w.pos += 2
			continue
		case '"':
			s := w.data[start:w.pos]
			w.pos++
			if escaped {
				return unescapeJSON(s), nil
			}
			return s, nil
		}
		w.pos++
	}
	return nil, errJSON
}

// unescapeJSON decodes JSON string escapes; bad escapes are kept as
// written. It also serves as the "json-escape" decoding layer.
func unescapeJSON(s []byte) []byte {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			out = append(out, c)
			continue
		}
		i++
		switch s[i] {
		case 'n':
			out = append(out, '\n')
		case 't':
			out = append(out, '\t')
		case 'r':
			out = append(out, '\r')
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'u':
			r, n := readU(s[i+1:])
			if n == 0 {
				out = append(out, '\\', 'u')
				continue
			}
			out = utf8.AppendRune(out, r)
			i += n
		default: // \" \\ \/ and anything else
			out = append(out, s[i])
		}
	}
	return out
}

// readU reads the hex digits after \u (and a following low surrogate);
// it returns the rune and how many bytes it used, 0 when invalid.
func readU(s []byte) (rune, int) {
	r1, ok := hex4(s)
	if !ok {
		return 0, 0
	}
	if utf16.IsSurrogate(r1) && len(s) >= 10 && s[4] == '\\' && s[5] == 'u' {
		if r2, ok := hex4(s[6:]); ok {
			if r := utf16.DecodeRune(r1, r2); r != utf8.RuneError {
				return r, 10
			}
		}
	}
	return r1, 4
}

func hex4(s []byte) (rune, bool) {
	if len(s) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range s[:4] {
		v := unhex(c)
		if v < 0 {
			return 0, false
		}
		r = r<<4 | rune(v)
	}
	return r, true
}

func unhex(c byte) int {
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

// keyLooksLikeData picks object keys that may be values themselves (an
// email or a digest used as a map key); ordinary names are not searched.
func keyLooksLikeData(k []byte) bool {
	if len(k) < 8 {
		return false
	}
	digits := 0
	for _, c := range k {
		switch {
		case c == '@':
			return true
		case c >= '0' && c <= '9':
			digits++
		}
	}
	return digits >= 4
}
