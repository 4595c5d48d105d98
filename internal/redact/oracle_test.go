package redact

import (
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// unescapeRef is escaping.unescape as it was, a unit tried at every byte:
// the oracle of the version that jumps from anchor to anchor.
func unescapeRef(e escaping, s string) (string, bool) {
	var b strings.Builder
	units := 0
	for i := 0; i < len(s); {
		n, dec := e.unit(s, i)
		if n == 0 {
			if units > 0 {
				b.WriteByte(s[i])
			}
			i++
			continue
		}
		if units == 0 {
			b.Grow(len(s))
			b.WriteString(s[:i])
		}
		units++
		b.WriteString(dec)
		i += n
	}
	return b.String(), units > 0
}

// oracleTexts are random texts of the bytes the layer walk reacts to.
func oracleTexts(seed uint64, n int) []string {
	pieces := []string{"%", "%4", "%41", "%e9", "%C3%A9", "&", "&amp;", "&#x41;", "&#65;", "&lt", "&#;", "\\", `\"`, `\u00e9`,
		`\ud83d\ude00`, `\ud83d`, "\\u12", "a", "Z", "9", "=", ";", "+", "/", "_", "-", " ", "\"", "'", "<", "\xff", "é",
		"eyJhbGciOiJIUzI1NiJ9", "SHVudGVyMiFUeXBlZA==", "48756e74657232215479706564", "sk_live_0123456789abcdefgh",
		"AKIAABCDEFGHIJKLMNOP", "xoxb-1234567890-abc", "ghp_" + strings.Repeat("a1", 18), "AIza" + strings.Repeat("x", 35)}
	rng := rand.New(rand.NewPCG(seed, 7))
	out := make([]string, n)
	for k := range out {
		var b strings.Builder
		for range rng.IntN(16) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		out[k] = b.String()
	}
	return out
}

// TestUnescapeOracle: unescape decodes as the byte-at-a-time version did,
// and no unit starts anywhere but at its escaping's anchor.
func TestUnescapeOracle(t *testing.T) {
	t.Parallel()
	for _, s := range oracleTexts(1, 20000) {
		for _, e := range escapings {
			got, gotOK := e.unescape(s)
			want, wantOK := unescapeRef(e, s)
			if got != want || gotOK != wantOK {
				t.Fatalf("%s of %q: %q %v, oracle %q %v", e.name, s, got, gotOK, want, wantOK)
			}
			for i := 0; i < len(s); i++ {
				if n, _ := e.unit(s, i); n > 0 && s[i] != e.anchor {
					t.Fatalf("%s: a unit at %q[%d], not its anchor", e.name, s, i)
				}
			}
		}
	}
}

// keySpansRef is keySpans as it was, one strings.Index pass an anchor:
// the oracle of the one-pass version.
func keySpansRef(s string) [][2]int {
	var spans [][2]int
	for _, a := range keyAnchors2 {
		for off := 0; off < len(s); {
			i := strings.Index(s[off:], a)
			if i < 0 {
				break
			}
			at := off + i
			off = at + 1
			for _, k := range keyShapes {
				if !strings.HasPrefix(s[at:], k.prefix) {
					continue
				}
				if end := k.match(s, at); end > 0 {
					spans = append(spans, [2]int{at, end})
					off = end
					break
				}
			}
		}
	}
	return mergeSpans(spans)
}

// TestKeySpansOracle: the one-pass credential scan finds the spans the
// scan an anchor did, credentials nested in others and cut ones included.
func TestKeySpansOracle(t *testing.T) {
	t.Parallel()
	texts := oracleTexts(2, 20000)
	rng := rand.New(rand.NewPCG(5, 6))
	pieces := []string{"xoxb-", "xoxp-", "AKIA", "ASIA", "AIza", "sk_live_", "rk_test_", "ghp_", "github_pat_", "gh", "AK", "xo",
		"0123456789", "ABCDEFGHIJKLMNOP", "abcdefghijklmnopqrstuvwxyz", "-", "_", "%3D", " ", "x"}
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		texts = append(texts, b.String())
	}
	found := 0
	for _, s := range texts {
		got, want := keySpans(s), keySpansRef(s)
		if !slices.Equal(got, want) {
			t.Fatalf("spans of %q: %v, oracle %v", s, got, want)
		}
		found += min(1, len(got))
	}
	if found < 1000 {
		t.Fatalf("only %d texts held a credential", found)
	}
}

