package pixel

import (
	"errors"
	"unicode/utf16"
)

// lzAlphabet is lz-string's base64 alphabet.
const lzAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="

// maxLZUnits caps the UTF-16 code units lzDecompressBase64 produces.
const maxLZUnits = maxBody

var errLZ = errors.New("lz-string: invalid input")

// lzDecompressBase64 implements lz-string's decompressFromBase64 (as used by
// PostHog's compression=lz64): LZW over UTF-16 code units, 6 bits a char.
func lzDecompressBase64(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	vals := make([]int, len(s))
	for i := 0; i < len(s); i++ {
		v := indexByte(lzAlphabet, s[i])
		if v < 0 {
			return "", errLZ
		}
		vals[i] = v
	}
	d := lzReader{vals: vals, reset: 32, pos: 32}
	d.val = d.next(0)
	d.index = 1
	units, err := d.decompress()
	if err != nil {
		return "", err
	}
	return string(utf16.Decode(units)), nil
}

func indexByte(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

type lzReader struct {
	vals            []int
	val, pos, reset int
	index           int
}

func (d *lzReader) next(i int) int {
	if i < len(d.vals) {
		return d.vals[i]
	}
	return 0
}

// bits reads n bits, least significant first.
func (d *lzReader) bits(n int) int {
	out := 0
	for p := 0; p < n; p++ {
		b := d.val & d.pos
		d.pos >>= 1
		if d.pos == 0 {
			d.pos = d.reset
			d.val = d.next(d.index)
			d.index++
		}
		if b > 0 {
			out |= 1 << p
		}
	}
	return out
}

func (d *lzReader) decompress() ([]uint16, error) {
	dict := [][]uint16{{0}, {1}, {2}}
	enlargeIn, numBits := 4, 3
	var c []uint16
	switch d.bits(2) {
	case 0:
		c = []uint16{uint16(d.bits(8))}
	case 1:
		c = []uint16{uint16(d.bits(16))}
	default:
		return nil, nil
	}
	dict = append(dict, c)
	w := c
	out := append([]uint16(nil), c...)
	for {
		if d.index > len(d.vals) {
			return nil, errLZ
		}
		code := d.bits(numBits)
		switch code {
		case 0, 1:
			width := 8 << code
			dict = append(dict, []uint16{uint16(d.bits(width))})
			code = len(dict) - 1
			enlargeIn--
		case 2:
			return out, nil
		}
		if enlargeIn == 0 {
			enlargeIn = 1 << numBits
			numBits++
		}
		var entry []uint16
		switch {
		case code < len(dict):
			entry = dict[code]
		case code == len(dict):
			entry = append(append([]uint16(nil), w...), w[0])
		default:
			return nil, errLZ
		}
		if len(out)+len(entry) > maxLZUnits {
			return nil, errLZ
		}
		out = append(out, entry...)
		dict = append(dict, append(append([]uint16(nil), w...), entry[0]))
		enlargeIn--
		w = entry
		if enlargeIn == 0 {
			enlargeIn = 1 << numBits
			numBits++
		}
		if numBits > 30 {
			return nil, errLZ
		}
	}
}
