package leak

import (
	"errors"
	"strings"
	"unicode/utf16"
)

// lz-string (pieroxy/lz-string) decompression, written from the format:
// a bit stream of dictionary codes read through one of four alphabets.

const (
	lzKeyBase64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="
	lzKeyURI    = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$"
)

var errLZ = errors.New("not lz-string data")

// errLZCap says the output would pass the size limit.
var errLZCap = errors.New("lz-string output over the size limit")

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

// lzFromBase64 decodes LZString.compressToBase64 output.
func lzFromBase64(s string, limit int) (string, error) {
	return lzAlphabet(s, &lzBase64Val, limit)
}

// lzFromURI decodes LZString.compressToEncodedURIComponent output.
func lzFromURI(s string, limit int) (string, error) {
	return lzAlphabet(strings.ReplaceAll(s, " ", "+"), &lzURIVal, limit)
}

func lzAlphabet(s string, table *[256]int16, limit int) (string, error) {
	if s == "" {
		return "", errLZ
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

// lzFromUTF16 decodes LZString.compressToUTF16 output.
func lzFromUTF16(s string, limit int) (string, error) {
	u := utf16.Encode([]rune(s))
	if len(u) == 0 {
		return "", errLZ
	}
	return lzDecompress(len(u), 16384, func(i int) int {
		if i >= len(u) {
			return 0
		}
		return int(u[i]) - 32
	}, limit)
}

// lzRaw decodes LZString.compress output (UTF-16 code units).
func lzRaw(s string, limit int) (string, error) {
	u := utf16.Encode([]rune(s))
	if len(u) == 0 {
		return "", errLZ
	}
	return lzDecompress(len(u), 32768, func(i int) int {
		if i >= len(u) {
			return 0
		}
		return int(u[i])
	}, limit)
}

// lzReader reads the bit stream, low bit of each value first.
type lzReader struct {
	next     func(int) int
	val      int
	position int
	reset    int
	index    int
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
			r.val = r.next(r.index)
			r.index++
		}
	}
	return out
}

// lzEntry is a dictionary entry: a span of the output.
type lzEntry struct{ start, n int }

// lzDecompress runs the dictionary decoder. Entries are spans of the
// output, so memory stays linear; output past limit is an error.
func lzDecompress(length, reset int, next func(int) int, limit int) (string, error) {
	r := &lzReader{next: next, val: next(0), position: reset, reset: reset, index: 1}
	dict := []lzEntry{{}, {}, {}}
	var out []uint16
	literal := func(bits int) lzEntry {
		c := r.bits(bits)
		return lzEntry{start: -1, n: c} // n carries the code unit until placed
	}
	var first lzEntry
	switch r.bits(2) {
	case 0:
		first = literal(8)
	case 1:
		first = literal(16)
	default:
		return "", errLZ
	}
	out = append(out, uint16(first.n))
	dict = append(dict, lzEntry{0, 1})
	w := lzEntry{0, 1}
	enlargeIn, numBits := 4, 3
	for {
		if r.index > length {
			return "", errLZ
		}
		cc := r.bits(numBits)
		switch cc {
		case 0, 1:
			bits := 8
			if cc == 1 {
				bits = 16
			}
			c := r.bits(bits)
			out = append(out, uint16(c))
			dict = append(dict, lzEntry{len(out) - 1, 1})
			cc = len(dict) - 1
			enlargeIn--
			// The literal is already in the output: it is this step's entry.
			if enlargeIn == 0 {
				enlargeIn, numBits = 1<<numBits, numBits+1
			}
			dict = append(dict, lzEntry{w.start, w.n + 1})
			w = lzEntry{len(out) - 1, 1}
			enlargeIn--
			if enlargeIn == 0 {
				enlargeIn, numBits = 1<<numBits, numBits+1
			}
			continue
		case 2:
			return string(utf16.Decode(out)), nil
		}
		if enlargeIn == 0 {
			enlargeIn, numBits = 1<<numBits, numBits+1
		}
		var entry lzEntry
		switch {
		case cc < len(dict) && cc >= 3:
			entry = dict[cc]
		case cc == len(dict):
			entry = lzEntry{w.start, w.n + 1} // w + w[0], placed below
		default:
			return "", errLZ
		}
		if len(out)+entry.n > limit {
			return "", errLZCap
		}
		start := len(out)
		if cc == len(dict) {
			out = append(out, out[w.start:w.start+w.n]...)
			out = append(out, out[w.start])
		} else {
			out = append(out, out[entry.start:entry.start+entry.n]...)
		}
		dict = append(dict, lzEntry{w.start, w.n + 1})
		w = lzEntry{start, entry.n}
		enlargeIn--
		if enlargeIn == 0 {
			enlargeIn, numBits = 1<<numBits, numBits+1
		}
	}
}
