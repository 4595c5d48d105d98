package redact

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// containsAnyFold is the one-pass matcher over a list built on the spot
// (the package builds its sets once).
func containsAnyFold(s string, parts []string) bool { return newPartSet(parts).in(s) }

// containsAnyFoldRef is the test the partSet replaced, kept as its
// oracle: the text lowercased (ASCII only, when neither rune that
// lowercases to ASCII is in it) a megabyte at a time, then one
// strings.Contains a part.
func containsAnyFoldRef(s string, parts []string) bool {
	if strings.Contains(s, dottedCapitalI) || strings.Contains(s, kelvinSign) {
		return containsAnyFoldUnicode(s, parts, foldChunk, foldOverlap)
	}
	for lo := 0; lo < len(s); {
		hi := min(len(s), lo+foldChunk)
		ls := lowerASCIIString(s[lo:hi])
		for _, p := range parts {
			if strings.Contains(ls, p) {
				return true
			}
		}
		if hi == len(s) {
			break
		}
		lo = hi - foldOverlap
	}
	return false
}

// lowerASCIIString lowercases the ASCII letters of s.
func lowerASCIIString(s string) string {
	b := []byte(s)
	for i := range b {
		b[i] = lowerASCII[b[i]]
	}
	return string(b)
}

// partLists are the lists the package tests texts for, and lists that
// reach the matcher's corners: one-byte parts, parts that are not
// letters, parts sharing their first bytes.
var partLists = [][]string{fieldAnchors, secretFieldParts, sessionCookieParts, credentialHeaderParts,
	{"bearer"}, {"k"}, {"i", "=", "ab"}, {`\"`, "-x", "a"}, {"token", "to", "tok"}, {"kelvin"}, {}}

// sameAsRef fails when the matcher and its oracle disagree on s.
func sameAsRef(t *testing.T, s string) {
	t.Helper()
	for _, set := range partSets {
		if got, want := set.set.in(s), containsAnyFoldRef(s, set.parts); got != want {
			t.Fatalf("%q in %q: %v, oracle %v", set.parts, s, got, want)
		}
	}
}

// partSets are the package's sets and those of partLists.
var partSets = func() []struct {
	set   *partSet
	parts []string
} {
	out := []struct {
		set   *partSet
		parts []string
	}{{fieldAnchorSet, fieldAnchors}, {secretFieldPartSet, secretFieldParts}, {sessionCookiePartSet, sessionCookieParts},
		{credentialHeaderPartSet, credentialHeaderParts}, {bearerSet, []string{"bearer"}}}
	for _, parts := range partLists {
		out = append(out, struct {
			set   *partSet
			parts []string
		}{newPartSet(parts), parts})
	}
	return out
}()

// TestPartSetOracle: the one-pass matcher answers as the test it
// replaced, on texts built from parts, their halves in both cases, the
// two runes that lowercase to ASCII, their broken halves and bytes that
// are not UTF-8.
func TestPartSetOracle(t *testing.T) {
	t.Parallel()
	pieces := []string{"a", "K", "k", "I", "i", "=", `"`, `\`, "-", "x", "X", "_", " ", "9", "é", "\xff", "\x80",
		dottedCapitalI, kelvinSign, "\xc4", "\xe2\x84", "\xc4\xb0", "\u0131", "ſ", "Ƙ",
		"pa", "PAS", "toK", "EN", "se", "ssid", "key", "KEY", "x-AUTH", "jW", "apI", "_key", "-key", "sess", "ion"}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		sameAsRef(t, b.String())
	}
	for _, parts := range partLists {
		for _, p := range parts {
			for _, s := range []string{p, strings.ToUpper(p), "x" + p, p + "x", p[:len(p)/2], p[len(p)/2:]} {
				sameAsRef(t, s)
			}
		}
	}
}

func FuzzPartSet(f *testing.F) {
	for _, s := range []string{"", "pass", "PaSsWoRd", "to\u212aen", "p\u0130n", "key\\\"", "x\xe2\x84", "sessid", "\xc4"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { sameAsRef(t, s) })
}
