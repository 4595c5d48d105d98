package consent

import (
	"errors"
	"fmt"
	"strings"
)

// maxEncodedLen bounds a consent string (TC, GPP) before it is decoded. The
// largest legal TC string (two 65535-bit vendor bit fields and publisher
// restrictions) is about 22 000 characters.
const maxEncodedLen = 64 << 10

// errTruncated is returned when a string ends before a field it must hold.
var errTruncated = errors.New("string ends before the field")

// b64index maps a base64 character (URL-safe or standard alphabet, the
// standard one sent by some CMPs) to its 6-bit value; -1 for anything else.
var b64index = func() [256]int8 {
	var t [256]int8
	for i := range t {
		t[i] = -1
	}
	const urlSafe = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	for i := 0; i < len(urlSafe); i++ {
		t[urlSafe[i]] = int8(i)
	}
	t['+'], t['/'] = 62, 63
	return t
}()

// bitReader reads big-endian bit fields from a base64 string, 6 bits a
// character, as TCF and GPP encode them. Trailing padding is ignored.
type bitReader struct {
	s   string
	pos int // next bit
}

// newBitReader checks s (length, alphabet) and returns a reader over it.
func newBitReader(s string) (*bitReader, error) {
	if len(s) > maxEncodedLen {
		return nil, fmt.Errorf("%d characters, more than the %d allowed", len(s), maxEncodedLen)
	}
	s = strings.TrimRight(s, "=")
	if s == "" {
		return nil, errors.New("empty segment")
	}
	for i := 0; i < len(s); i++ {
		if b64index[s[i]] < 0 {
			return nil, fmt.Errorf("character %q at %d is not base64", s[i], i)
		}
	}
	return &bitReader{s: s}, nil
}

// bits returns the number of bits in the string.
func (r *bitReader) bits() int { return 6 * len(r.s) }

// left returns the number of bits not yet read.
func (r *bitReader) left() int { return r.bits() - r.pos }

// read returns the next n bits (n <= 62) as an unsigned integer.
func (r *bitReader) read(n int) (uint64, error) {
	if n > r.left() {
		return 0, fmt.Errorf("%d bits at bit %d of %d: %w", n, r.pos, r.bits(), errTruncated)
	}
	var v uint64
	for i := 0; i < n; i++ {
		p := r.pos + i
		bit := (b64index[r.s[p/6]] >> (5 - p%6)) & 1
		v = v<<1 | uint64(bit)
	}
	r.pos += n
	return v, nil
}

// int reads n bits as an int.
func (r *bitReader) int(n int) (int, error) {
	v, err := r.read(n)
	return int(v), err
}

// bool reads one bit.
func (r *bitReader) bool() (bool, error) {
	v, err := r.read(1)
	return v == 1, err
}

// set reads an n-bit field of flags, bit i meaning id i+1, and returns the
// ids set, ascending.
func (r *bitReader) set(n int) ([]int, error) {
	if n > r.left() {
		return nil, fmt.Errorf("%d-bit field at bit %d of %d: %w", n, r.pos, r.bits(), errTruncated)
	}
	var ids []int
	for i := 1; i <= n; i++ {
		if b, _ := r.read(1); b == 1 {
			ids = append(ids, i)
		}
	}
	return ids, nil
}

// letters reads n 6-bit letters, A=0 ... Z=25 ("?" for a value past Z).
func (r *bitReader) letters(n int) (string, error) {
	var b strings.Builder
	for i := 0; i < n; i++ {
		v, err := r.int(6)
		if err != nil {
			return "", err
		}
		if v > 25 {
			b.WriteByte('?')
			continue
		}
		b.WriteByte(byte('A' + v))
	}
	return b.String(), nil
}

// fibonacci reads one Fibonacci-coded integer (Zeckendorf bits for 1, 2,
// 3, 5, 8, ... ended by "11"), as GPP encodes section ids. Values past
// 1<<20 are refused: no GPP id comes near.
func (r *bitReader) fibonacci() (int, error) {
	const limit = 1 << 20
	a, b := 1, 2 // the Fibonacci numbers the next bit and the one after stand for
	v, prev := 0, false
	for {
		bit, err := r.bool()
		if err != nil {
			return 0, fmt.Errorf("fibonacci integer: %w", err)
		}
		if bit && prev {
			return v, nil
		}
		if bit {
			v += a
		}
		if v > limit || a > limit {
			return 0, fmt.Errorf("fibonacci integer over %d", limit)
		}
		prev = bit
		a, b = b, a+b
	}
}
