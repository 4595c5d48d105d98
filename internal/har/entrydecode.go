package har

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"
)

// decodeEntry decodes one entry's JSON (compact and valid: the guard's
// output) into e without reflection. It takes the fields the reader uses
// in the shapes real files have them; a value of a shape it does not take
// (a type mismatch, a key matched only case-insensitively, a repeated
// object) makes it start over with encoding/json, so that the entry reads,
// or fails with the same error, exactly as encoding/json reads it.
func decodeEntry(raw []byte, e *harEntry) error {
	c := cursor{b: raw}
	c.entry(e)
	if !c.bad && c.i == len(raw) {
		return nil
	}
	*e = harEntry{}
	return json.Unmarshal(raw, e)
}

// cursor walks compact, valid JSON. bad is set at the first value it does
// not take; from then on it only returns.
type cursor struct {
	b   []byte
	i   int
	bad bool
}

// object calls field for each member of the object at c.i, the cursor at
// the member's value; field must read or skip it. A value that is not an
// object is bad, except null, which is no members (a null struct is left
// as it is, as encoding/json leaves it).
func (c *cursor) object(field func(key []byte)) {
	if c.bad || c.i >= len(c.b) {
		c.bad = true
		return
	}
	if c.null() {
		return
	}
	if c.b[c.i] != '{' {
		c.bad = true
		return
	}
	c.i++
	for !c.bad && c.i < len(c.b) && c.b[c.i] != '}' {
		if c.b[c.i] == ',' {
			c.i++
		}
		key, ok := c.rawString()
		if !ok || bytes.IndexByte(key, '\\') >= 0 || c.i >= len(c.b) || c.b[c.i] != ':' {
			c.bad = true
			return
		}
		c.i++
		field(key)
	}
	if c.i >= len(c.b) {
		c.bad = true
		return
	}
	c.i++
}

// array calls elem for each element of the array at c.i; null calls
// nothing and reports false (a null slice is nil), as does a bad value.
func (c *cursor) array(elem func()) bool {
	if c.bad || c.i >= len(c.b) || c.null() {
		return false
	}
	if c.b[c.i] != '[' {
		c.bad = true
		return false
	}
	c.i++
	for !c.bad && c.i < len(c.b) && c.b[c.i] != ']' {
		if c.b[c.i] == ',' {
			c.i++
		}
		elem()
	}
	if c.i >= len(c.b) {
		c.bad = true
		return false
	}
	c.i++
	return !c.bad
}

// null reads a null and reports whether there was one.
func (c *cursor) null() bool {
	if bytes.HasPrefix(c.b[c.i:], []byte("null")) {
		c.i += 4
		return true
	}
	return false
}

// rawString reads a string literal and returns its inside as written.
func (c *cursor) rawString() ([]byte, bool) {
	if c.i >= len(c.b) || c.b[c.i] != '"' {
		return nil, false
	}
	start := c.i + 1
	for j := start; j < len(c.b); {
		k := indexQuoteOrEscape(c.b[j:])
		if k < 0 {
			return nil, false
		}
		j += k
		if c.b[j] == '\\' {
			j += 2
			continue
		}
		c.i = j + 1
		return c.b[start:j], true
	}
	return nil, false
}

// str reads a string into *dst; null leaves *dst as it is.
func (c *cursor) str(dst *string) {
	if c.bad || c.i >= len(c.b) || c.null() {
		return
	}
	start := c.i
	in, ok := c.rawString()
	if !ok {
		c.bad = true
		return
	}
	if plainText(in) {
		*dst = string(in)
		return
	}
	if err := json.Unmarshal(c.b[start:c.i], dst); err != nil {
		c.bad = true
	}
}

// skip moves past one value.
func (c *cursor) skip() {
	c.raw()
}

// raw moves past one value and returns its bytes.
func (c *cursor) raw() []byte {
	if c.bad || c.i >= len(c.b) {
		c.bad = true
		return nil
	}
	var sc valueScan
	_, end := sc.scan(c.b, c.i, c.i)
	if end < 0 {
		if !sc.scalar {
			c.bad = true
			return nil
		}
		end = len(c.b)
	}
	v := c.b[c.i:end]
	c.i = end
	return v
}

// unmarshaler decodes a field of a type with its own UnmarshalJSON from
// the value's bytes, as encoding/json would call it.
func (c *cursor) unmarshaler(u json.Unmarshaler) {
	v := c.raw()
	if c.bad {
		return
	}
	if err := u.UnmarshalJSON(v); err != nil {
		c.bad = true
	}
}

// flex reads a flexString: a plain string directly, anything else by its
// UnmarshalJSON.
func (c *cursor) flex(dst *flexString) {
	if c.i < len(c.b) && c.b[c.i] == '"' {
		var s string
		c.str(&s)
		*dst = flexString(s)
		return
	}
	c.unmarshaler(dst)
}

// boolean reads true or false into *dst; null leaves it as it is.
func (c *cursor) boolean(dst *bool) {
	switch {
	case c.bad || c.i >= len(c.b) || c.null():
	case bytes.HasPrefix(c.b[c.i:], []byte("true")):
		*dst, c.i = true, c.i+4
	case bytes.HasPrefix(c.b[c.i:], []byte("false")):
		*dst, c.i = false, c.i+5
	default:
		c.bad = true
	}
}

// std decodes a value into v with encoding/json, for fields that are rare
// or small (WebSocket messages, form params).
func (c *cursor) std(v any) {
	raw := c.raw()
	if c.bad {
		return
	}
	if err := json.Unmarshal(raw, v); err != nil {
		c.bad = true
	}
}

// unknown skips the value of a key none of names has; a key that differs
// from one of them only in case is bad (encoding/json would take it).
func (c *cursor) unknown(key []byte, names []string) {
	for _, n := range names {
		if len(n) == len(key) && bytes.EqualFold(key, []byte(n)) || !asciiOnly(key) && bytes.EqualFold(key, []byte(n)) {
			c.bad = true
			return
		}
	}
	c.skip()
}

func asciiOnly(b []byte) bool {
	for _, x := range b {
		if x >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// once marks bit in *seen and is bad when it was already set: a repeated
// object or array field merges in encoding/json, which only it does.
func (c *cursor) once(seen *uint32, bit uint32) bool {
	if *seen&bit != 0 {
		c.bad = true
		return false
	}
	*seen |= bit
	return true
}