// segmentsRef is escaping.segments as it was, every byte tested for a
// separator: the oracle of the version that starts from the anchors.
func segmentsRef(e escaping, s string, f func(seg string) string) string {
	var b strings.Builder
	last := 0
	for start := 0; start < len(s); {
		end := start
		for end < len(s) && !e.isSep[s[end]] {
			end++
		}
		if seg := s[start:end]; strings.IndexByte(seg, e.anchor) >= 0 {
			if out := f(seg); out != seg {
				b.WriteString(s[last:start])
				b.WriteString(out)
				last = end
			}
		}
		start = end + 1
	}
	if last == 0 && b.Len() == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// TestSegmentsOracle: the stretches handed to the rewrite, and the text
// put back together, are those of the byte-at-a-time version; no anchor
// is a separator.
func TestSegmentsOracle(t *testing.T) {
	t.Parallel()
	for _, e := range escapings {
		if e.isSep[e.anchor] {
			t.Fatalf("%s: its anchor is a separator", e.name)
		}
	}
	for k, s := range oracleTexts(3, 20000) {
		for _, e := range escapings {
			var got, want []string
			rewrite := func(into *[]string) func(string) string {
				return func(seg string) string {
					*into = append(*into, seg)
					if (len(seg)+k)%3 == 0 {
						return "<" + seg + ">"
					}
					return seg
				}
			}
			out, ref := e.segments(s, rewrite(&got)), segmentsRef(e, s, rewrite(&want))
			if out != ref || !slices.Equal(got, want) {
				t.Fatalf("%s of %q: %q %q, oracle %q %q", e.name, s, out, got, ref, want)
			}
		}
	}
}

// TestPairReplacerOracle: reading for pairs first replaces as
// strings.Replacer does, with old strings of one byte, overlapping and
// sharing their starts, and none.
func TestPairReplacerOracle(t *testing.T) {
	t.Parallel()
	lists := [][]string{{}, {"abc", "X"}, {"abc", "X", "ab", "Y"}, {"a", "X", "bcd", "Y"}, {"Menlo Park", "M****", "menlo park", "m****"},
		{"%41", "[R]", "eyJhbGciOiJIUzI1NiJ9", "[R]", "eyJhbGciOiJIUzI1NiJ8", "[R]"}}
	for _, oldnew := range lists {
		p, ref := newPairReplacer(oldnew...), strings.NewReplacer(oldnew...)
		for _, s := range append(oracleTexts(4, 5000), "abcabc", "xxabx", "Menlo Parks", "menlo park", "a", "") {
			if got, want := p.Replace(s), ref.Replace(s); got != want {
				t.Fatalf("%q in %q: %q, oracle %q", oldnew, s, got, want)
			}
		}
	}
}

// TestEachCookie: eachCookie hands on the pairs cookieHeader does.
func TestEachCookie(t *testing.T) {
	t.Parallel()
	for _, s := range append(oracleTexts(5, 3000), "", ";", "a=b", " a = b ;c=d;;e", "=x; y=", "sid=1; sid=2") {
		var got, want []string
		eachCookie(s, func(n, v string) { got = append(got, n, v) })
		cookieHeader(s, func(n, v string) string { want = append(want, n, v); return v })
		if !slices.Equal(got, want) {
			t.Fatalf("pairs of %q: %q, oracle %q", s, got, want)
		}
	}
}

// The field expressions anchored at their start: the definition the hand
// matchers are held to.
var (
	jsonFieldAtRE        = regexp.MustCompile(`^(?:` + jsonFieldRE.String() + `)`)
	escapedJSONFieldAtRE = regexp.MustCompile(`^(?:` + escapedJSONFieldRE.String() + `)`)
	jsonKeyAtRE          = regexp.MustCompile(`^` + jsonKey)
	escapedJSONKeyAtRE   = regexp.MustCompile(`^` + escapedJSONKey)
)

// fieldMatchersSame fails when a hand matcher and its expression disagree
// at any offset of s.
func fieldMatchersSame(t *testing.T, s string) {
	t.Helper()
	keyLen := func(re *regexp.Regexp, s string) int {
		if loc := re.FindStringIndex(s); loc != nil {
			return loc[1]
		}
		return -1
	}
	for i := range len(s) + 1 {
		u := s[i:]
		if got, want := jsonFieldMatch(u), jsonFieldAtRE.FindStringSubmatchIndex(u); !slices.Equal(got, want) {
			t.Fatalf("JSON field at %q: %v, expression %v", u, got, want)
		}
		if got, want := escapedFieldMatch(u), escapedJSONFieldAtRE.FindStringSubmatchIndex(u); !slices.Equal(got, want) {
			t.Fatalf("escaped JSON field at %q: %v, expression %v", u, got, want)
		}
		if got, want := jsonKeyLen(u), keyLen(jsonKeyAtRE, u); got != want {
			t.Fatalf("JSON key at %q: %v, expression %v", u, got, want)
		}
		if got, want := escapedKeyLen(u), keyLen(escapedJSONKeyAtRE, u); got != want {
			t.Fatalf("escaped JSON key at %q: %v, expression %v", u, got, want)
		}
	}
}

// TestFieldMatchers: the hand matchers find what the expressions find, on
// texts of quotes, escapes, colons, spaces, numbers, newlines, bytes that
// are not UTF-8 and keys at and past 128 units.
func TestFieldMatchers(t *testing.T) {
	t.Parallel()
	pieces := []string{`"`, `\`, `\"`, `\\`, ":", " ", "\t", "\n", "\f", "\v", "\r", "-", "0", "12", "a", "é", "😀", "\xff", "\xe2\x82",
		`\` + "\n", `\😀`, `\` + "\xff", strings.Repeat("k", 127), strings.Repeat("é", 64), `"k"`, `\"k\"`, `"pw": "x"`, `\"pw\":\"x\"`}
	rng := rand.New(rand.NewPCG(7, 8))
	for range 5000 {
		var b strings.Builder
		for range rng.IntN(10) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		fieldMatchersSame(t, b.String())
	}
	for _, n := range []int{127, 128, 129} {
		for _, unit := range []string{"k", "é", `\😀`, `\"`} {
			key := strings.Repeat(unit, n)
			fieldMatchersSame(t, `"`+key+`": "v"`)
			fieldMatchersSame(t, `\"`+key+`\" :\"v\"`)
		}
	}
}

func FuzzFieldMatchers(f *testing.F) {
	f.Add(`{"k": "v", "pw" : -12, "e":"a\"b\\c", "n":-x}`)
	f.Add(`\"pw\":\"x\" \"k\" : \"`)
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) <= 2048 {
			fieldMatchersSame(t, s)
		}
	})
}
