package pixel

import (
	"strings"
	"testing"
)

// FuzzSyncCandidates holds the candidate rules on any cookie value and any
// URL text: every candidate is a whole-token run of the value that
// qualifies, and every match in a text is a whole-token run of the text.
func FuzzSyncCandidates(f *testing.F) {
	f.Add("GA1.1.1784540141.1682453443", "/collect?cid=1784540141.1682453443")
	f.Add("6f2c1a10-90b1-11e7-8b1c-0242ac120002", "/p?id=0a3d7e22-90b1-11e7-9f3a-0242ac130003")
	f.Add("u_038e80e9-382f-4eb8-93cd-526d04739139|x", "/s?u=038e80e9-382f-4eb8-93cd-526d04739139")
	f.Add("1685383555|15:shop|44:N2IzYTI5NjRhNmU0", "/a?b=N2IzYTI5NjRhNmU0&c=2021-10-19T23:17")
	f.Fuzz(func(t *testing.T, value, text string) {
		if len(value) > 4096 || len(text) > 8192 {
			return
		}
		cands := syncCandidates(value)
		if len(cands) > maxCandsPerValue {
			t.Fatalf("%d candidates", len(cands))
		}
		for _, c := range cands {
			if !strings.Contains(value, c) || !qualifies(c) || !wholeIn(value, c) {
				t.Fatalf("candidate %q of %q", c, value)
			}
		}
		a := NewAnalyzer()
		a.addIdentifier("c", value, testParty("https://a.example/", "https://a.example/"), 0, true)
		for _, m := range a.matchAll(text, false, newTokenFilter(a.cands)) {
			if !wholeIn(text, m.id) {
				t.Fatalf("match %q is not whole in %q", m.id, text)
			}
		}
	})
}

// wholeIn reports whether sub occurs in s with no letter or digit on
// either side.
func wholeIn(s, sub string) bool {
	for i := 0; ; {
		k := strings.Index(s[i:], sub)
		if k < 0 {
			return false
		}
		start, end := i+k, i+k+len(sub)
		if (start == 0 || !isAlnum(s[start-1])) && (end == len(s) || !isAlnum(s[end])) {
			return true
		}
		i = start + 1
	}
}
