package redact

import "strings"

// pairReplacer is a strings.Replacer that first reads a text for a pair
// of adjacent bytes starting one of its old strings: most texts a layer
// walk rewrites hold no secret and no persona value, and are returned as
// they are without the replacer's slower pass and its copy. A replacer
// with an old string shorter than two bytes reads no pairs.
type pairReplacer struct {
	rep   *strings.Replacer
	pairs *pairBitmap // nil: every text goes to rep
}

func newPairReplacer(oldnew ...string) *pairReplacer {
	p := &pairReplacer{rep: strings.NewReplacer(oldnew...), pairs: new(pairBitmap)}
	for i := 0; i < len(oldnew); i += 2 {
		if len(oldnew[i]) < 2 {
			p.pairs = nil
			break
		}
		p.pairs.set(oldnew[i][0], oldnew[i][1])
	}
	return p
}

// Replace returns s with the replacements of strings.Replacer.
func (p *pairReplacer) Replace(s string) string {
	if p.pairs != nil && !p.pairs.in(s) {
		return s
	}
	return p.rep.Replace(s)
}

// in reports whether any two adjacent bytes of s are a pair of the map.
func (t *pairBitmap) in(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		if t.has(s[i], s[i+1]) {
			return true
		}
	}
	return false
}
