package leak

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"unicode"
	"unicode/utf8"
)

// hit is one text candidate found in a value, waiting until no later hit
// can contain it.
type hit struct {
	c          *candidate
	start, end int
	inside     bool // inside a longer value of the same persona
}

// acChunk is how much of a value one automaton pass reads between stop
// checks.
const acChunk = 256 << 10

// matchText runs the automaton over v once, in chunks that overlap by the
// longest candidate so no match is lost or found twice. A value inside a
// longer value of the same persona ("alice" inside "alice.smith@...") is
// part of that one, not a finding. Hits arrive in order of their end, and
// a hit can only be contained by one ending at most maxLen after it
// starts, so a short window of pending hits decides that: the cost is
// linear in the bytes and the matches.
func (s *scanner) matchText(loc string, v []byte, chain []string) {
	if s.p.ac == nil || len(v) < 2 {
		return
	}
	reach := s.p.maxLen
	pend := s.pending[:0]
	s.recent = s.recent[:0]
	for off := 0; off < len(v); off += acChunk {
		if off > 0 && s.stop() {
			break
		}
		lo, hi := max(0, off-reach+1), min(len(v), off+acChunk)
		for _, m := range s.p.ac.FindAllOverlapping(v[lo:hi]) {
			start, end := lo+m.Start, lo+m.End
			if end <= off {
				continue // the previous chunk found it
			}
			for _, ci := range s.p.patterns[m.PatternID] {
				c := &s.p.cands[ci]
				// A path segment "ca" or "us" is a locale far more often than
				// a state or a country: short values count there only hashed.
				if c.short && s.ch == ChannelURLPath || !fits(c, v, start, end) {
					continue
				}
				s.events++
				pend = s.settle(pend, loc, v, chain, end-reach)
				pend = append(pend, contain(pend, hit{c: c, start: start, end: end}))
			}
		}
	}
	s.pending = s.settle(pend, loc, v, chain, len(v)+1)[:0]
}

// settle records the pending hits that end before upto (no later hit can
// contain them) and returns the rest.
func (s *scanner) settle(pend []hit, loc string, v []byte, chain []string, upto int) []hit {
	k := 0
	for ; k < len(pend) && pend[k].end < upto; k++ {
		h := pend[k]
		if h.inside {
			continue
		}
		// Location, channel and chain are fixed within one value: a
		// candidate seen before here is the same finding, counted
		// without hashing its key again.
		if i := s.recentIndex(h.c); i >= 0 {
			s.res.Matches[i].Count++
			continue
		}
		if i := s.record(h.c, loc, chain, nil, v[h.start:h.end]); i >= 0 && len(s.recent) < maxRecent {
			s.recent = append(s.recent, recentHit{h.c, i})
		}
	}
	if k == 0 {
		return pend
	}
	return append(pend[:0], pend[k:]...)
}

// contain marks pending hits that h contains, and h if one contains it.
func contain(pend []hit, h hit) hit {
	for i := range pend {
		o := &pend[i]
		if o.c.persona != h.c.persona || o.c.field == h.c.field {
			continue
		}
		if covers(h, *o) {
			o.inside = true
		}
		if covers(*o, h) {
			h.inside = true
		}
	}
	return h
}

// recentHit is a finding made in the value matchText is searching.
type recentHit struct {
	c     *candidate
	index int // in Matches
}

// maxRecent bounds the recent findings remembered per value; past it,
// record's map decides.
const maxRecent = 8

func (s *scanner) recentIndex(c *candidate) int {
	for _, r := range s.recent {
		if r.c == c {
			return r.index
		}
	}
	return -1
}

// covers reports whether o spans h and is longer.
func covers(o, h hit) bool {
	return o.start <= h.start && o.end >= h.end && o.end-o.start > h.end-h.start
}

// fits reports whether a text match stands as a whole token, so that a
// short value never matches inside a longer word or number.
func fits(c *candidate, v []byte, start, end int) bool {
	switch c.kind {
	case kindBase64:
		return (start == 0 || class[v[start-1]]&cB64 == 0) &&
			(end == len(v) || v[end] == '=' || class[v[end]]&cB64 == 0)
	default:
		if wordBefore(v, start) || wordAfter(v, end) {
			return false
		}
		return !c.short || shortContext(v, start, end)
	}
}

