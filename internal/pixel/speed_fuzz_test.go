package pixel

import (
	"math"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// The fuzz targets here hold the code made faster to the code it replaced
// (oracle_test.go): the same answers on any input.

// FuzzSyncTextEquivalence: syncText with the memoised, deduplicated forms
// and embeddedDocs with its length filter give what they gave before.
func FuzzSyncTextEquivalence(f *testing.F) {
	f.Add("https://x.example/p?u=https%3A%2F%2Fwww.site.com%2Fa%3Fb%3D1&id=abc123def456", "https://www.site.com/a?b=1",
		"https://www.site.com/a?b=1", "Mozilla/5.0 (X11; Linux x86_64)", "https://www.site.com/a?b=1")
	f.Add("https://x.example/p?r=Mozilla%2F5.0+%28X11%29&d=https://doc.example/f", "https://p.example/",
		"https://p.example/ x", "Mozilla/5.0 (X11)", "https://doc.example/f")
	f.Add("https://t.example/s?a=%zz&b=++&c=page%20page", "page page", "page page", "", "page+page")
	f.Fuzz(func(t *testing.T, rawURL, page, referer, agent, doc string) {
		a := NewAnalyzer()
		a.recordDocument(&traffic.Request{URL: doc, ResourceType: "document"})
		r := &traffic.Request{URL: rawURL, Headers: traffic.Headers{{Name: "Referer", Value: referer},
			{Name: "User-Agent", Value: agent}}}
		oldDocs, newDocs := a.oldEmbeddedDocs(rawURL), a.embeddedDocs(rawURL)
		if !slices.Equal(oldDocs, newDocs) {
			t.Fatalf("embeddedDocs(%q) = %q, want %q", rawURL, newDocs, oldDocs)
		}
		want := oldSyncText(r, page, oldDocs)
		for range 2 { // the memo's miss, then its hit
			if got := syncText(r, a.removeMemo.get(page, referer, agent), newDocs); got != want {
				t.Fatalf("syncText(%q) = %q, want %q", rawURL, got, want)
			}
		}
	})
}

// FuzzBeaconNamesEquivalence: the names a beacon is listed under are the
// first 20 parameter names parseQuery gives.
func FuzzBeaconNamesEquivalence(f *testing.F) {
	f.Add("a=1&&b%20c=2&=3&d&e+f=%zz")
	f.Add("x=1&x=2&y")
	f.Fuzz(func(t *testing.T, query string) {
		u := &url.URL{RawQuery: query}
		if got, want := appendBeaconNames(nil, query), oldBeaconNames(u); !slices.Equal(got, want) {
			t.Fatalf("appendBeaconNames(%q) = %q, want %q", query, got, want)
		}
	})
}

// FuzzIdentifierRulesEquivalence: the identifier rules (entropy, the
// cookie-value test, tokens, sync candidates, strong tokens against a
// table of host labels) answer as before, entropy to the bit.
func FuzzIdentifierRulesEquivalence(f *testing.F) {
	for _, s := range []string{"GA1.2.1234567890.1700000000", "UNDEFINED", "undefined", "abc-def-ghi", "aaaaaaaaaaaaaaaaaaaaaaaaa",
		"v_id:017c4f5e9a3b$_sn:1$db_iey9i2bw:true", "90b1c2d4-11e7-90b1-0242-ac130003ffff", "Server01-Xk9qP2mZ7w",
		"falſe-yeſ-KELVIN", "2021-10-19T23:17:05.123Z", "expressen.se/P2JCJGE4TBWH"} {
		f.Add(s, "expressen")
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, v, label string) {
		if got, want := shannon(v), oldShannon(v); math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("shannon(%q) = %v, want %v", v, got, want)
		}
		if got, want := identifierLike(v), oldIdentifierLike(v); got != want {
			t.Fatalf("identifierLike(%q) = %v, want %v", v, got, want)
		}
		if got, want := tokens(v), oldTokens(v); !slices.Equal(got, want) {
			t.Fatalf("tokens(%q) = %v, want %v", v, got, want)
		}
		if got, want := syncCandidates(v), oldSyncCandidates(v); !slices.Equal(got, want) {
			t.Fatalf("syncCandidates(%q) = %q, want %q", v, got, want)
		}
		if got, want := qualifies(v), oldQualifies(v); got != want {
			t.Fatalf("qualifies(%q) = %v, want %v", v, got, want)
		}
		known := newStrTable(&byteBudget{})
		for _, tok := range tokens(label) {
			known.add(strings.ToLower(label[tok.start:tok.end]))
		}
		known.add(strings.ToLower(label))
		for _, k := range []*strTable{nil, known} {
			if got, want := k.hasLower(v), k.has(strings.ToLower(v)); got != want {
				t.Fatalf("hasLower(%q) = %v, want %v", v, got, want)
			}
			if got, want := hasStrongToken(v, k), oldHasStrongToken(v, k); got != want {
				t.Fatalf("hasStrongToken(%q, %q) = %v, want %v", v, label, got, want)
			}
			toks := tokens(v)
			group := uuidGroups(v, toks)
			for i := range toks {
				for j := i; j < len(toks) && j < i+maxRunTokens; j++ {
					if got, want := weakEdge(v, toks, group, i, j, k), oldWeakEdge(v, toks, group, i, j, k); got != want {
						t.Fatalf("weakEdge(%q, %d, %d) = %v, want %v", v, i, j, got, want)
					}
				}
			}
		}
	})
}

