package codec

import (
	"errors"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// lz-string (pieroxy/lz-string) decompression, written from the format:
// a bit stream of dictionary codes read through one of four alphabets.
// Every decoder takes a limit in UTF-16 code units: past it the output
// decoded so far is returned with ErrLZLimit, so a stream that repeats its
// last entry (output quadratic in the input) cannot run away.

const (
	lzKeyBase64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="
	lzKeyURI    = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$"
)

var ErrLZ = errors.New("not lz-string data")

// ErrLZLimit says the output would pass the size limit.
var ErrLZLimit = errors.New("lz-string output over the size limit")

var lzBase64Val, lzURIVal = lzTable(lzKeyBase64), lzTable(lzKeyURI)

func lzTable(key string) [256]int16 {
	var t [256]int16
	for i := range t {
		t[i] = -1
	}
	for i := 0; i < len(key); i++ {
		t[key[i]] = int16(i)
	}
	return t
}

// LZFromBase64 decodes LZString.compressToBase64 output.
func LZFromBase64(s string, limit int) (string, error) {
	return lzAlphabet(s, &lzBase64Val, limit)
}

// LZFromURI decodes LZString.compressToEncodedURIComponent output.
func LZFromURI(s string, limit int) (string, error) {
	return lzAlphabet(strings.ReplaceAll(s, " ", "+"), &lzURIVal, limit)
}

func lzAlphabet(s string, table *[256]int16, limit int) (string, error) {
	if s == "" {
		return "", ErrLZ
	}
	return lzDecompress(len(s), 32, func(i int) int {
		if i >= len(s) {
			return 0
		}
		v := table[s[i]]
		if v < 0 {
			return 0
		}
		return int(v)
	}, limit)
}

// LZFromUTF16 decodes LZString.compressToUTF16 output.
func LZFromUTF16(s string, limit int) (string, error) {
	u := utf16.Encode([]rune(s))
	if len(u) == 0 {
		return "", ErrLZ
	}
	return lzDecompress(len(u), 16384, func(i int) int {
		if i >= len(u) {
			return 0
		}
		return int(u[i]) - 32
	}, limit)
}

// LZRaw decodes LZString.compress output (UTF-16 code units).
func LZRaw(s string, limit int) (string, error) {
	u := utf16.Encode([]rune(s))
	if len(u) == 0 {
		return "", ErrLZ
	}
	return lzDecompress(len(u), 32768, func(i int) int {
		if i >= len(u) {
			return 0
		}
		return int(u[i])
	}, limit)
}

// lzReader reads the bit stream, low bit of each value first, from next
// or, when table is set, from src through that alphabet.
type lzReader struct {
	next     func(int) int
	src      []byte
	table    *[256]int16
	val      int
	position int
	reset    int
	index    int
}

// at is the value of the i-th character of the stream; 0 past its end.
func (r *lzReader) at(i int) int {
	if r.table == nil {
		return r.next(i)
	}
	if i >= len(r.src) {
		return 0
	}
	return max(0, int(r.table[r.src[i]])) // an unknown character reads as zero
}

func (r *lzReader) bits(n int) int {
	out := 0
	for p := 0; p < n; p++ {
		if r.val&r.position != 0 {
			out |= 1 << p
		}
		r.position >>= 1
		if r.position == 0 {
			r.position = r.reset
			r.val = r.at(r.index)
			r.index++
		}
	}
	return out
}

// lzEntry is a dictionary entry: a span of the output.
type lzEntry struct{ start, n int }

// lzState is the decoder's dictionary and output. Entries are spans of
// the output, so memory stays linear in the output.
type lzState struct {
	r                  lzReader
	dict               []lzEntry
	out                []uint16
	w                  lzEntry // the previous entry
	enlargeIn, numBits int
	limit              int
}

// lzDecompress runs the dictionary decoder; output past limit code units
// is ErrLZLimit, returned with the output decoded up to the limit; a stream
// that breaks the format is ErrLZ.
func lzDecompress(length, reset int, next func(int) int, limit int) (string, error) {
	z := &lzState{}
	units, err := z.run(lzReader{next: next, position: reset, reset: reset}, length, limit)
	switch {
	case err == nil || errors.Is(err, ErrLZLimit):
		return string(utf16.Decode(z.out)), err
	case units < 0:
		return "", err
	}
	return "", &LZError{err, units}
}

// run decodes a stream of length characters from r into z.out, reusing
// z's buffers. It returns nil, ErrLZLimit (z.out holds the output up to
// the limit), or the error that broke the stream with the code units
// made before it (-1: it broke at its first code).
func (z *lzState) run(r lzReader, length, limit int) (int, error) {
	r.val, r.index = r.at(0), 1
	z.r, z.w, z.enlargeIn, z.numBits, z.limit = r, lzEntry{0, 1}, 4, 3, limit
	z.dict, z.out = append(z.dict[:0], lzEntry{}, lzEntry{}, lzEntry{}), z.out[:0]
	first := z.r.bits(2)
	if first > 1 {
		return -1, ErrLZ
	}
	z.out = append(z.out, uint16(z.r.bits(8<<first)))
	z.dict = append(z.dict, lzEntry{0, 1})
	for {
		if z.r.index > length {
			return len(z.out), ErrLZ
		}
		cc := z.r.bits(z.numBits)
		if cc == 2 {
			return len(z.out), nil
		}
		if err := z.step(cc); err != nil {
			return len(z.out), err
		}
	}
}

// LZDecoder decodes lz-string's base64 and URI forms into UTF-8, keeping
// its buffers from one call to the next: a search that tries every
// random ID as lz-string allocates nothing per failed try. It decodes as
// LZFromBase64 and LZFromURI do. The zero value is ready to use; it is
// not safe for concurrent use.
type LZDecoder struct {
	z   lzState
	buf []byte
}

// Size is the bytes the decoder's buffers hold on to.
func (d *LZDecoder) Size() int {
	return cap(d.buf) + 2*cap(d.z.out) + 16*cap(d.z.dict)
}

// lzURISpaceVal is lzURIVal reading ' ' as '+' (a form decoder's space).
var lzURISpaceVal = func() [256]int16 {
	t := lzURIVal
	t[' '] = t['+']
	return t
}()

// Base64 decodes LZString.compressToBase64 output (uri false) or
// compressToEncodedURIComponent output (uri true). It returns the UTF-8
// output, valid until the next call, and the error as LZFromBase64 or
// LZFromURI would; units is the number of UTF-16 code units made, also
// on a stream that broke.
func (d *LZDecoder) Base64(in []byte, uri bool, limit int) (out []byte, units int, err error) {
	if len(in) == 0 {
		return nil, 0, ErrLZ
	}
	table := &lzBase64Val
	if uri {
		table = &lzURISpaceVal
	}
	units, err = d.z.run(lzReader{src: in, table: table, position: 32, reset: 32}, len(in), limit)
	if err != nil && !errors.Is(err, ErrLZLimit) {
		return nil, max(units, 0), err
	}
	d.buf = appendUTF16(d.buf[:0], d.z.out)
	return d.buf, len(d.z.out), err
}

// appendUTF16 appends u as UTF-8, an unpaired surrogate as U+FFFD, as
// string(utf16.Decode(u)) makes it.
func appendUTF16(b []byte, u []uint16) []byte {
	for i := 0; i < len(u); i++ {
		r := rune(u[i])
		if utf16.IsSurrogate(r) {
			if i+1 < len(u) {
				if d := utf16.DecodeRune(r, rune(u[i+1])); d != utf8.RuneError {
					b = utf8.AppendRune(b, d)
					i++
					continue
				}
			}
			r = utf8.RuneError
		}
		b = utf8.AppendRune(b, r)
	}
	return b
}

// LZError is a stream that broke the format after some output: the
// work done is charged to the scan's budget all the same.
type LZError struct {
	Err   error
	Units int // code units produced before it broke
}

func (e *LZError) Error() string { return e.Err.Error() }
func (e *LZError) Unwrap() error { return e.Err }

// grow counts one dictionary addition and widens codes when due.
func (z *lzState) grow() {
	z.enlargeIn--
	if z.enlargeIn == 0 {
		z.enlargeIn, z.numBits = 1<<z.numBits, z.numBits+1
	}
}

// step decodes one code: a literal (0: 8 bits, 1: 16 bits) or a
// dictionary entry, the entry not yet added meaning w + w[0].
func (z *lzState) step(cc int) error {
	if cc < 2 {
		c := z.r.bits(8 << cc)
		if len(z.out)+1 > z.limit {
			return ErrLZLimit
		}
		z.out = append(z.out, uint16(c))
		z.dict = append(z.dict, lzEntry{len(z.out) - 1, 1})
		z.grow()
		z.dict = append(z.dict, lzEntry{z.w.start, z.w.n + 1})
		z.w = lzEntry{len(z.out) - 1, 1}
		z.grow()
		return nil
	}
	src, n := lzEntry{}, 0
	switch {
	case cc >= 3 && cc < len(z.dict):
		src = z.dict[cc]
		n = src.n
	case cc == len(z.dict):
		src = z.w
		n = src.n + 1
	default:
		return ErrLZ
	}
	if len(z.out)+n > z.limit {
		return ErrLZLimit
	}
	start := len(z.out)
	z.out = append(z.out, z.out[src.start:src.start+src.n]...)
	if n > src.n {
		z.out = append(z.out, z.out[z.w.start])
	}
	z.dict = append(z.dict, lzEntry{z.w.start, z.w.n + 1})
	z.w = lzEntry{start, n}
	z.grow()
	return nil
}

// LZMayStart reports whether a run read as LZString.compressToBase64 (or,
// with uri, compressToEncodedURIComponent) output can start a stream: its
// first two bits, the top of its first character, must name a literal, or
// the decoder fails at once. Half of random base64 runs fail so; checking
// first spares the decoder's allocations.
func LZMayStart(run []byte, uri bool) bool {
	if len(run) == 0 {
		return false
	}
	table := &lzBase64Val
	if uri {
		table = &lzURIVal
	}
	v := table[run[0]]
	return v < 0 || v&16 == 0 // an unknown character reads as zero bits
}
