package redact

import "strings"

// partSet answers "does this text contain any of these parts, ignoring
// case" in one pass over the text, as strings.Contains(strings.ToLower(s),
// part) for each part would. Testing a whole body of tracker traffic for
// the field anchors one strings.Contains a part cost dozens of passes,
// each stopping at every byte that starts a part (in random identifiers,
// one byte in thirty). A partSet reads each pair of adjacent bytes once
// against a table of the pairs that start a part, in either case, and
// compares parts only where one starts.
//
// Parts are lowercase ASCII shorter than 64 bytes (TestFoldParts). Only
// two runes lowercase to ASCII, U+0130 (to "i" and a combining dot) and
// the Kelvin sign U+212A (to "k"); their first two bytes are in the table
// too, and a text holding either is answered by strings.ToLower, a chunk
// at a time, as before.
type partSet struct {
	parts []string
	// pairs has a bit for each pair of bytes that starts a part in some
	// case, or starts one of the two runes.
	pairs [1 << 16 / 64]uint64
	// byFirst lists the parts of two bytes or more by their first byte,
	// either case.
	byFirst [256][]string
	// single marks the bytes, either case, of one-byte parts.
	single    [256]bool
	hasSingle bool
}

// Lead bytes of the two runes that lowercase to ASCII.
const (
	dottedCapitalI = "\u0130"
	kelvinSign     = "\u212a"
)

// newPartSet builds the set of parts of the given lists.
func newPartSet(lists ...[]string) *partSet {
	p := &partSet{}
	for _, list := range lists {
		for _, part := range list {
			p.add(part)
		}
	}
	for _, r := range []string{dottedCapitalI, kelvinSign} {
		p.setPair(r[0], r[1])
	}
	return p
}

// caseVariants are a byte and, for an ASCII letter, its other case.
func caseVariants(c byte) []byte {
	if l := lowerASCII[c]; l >= 'a' && l <= 'z' {
		return []byte{l, l - ('a' - 'A')}
	}
	return []byte{c}
}

func (p *partSet) add(part string) {
	switch {
	case part == "":
		return
	case len(part) == 1:
		for _, c := range caseVariants(part[0]) {
			p.single[c] = true
		}
		p.hasSingle = true
		p.parts = append(p.parts, part)
		return
	}
	p.parts = append(p.parts, part)
	for _, a := range caseVariants(part[0]) {
		p.byFirst[a] = append(p.byFirst[a], part)
		for _, b := range caseVariants(part[1]) {
			p.setPair(a, b)
		}
	}
}

func (p *partSet) setPair(a, b byte) {
	k := uint(a)<<8 | uint(b)
	p.pairs[k>>6] |= 1 << (k & 63)
}

// in reports whether s contains any part, ignoring case.
func (p *partSet) in(s string) bool {
	if p.hasSingle {
		for i := 0; i < len(s); i++ {
			if p.single[s[i]] || i+1 < len(s) && p.pair(s[i], s[i+1]) {
				if p.foldedAt(s, i) {
					return true
				}
			}
		}
		return false
	}
	for i := 0; i+1 < len(s); i++ {
		if k := uint(s[i])<<8 | uint(s[i+1]); p.pairs[k>>6]&(1<<(k&63)) != 0 && p.foldedAt(s, i) {
			return true
		}
	}
	return false
}

// pair reports whether a part (or one of the two runes) may start with
// the bytes a, b.
func (p *partSet) pair(a, b byte) bool {
	k := uint(a)<<8 | uint(b)
	return p.pairs[k>>6]&(1<<(k&63)) != 0
}

// foldedAt reports whether a part starts at s[i], or hands the whole text
// to the Unicode test when one of the two runes starts there.
func (p *partSet) foldedAt(s string, i int) bool {
	if c := s[i]; c == dottedCapitalI[0] || c == kelvinSign[0] {
		if strings.HasPrefix(s[i:], dottedCapitalI) || strings.HasPrefix(s[i:], kelvinSign) {
			return containsAnyFoldUnicode(s, p.parts, foldChunk, foldOverlap)
		}
	}
	if p.single[s[i]] {
		return true
	}
	for _, part := range p.byFirst[s[i]] {
		if hasPrefixFoldASCII(s[i:], part) {
			return true
		}
	}
	return false
}

// hasPrefixFoldASCII reports whether s starts with part (lowercase),
// folding ASCII letters of s only.
func hasPrefixFoldASCII(s, part string) bool {
	if len(s) < len(part) {
		return false
	}
	for j := 0; j < len(part); j++ {
		if lowerASCII[s[j]] != part[j] {
			return false
		}
	}
	return true
}
