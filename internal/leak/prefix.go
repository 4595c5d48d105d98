package leak

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Keystroke capture: a script that sends a field on every key sends the
// value's prefixes before the whole value exists: a field whose whole value
// is "dana.whitfield@example.c". The pool keeps the lowercased prefixes of
// typed values, from minPrefix characters to one short of the whole, in a
// map; a field value (after decoding, whole, trimmed) is looked up once. A
// prefix that is a complete word of the value ("Menlo" of "Menlo Park") is
// not kept: a page names a city or a street by itself far more often than
// it sends half of what was typed.
const (
	minPrefix = 5
	// maxPrefixes bounds the prefixes kept of one value (a long street).
	maxPrefixes = 64
)

// typedField reports the persona keys a person types into a form: a
// tracking number or a custom value (a search, a member ID) is typed too.
func typedField(field string) bool {
	switch field {
	case "email", "phone", "first_name", "last_name", "street", "city", "tracking_numbers":
		return true
	}
	return strings.HasPrefix(field, "custom.")
}

// addPrefixes indexes the prefixes of a typed value.
func (b *poolBuilder) addPrefixes(persona int, fv fieldValue) {
	rs := []rune(strings.ToLower(strings.TrimSpace(fv.Value)))
	if !typedField(fv.Field) || len(rs) <= minPrefix {
		return
	}
	if b.p.prefixes == nil {
		b.p.prefixes = map[string][]int{}
	}
	for k := max(minPrefix, len(rs)-maxPrefixes); k < len(rs); k++ {
		if wordEnd(rs, k) {
			continue
		}
		b.p.cands = append(b.p.cands, candidate{persona: persona, field: fv.Field, value: fv.Value,
			kind: kindPlain, partial: k})
		p := string(rs[:k])
		b.p.prefixes[p] = append(b.p.prefixes[p], len(b.p.cands)-1)
		if k < len(b.p.prefixRunes) {
			b.p.prefixRunes[k] = true
		}
		b.p.prefixFirst[p[0]] = true
	}
}

// wordEnd reports whether the first k runes of rs end a word of it: a letter
// or digit followed by a space or punctuation.
func wordEnd(rs []rune, k int) bool {
	isWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	return isWord(rs[k-1]) && !isWord(rs[k])
}

// matchPrefix records a field whose whole value is a prefix of a typed
// persona value (and not the whole of it, which matchText finds).
func (s *scanner) matchPrefix(loc string, v []byte, chain []string) {
	if len(s.p.prefixes) == 0 || len(v) < minPrefix || len(v) > 4*maxPrefixes {
		return
	}
	t := bytes.TrimSpace(v)
	if n := utf8.RuneCount(t); n < minPrefix || n > maxPrefixes+64 || !s.p.prefixRunes[n] {
		return // no kept prefix has n runes (lower-casing keeps the count)
	}
	if c := t[0]; c < 0x80 && !s.p.prefixFirst[c|asciiCase(c)] {
		return // an ASCII first letter lower-cases to ASCII: no prefix starts so
	}
	var cands []int
	var low [4*maxPrefixes + 1]byte
	if k, ok := foldASCII(low[:], t); ok {
		cands = s.p.prefixes[string(low[:k])] // a map index by converted bytes allocates nothing
	} else {
		cands = s.p.prefixes[strings.ToLower(string(t))]
	}
	for _, ci := range cands {
		s.record(&s.p.cands[ci], loc, chain, nil, t)
	}
}

// asciiCase is the bit that lower-cases c when c is an ASCII capital.
func asciiCase(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return 0x20
	}
	return 0
}

// foldASCII writes the lower-case form of b into buf when b is ASCII and
// fits, so the per-field lookup costs no allocation; ok is false for
// other text, which strings.ToLower folds.
func foldASCII(buf, b []byte) (n int, ok bool) {
	if len(b) > len(buf) {
		return 0, false
	}
	for i, c := range b {
		if c >= 0x80 {
			return 0, false
		}
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return len(b), true
}

// prunePartial keeps, per (persona, field, channel, location), the whole
// value if it was found there, else only the longest prefix.
func prunePartial(ms []Match) []Match {
	type key struct{ persona, field, value, ch, loc string }
	best := map[key]int{} // key → longest Partial, or 0 for a whole match
	partial := false
	for _, m := range ms {
		partial = partial || m.Partial > 0
		k := key{m.Persona, m.Field, m.Value, m.Channel, m.Location}
		if cur, ok := best[k]; !ok || m.Partial == 0 || cur != 0 && m.Partial > cur {
			best[k] = m.Partial
		}
	}
	if !partial {
		return ms
	}
	out := ms[:0]
	for _, m := range ms {
		if m.Partial == best[key{m.Persona, m.Field, m.Value, m.Channel, m.Location}] {
			out = append(out, m)
		}
	}
	return out
}
