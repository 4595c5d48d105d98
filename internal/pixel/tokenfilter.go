package pixel

import "math/bits"

// tokenFilter tells, before any hash lookup, that no candidate can start
// or end with a token of a kept text. A candidate found in a text is a run
// of the text's tokens, and its first token is the text's token where the
// run starts (both are maximal runs of letters and digits), its last the
// token where it ends. The filter holds a few bits of each candidate's
// first and last tokens (length, first and last byte) in two bit sets: a
// bit that is clear proves no candidate has that token at that edge, so
// matchAll skips the run; a bit that is set only lets the lookup happen.
// It is built once per check, after the capture, from the candidates then
// known; most tokens of a URL start and end no candidate, and matchAll
// no longer hashes up to maxRunTokens strings per token.
type tokenFilter struct {
	first, last []uint64
	shift       uint
}

// newTokenFilter returns the filter of the candidates in cands, or nil
// (which lets everything through) when there are none.
func newTokenFilter(cands map[string]*candidate) *tokenFilter {
	if len(cands) == 0 {
		return nil
	}
	// About 16 bits per candidate, between 2^12 and 2^24 bits per set.
	size := max(12, min(24, bits.Len(uint(len(cands)))+4))
	f := &tokenFilter{first: make([]uint64, 1<<size/64), last: make([]uint64, 1<<size/64), shift: uint(64 - size)}
	for c := range cands {
		f.set(f.first, firstToken(c))
		f.set(f.last, lastToken(c))
	}
	return f
}

// firstToken is the leading run of letters and digits of s.
func firstToken(s string) string {
	i := 0
	for i < len(s) && isAlnum(s[i]) {
		i++
	}
	return s[:i]
}

// lastToken is the trailing run of letters and digits of s.
func lastToken(s string) string {
	i := len(s)
	for i > 0 && isAlnum(s[i-1]) {
		i--
	}
	return s[i:]
}

// bit is the position of a token in a set: its length and its first and
// last bytes, mixed.
func (f *tokenFilter) bit(tok string) uint64 {
	if tok == "" {
		return 0
	}
	k := uint64(len(tok))<<16 | uint64(tok[0])<<8 | uint64(tok[len(tok)-1])
	return (k * 0x9e3779b97f4a7c15) >> f.shift
}

func (f *tokenFilter) set(set []uint64, tok string) {
	b := f.bit(tok)
	set[b/64] |= 1 << (b % 64)
}

func (f *tokenFilter) in(set []uint64, tok string) bool {
	b := f.bit(tok)
	return set[b/64]&(1<<(b%64)) != 0
}

// mayStart reports whether a candidate may start with token tok.
func (f *tokenFilter) mayStart(tok string) bool {
	return f == nil || f.in(f.first, tok)
}

// mayEnd reports whether a candidate may end with token tok.
func (f *tokenFilter) mayEnd(tok string) bool {
	return f == nil || f.in(f.last, tok)
}
