package har

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"unicode/utf8"
)

// tokenSource is what the streamer reads the guard's output with: the
// subset of *json.Decoder it uses. tokens is the one it runs on; the
// standard decoder stays as the reference its tests compare it with.
type tokenSource interface {
	Token() (json.Token, error)
	More() bool
	Decode(v any) error
}

var _ tokenSource = (*json.Decoder)(nil)

// tokens reads the guard's output, which is compact JSON checked for
// syntax and held within the read's budgets, in one pass: each value is
// read once into the buffer, and an entry is decoded from there straight
// into the har types (decodeEntry) instead of by reflection. Like
// json.Decoder it reads from the guard only when it needs a byte past what
// it holds, so the guard's warnings come at the same points of the read.
type tokens struct {
	r   io.Reader
	buf []byte
	pos int
	err error // the error that ended the input; returned once buf is spent
}

func newTokens(r io.Reader) *tokens {
	return &tokens{r: r, buf: make([]byte, 0, 64<<10)}
}

// more reads more input into buf, keeping buf[keep:]; it reports whether
// any arrived. The kept bytes move to the buffer's start: positions from
// keep on shift by keep.
func (t *tokens) more(keep int) bool {
	if keep > 0 {
		n := copy(t.buf, t.buf[keep:])
		t.buf = t.buf[:n]
		t.pos -= keep
	}
	if t.err != nil {
		return false
	}
	if len(t.buf) == cap(t.buf) {
		// Double, as json.Decoder does: append's gentler growth of large
		// slices would leave several times an entry's size of garbage.
		nb := make([]byte, len(t.buf), 2*cap(t.buf))
		copy(nb, t.buf)
		t.buf = nb
	}
	for {
		n, err := t.r.Read(t.buf[len(t.buf):cap(t.buf)])
		t.buf = t.buf[:len(t.buf)+n]
		if err != nil {
			t.err = err
		}
		if n > 0 || err != nil {
			return n > 0
		}
	}
}

