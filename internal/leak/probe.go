package leak

// Cheap looks at a value before the work of decoding it: one table lookup
// per byte for the features that choose the decoders and for the shape
// of a base64 run, and the first bits of a raw-deflate or lz-string
// stream, which decide whether its decoder could get anywhere at all.
// Each refuses only what the decoder itself would refuse at once
// (probe_test.go checks them against the decoders).

// Feature bits of a byte, for scanFeatures' one table lookup.
const (
	fRun   = 1 << iota // base64 or lz-string alphabet
	fHex               // hex digit
	fPct               // '%'
	fAmp               // '&'
	fEsc               // '\\'
	fDigit             // '0'-'9'
	_
	fHigh // >= 0x80; the top bit, so it counts by shifting
)

// featureClass is filled from class, in init.
var featureClass [256]uint8

func featureBits(c int) uint8 {
	k := uint8(0)
	if class[c]&(cB64|cLZ) != 0 {
		k |= fRun
	}
	if class[c]&cHex != 0 {
		k |= fHex
	}
	switch {
	case c >= '0' && c <= '9':
		k |= fDigit
	case c == '%':
		k |= fPct
	case c == '&':
		k |= fAmp
	case c == '\\':
		k |= fEsc
	case c >= 0x80:
		k |= fHigh
	}
	return k
}

// Shape bits of a byte in a base64 run, for runShape.
const (
	shStd    = 1 << iota // '+' or '/'
	shURL                // '-' or '_'
	shDollar             // '$'
	shLower
	shUpper
	shDigit // anything else
)

var shape [256]uint8

func init() {
	for c := range 256 {
		b := byte(c)
		switch {
		case b == '+' || b == '/':
			shape[c] = shStd
		case b == '-' || b == '_':
			shape[c] = shURL
		case b == '$':
			shape[c] = shDollar
		case b >= 'a' && b <= 'z':
			shape[c] = shLower
		case b >= 'A' && b <= 'Z':
			shape[c] = shUpper
		default:
			shape[c] = shDigit
		}
	}
}

// runShape says which kinds of characters a run holds.
func runShape(run []byte) (std, url, dollar, lower, upper, digit bool) {
	var k uint8
	for _, c := range run {
		k |= shape[c]
	}
	return k&shStd != 0, k&shURL != 0, k&shDollar != 0, k&shLower != 0, k&shUpper != 0, k&shDigit != 0
}

// deflateMayStart reports whether raw deflate data can get past its first
// block header. A Huffman-coded block with codes of its own (BTYPE 10)
// declares at most 286 literal and 30 distance codes, then the code
// lengths of the code-length alphabet, which must make a complete prefix
// code (or a single one-bit code, as zlib allows); a decoder fails on
// anything else before writing a byte. Random bytes almost never pass, so
// the decoder is not started for them. Fixed-code blocks have no header
// to check.
func deflateMayStart(b []byte) bool {
	if len(b) == 0 || b[0]>>1&3 != 2 {
		return len(b) > 0
	}
	bit := 3 // BFINAL and BTYPE read
	read := func(n int) (int, bool) {
		v := 0
		for i := range n {
			if bit>>3 >= len(b) {
				return 0, false
			}
			v |= int(b[bit>>3]>>(bit&7)&1) << i
			bit++
		}
		return v, true
	}
	hlit, ok1 := read(5)
	hdist, ok2 := read(5)
	hclen, ok3 := read(4)
	if !ok1 || !ok2 || !ok3 || hlit+257 > 286 || hdist+1 > 30 {
		return false
	}
	var count [8]int
	for range hclen + 4 {
		n, ok := read(3)
		if !ok {
			return false
		}
		count[n]++
	}
	// Kraft sum over lengths 1..7, in units of 2^-7: complete is 128.
	sum, longest := 0, 0
	for n := 1; n < len(count); n++ {
		sum += count[n] << (7 - n)
		if count[n] > 0 {
			longest = n
		}
	}
	return sum == 128 || longest == 1 && sum == 64
}