// FuzzMatchAllFilterEquivalence: the token filter only skips lookups that
// would miss: matchAll finds the same with and without it.
func FuzzMatchAllFilterEquivalence(f *testing.F) {
	f.Add("GA1.2.1234567890.1700000000", "Xk9qP2mZ7wLr-90b1c2d4-11e7-90b1-0242-ac130003ffff", "https://t.example/p?cid=1234567890.1700000000&u=Xk9qP2mZ7wLr")
	f.Add("v_id:017c4f5e9a3b7e2$_sn:1", "abc", "/s?v=017c4f5e9a3b7e2&x=90b1c2d4-11e7-90b1-0242-ac130003ffff")
	f.Fuzz(func(t *testing.T, v1, v2, text string) {
		text += "&" + v1 + "=" + v2 + "." + text // the values themselves are in the text
		a := NewAnalyzer()
		p := testParty("https://a.example/", "https://b.example/")
		a.addIdentifier("c1", v1, p, 0, true)
		a.addIdentifier("c2", v2, p, 1, true)
		filter := newTokenFilter(a.cands)
		for _, all := range []bool{true, false} {
			got, want := a.matchAll(text, all, filter), a.matchAll(text, all, nil)
			if !slices.Equal(got, want) {
				t.Fatalf("matchAll(%q, %v) = %v, want %v", text, all, got, want)
			}
		}
	})
}

// FuzzHostEquivalence: host's fast path gives what the three passes gave.
func FuzzHostEquivalence(f *testing.F) {
	for _, h := range []string{"www.Example.com", "example.com.", "[::1]:8080", "a.b:443", "ÄÖ.example", "x.y.", ".", ":"} {
		f.Add(h)
	}
	f.Fuzz(func(t *testing.T, h string) {
		u := &url.URL{Host: h}
		if got, want := host(u), oldHost(u); got != want {
			t.Fatalf("host(%q) = %q, want %q", h, got, want)
		}
	})
}

// FuzzLooksJSONBytes: looksJSONBytes is looksJSON of the body as a string.
func FuzzLooksJSONBytes(f *testing.F) {
	for _, s := range []string{" {}\n", "[1]", "\u00a0{\"a\":1}\u2000", "{", "\x85[]\x85", "\xff{}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := looksJSONBytes(b), looksJSON(string(b)); got != want {
			t.Fatalf("looksJSONBytes(%q) = %v, want %v", b, got, want)
		}
	})
}
