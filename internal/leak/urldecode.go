package leak

import (
	"bytes"

	"github.com/leakwatch/leakwatch/internal/codec"
)

// URL decoding: the "url" layer tried on every value, and the normal
// decoding of query and form values.

// tryURL percent-decodes a value as many rounds as it holds escapes.
func tryURL(s *scanner, v []byte, f features, emit func([]byte, ...string)) {
	if !f.pct {
		return
	}
	out, rounds, plus := s.urlRounds(v, percentDecode)
	if rounds > 0 {
		emit(out, urlChain(rounds)...)
	}
	// A '+' that reaches a round undecoded is a space to a form decoder
	// (QueryEscape twice: %252B1%2B%2528217%2529 is "+1 (217)"): search
	// that reading too, never instead.
	if plus {
		if out, rounds, _ := s.urlRounds(v, formDecode); rounds > 0 {
			emit(out, urlChain(rounds)...)
		}
	}
}

// urlRounds decodes v up to four times while it holds escapes, returning
// the last round's output, how many rounds ran and whether one read a
// literal '+'. Each round's output is no longer than its input: that is
// charged first, so a value past the budget is not decoded at all.
func (s *scanner) urlRounds(v []byte, dec func([]byte) []byte) (out []byte, rounds int, plus bool) {
	out = v
	for ; rounds < 4 && hasPercentEscape(out) && s.spend(len(out)); rounds++ {
		plus = plus || bytes.IndexByte(out, '+') >= 0
		out = dec(out)
	}
	return out, rounds, plus
}

var urlChains = [][]string{nil, {"url"}, {"url", "url"}, {"url", "url", "url"}, {"url", "url", "url", "url"}}

func urlChain(n int) []string { return urlChains[n] }

func hasPercentEscape(v []byte) bool {
	for i := bytes.IndexByte(v, '%'); i >= 0 && i+2 < len(v); {
		if codec.Unhex(v[i+1]) >= 0 && codec.Unhex(v[i+2]) >= 0 {
			return true
		}
		j := bytes.IndexByte(v[i+1:], '%')
		if j < 0 {
			return false
		}
		i += 1 + j
	}
	return false
}

// percentDecode decodes %XX escapes and leaves everything else as is.
func percentDecode(v []byte) []byte { return unescapeURL(v, false) }

// formDecode is percentDecode that also reads '+' as a space.
func formDecode(v []byte) []byte { return unescapeURL(v, true) }

// unescapeURL decodes v in one pass and one allocation.
func unescapeURL(v []byte, plusSpace bool) []byte {
	return appendUnescapeURL(make([]byte, 0, len(v)), v, plusSpace)
}

func appendUnescapeURL(out, v []byte, plusSpace bool) []byte {
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == '%' && i+2 < len(v) && codec.Unhex(v[i+1]) >= 0 && codec.Unhex(v[i+2]) >= 0:
			out = append(out, byte(codec.Unhex(v[i+1])<<4|codec.Unhex(v[i+2])))
			i += 2
		case c == '+' && plusSpace:
			out = append(out, ' ')
		default:
			out = append(out, c)
		}
	}
	return out
}

// queryDecode is the normal decoding of a query or form value ('+' is a
// space); it is not reported as a transform.
func queryDecode(v []byte) []byte {
	if bytes.IndexByte(v, '%') < 0 && bytes.IndexByte(v, '+') < 0 {
		return v
	}
	return formDecode(v)
}
