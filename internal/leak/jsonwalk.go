package leak

import (
	"errors"
	"fmt"

	"github.com/leakwatch/leakwatch/internal/codec"
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
				return codec.UnescapeJSON(s), nil
			}
			return s, nil
		}
		w.pos++
	}
	return nil, errJSON
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