// wordBefore reports a letter or digit (ASCII or any UTF-8 letter) just
// before v[i]; bytes that are not UTF-8 (binary frames) are boundaries.
func wordBefore(v []byte, i int) bool {
	if i == 0 {
		return false
	}
	if c := v[i-1]; c < 0x80 {
		return class[c]&cAlnum != 0
	}
	r, _ := utf8.DecodeLastRune(v[:i])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func wordAfter(v []byte, i int) bool {
	if i >= len(v) {
		return false
	}
	if c := v[i]; c < 0x80 {
		return class[c]&cAlnum != 0
	}
	r, _ := utf8.DecodeRune(v[i:])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// shortContext accepts a value of three characters or fewer (a state or
// country code) only as a whole field, after "key=" or "key:", as a
// "~key0.value" token (Google's tv.1 strings) or after ", " in an address.
func shortContext(v []byte, start, end int) bool {
	after := end == len(v) || bytes.IndexByte([]byte("&;~,|\"' \n\r\t"), v[end]) >= 0
	if !after {
		return false
	}
	if start == 0 {
		return true
	}
	switch v[start-1] {
	case '=', ':':
		return true
	case ' ':
		return start >= 2 && v[start-2] == ','
	case '.':
		j, digit := start-2, false
		for ; j >= 0 && start-2-j < 6 && class[v[j]]&cAlnum != 0; j-- {
			digit = digit || class[v[j]]&cDigit != 0
		}
		return digit && j < start-2 && (j < 0 || v[j] == '~')
	}
	return false
}

// hexDigestLens are hex lengths of the digests the pool can hold.
var hexDigestLens = map[int]bool{32: true, 40: true, 56: true, 64: true, 96: true, 128: true}

func (s *scanner) matchDigests(loc string, v []byte, chain []string) {
	if len(s.p.digests) == 0 {
		return
	}
	runs(v, cB64, 22, func(i, j int) bool {
		end := j
		for end < len(v) && v[end] == '=' && end-j < 2 {
			end++
		}
		if !s.digestToken(loc, v[i:j], v[i:end], chain) {
			s.digestPieces(loc, v[i:j], chain)
		}
		return !s.stop()
	})
}

// digestPieces retries a run split on base64's punctuation, for digests
// inside paths ("/u/<hex>") or joined with dashes.
func (s *scanner) digestPieces(loc string, run []byte, chain []string) {
	if !bytes.ContainsAny(run, "/+-_") {
		return
	}
	start := 0
	for k := 0; k <= len(run); k++ {
		if k == len(run) || class[run[k]]&cAlnum == 0 {
			if k-start >= 32 {
				s.digestToken(loc, run[start:k], run[start:k], chain)
			}
			start = k + 1
		}
	}
}

// digestToken decodes a token of digest length and looks it up.
func (s *scanner) digestToken(loc string, run, padded []byte, chain []string) bool {
	n := len(run)
	if !hexDigestLens[n] && (n%4 == 1 || n*3/4 > 64 || !s.p.digLens[n*3/4]) {
		return false // no digest is this long: checked before reading the run
	}
	var raw [64]byte
	var d []byte
	var spelling []string
	allHex := true
	var upper, lower bool
	for _, c := range run {
		k := class[c]
		allHex = allHex && k&cHex != 0
		upper = upper || k&cUpper != 0
		lower = lower || c >= 'a' && c <= 'z'
	}
	switch {
	case allHex && hexDigestLens[n]:
		if _, err := hex.Decode(raw[:n/2], run); err != nil {
			return false
		}
		d = raw[:n/2]
		if upper && !lower {
			spelling = []string{"uppercase"}
		}
	case n%4 != 1 && n*3/4 <= 64 && s.p.digLens[n*3/4]:
		enc, name := base64.RawStdEncoding, "base64"
		if bytes.ContainsAny(run, "-_") {
			enc, name = base64.RawURLEncoding, "base64url"
		} else if len(padded) == len(run) && n%4 != 0 {
			name = "base64url" // unpadded: Google's form
		}
		m, err := enc.Decode(raw[:], run)
		if err != nil {
			return false
		}
		d, spelling = raw[:m], []string{name}
	default:
		return false
	}
	ids, ok := s.p.digests[string(d)]
	if !ok {
		return false
	}
	for _, ci := range ids {
		s.record(&s.p.cands[ci], loc, chain, spelling, padded)
	}
	return true
}