// fail is the error of input that ended inside a value.
func (t *tokens) fail() error {
	if t.err == nil || errors.Is(t.err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return t.err
}

// peek returns the next byte that is not a space or (with seps) a
// separator, or the input's error.
func (t *tokens) peek(seps bool) (byte, error) {
	for {
		for t.pos < len(t.buf) {
			switch c := t.buf[t.pos]; c {
			case ' ', '\t', '\n', '\r':
				t.pos++
			case ',', ':':
				if !seps {
					return c, nil
				}
				t.pos++
			default:
				return c, nil
			}
		}
		if !t.more(t.pos) {
			if t.err == nil {
				return 0, io.ErrNoProgress
			}
			return 0, t.err
		}
	}
}

// More reports whether the current array or object has another element.
// Like json.Decoder's, it looks at the next byte only: a ',' is more,
// whether or not what follows it has arrived.
func (t *tokens) More() bool {
	c, err := t.peek(false)
	return err == nil && c != ']' && c != '}'
}

// Token returns the next token as json.Decoder does: a json.Delim, a
// string, a float64, a bool or nil.
func (t *tokens) Token() (json.Token, error) {
	c, err := t.peek(true)
	if err != nil {
		return nil, err
	}
	switch c {
	case '{', '}', '[', ']':
		t.pos++
		return json.Delim(c), nil
	}
	raw, err := t.value()
	if err != nil {
		return nil, err
	}
	switch c {
	case '"':
		return unquote(raw)
	case 't':
		return true, nil
	case 'f':
		return false, nil
	case 'n':
		return nil, nil
	}
	f, perr := strconv.ParseFloat(string(raw), 64)
	if perr != nil {
		var v any
		return nil, json.Unmarshal(raw, &v) // the decoder's own message
	}
	return f, nil
}

// Decode reads the next value into v: an entry by decodeEntry, anything
// else (pages, creator, the log's extensions: a handful per file) by
// encoding/json from the value's bytes.
func (t *tokens) Decode(v any) error {
	if _, err := t.peek(true); err != nil {
		return err
	}
	raw, err := t.value()
	if err != nil {
		return err
	}
	if e, ok := v.(*harEntry); ok {
		return decodeEntry(raw, e)
	}
	return json.Unmarshal(raw, v)
}

// value returns the bytes of the value at t.pos (a space or separator is
// not there: peek ran) and moves past it. The slice is valid until the
// next call.
func (t *tokens) value() ([]byte, error) {
	start := t.pos
	i, end := t.pos, -1
	var sc valueScan
	for {
		i, end = sc.scan(t.buf, i, start)
		if end >= 0 {
			break
		}
		keep := start
		ok := t.more(keep)
		i, start = i-keep, 0
		if !ok {
			if sc.scalar && errors.Is(t.err, io.EOF) {
				end = len(t.buf) // a number ends the input
				break
			}
			return nil, t.fail()
		}
	}
	if !sc.container && end == len(t.buf) {
		// A string, number or literal ends where json.Decoder sees the byte
		// after it: an error there is the value's.
		if t.err == nil {
			t.more(start)
			end, start = end-start, 0
		}
		if end == len(t.buf) && t.err != nil && !errors.Is(t.err, io.EOF) {
			return nil, t.err
		}
	}
	t.pos = end
	return t.buf[start:end], nil
}

// valueScan finds where a JSON value ends, across buffer refills.
type valueScan struct {
	begun     bool
	container bool // an object or array
	scalar    bool
	depth     int
	inStr     bool
}

// scan reads b from i and returns where it stopped and, once the value
// that began at start is complete, its end (else -1).
func (sc *valueScan) scan(b []byte, i, start int) (int, int) {
	if !sc.begun {
		if i >= len(b) {
			return i, -1
		}
		sc.begun = true
		switch b[i] {
		case '{', '[':
			sc.depth, sc.container = 1, true
		case '"':
			sc.inStr = true
		default:
			sc.scalar = true
		}
		i++
	}
	for i < len(b) {
		if sc.inStr {
			j := indexQuoteOrEscape(b[i:])
			if j < 0 {
				return len(b), -1
			}
			i += j
			if b[i] == '\\' {
				if i+1 >= len(b) {
					return i, -1 // rescan the escape once more input is in
				}
				i += 2
				continue
			}
			sc.inStr = false
			i++
			if sc.depth == 0 {
				return i, i
			}
			continue
		}
		c := b[i]
		if sc.scalar {
			if c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ':' {
				return i, i
			}
			i++
			continue
		}
		switch c {
		case '"':
			sc.inStr = true
		case '{', '[':
			sc.depth++
		case '}', ']':
			sc.depth--
			if sc.depth == 0 {
				return i + 1, i + 1
			}
		}
		i++
	}
	return i, -1
}

// indexQuoteOrEscape finds the first '"' or '\\' in b.
func indexQuoteOrEscape(b []byte) int {
	q := bytes.IndexByte(b, '"')
	if q < 0 {
		q = len(b)
	}
	if e := bytes.IndexByte(b[:q], '\\'); e >= 0 {
		return e
	}
	if q == len(b) {
		return -1
	}
	return q
}

// unquote decodes a JSON string token as encoding/json does: text without
// escapes that is valid UTF-8 is taken as it is; anything else goes
// through encoding/json for its exact handling of escapes, surrogates and
// invalid bytes.
func unquote(raw []byte) (string, error) {
	in := raw[1 : len(raw)-1]
	if plainText(in) {
		return string(in), nil
	}
	var s string
	err := json.Unmarshal(raw, &s)
	return s, err
}

// plainText reports whether the inside of a string literal needs no
// decoding: no escape, valid UTF-8.
func plainText(in []byte) bool {
	for _, c := range in {
		if c == '\\' || c >= utf8.RuneSelf {
			return bytes.IndexByte(in, '\\') < 0 && utf8.Valid(in)
		}
	}
	return true
}
