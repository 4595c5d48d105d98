package redact

import (
	"math/rand/v2"
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
		`\ud83d\ude00`, `\ud83d`, "\\u12", "a", "Z", "9", "=", "+", "/", "_", "-", " ", "\"", "'", "<", "\xff", "é",
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
