package consent

import (
	"reflect"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/codec"
	"github.com/leakwatch/leakwatch/internal/pixel"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// TestNameIndexes checks what the indexes of channel names, cookie rules
// and anchors rely on: names in lower-case ASCII, short enough for a
// nameIndex, channel names made of name bytes and each holding an anchor
// (bodyNames finds them as whole runs), anchors starting with two letters.
func TestNameIndexes(t *testing.T) {
	t.Parallel()
	for _, c := range channels {
		for _, n := range c.names {
			if n == "" || len(n) >= maxIndexedName || strings.ToLower(n) != n || !isASCII(n) {
				t.Errorf("channel name %q: not short lower-case ASCII", n)
			}
			for i := 0; i < len(n); i++ {
				if !nameByte(n[i]) {
					t.Errorf("channel name %q: %q is not a name byte", n, n[i])
				}
			}
			if !hasAnchor(n) || !oldHasAnchor(n) {
				t.Errorf("channel name %q holds no anchor", n)
			}
		}
	}
	for _, p := range platformRules {
		for _, c := range p.Cookies {
			if n := strings.TrimSuffix(c.Name, "*"); n == "" || len(n) >= maxIndexedName || !isASCII(n) || strings.Contains(n, "*") {
				t.Errorf("%s cookie rule %q: not a short ASCII name", p.Name, c.Name)
			}
		}
	}
	for _, a := range anchors {
		if len(a) < 2 || a[0] < 'a' || a[0] > 'z' || a[1] < 'a' || a[1] > 'z' {
			t.Errorf("anchor %q does not start with two lower-case letters", a)
		}
	}
}

// FuzzChannelFor checks the indexed channelFor against the walk of the
// table, in every set of places.
func FuzzChannelFor(f *testing.F) {
	for _, s := range []string{"gdpr_consent", "GDPR_Consent", "uſ_privacy", "__gpp", "euconsent-v2", "gpp", "gdpr5", "", "Ｇdpr"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		for at := place(1); at < 16; at++ {
			c, ok := channelFor(name, at)
			oc, ook := oldChannelFor(name, at)
			if ok != ook || !reflect.DeepEqual(c, oc) {
				t.Fatalf("channelFor(%q, %d) = %v %v, walk %v %v", name, at, c, ok, oc, ook)
			}
		}
	})
}

// FuzzAnchors checks the body, URL and Cookie header scans against the
// former ones.
func FuzzAnchors(f *testing.F) {
	for _, s := range []string{`{"gdpr_consent":"x"}`, "a=1&consent=2", "utm_source=consent&x", "GdPr", "g", "__gpp_sid=2; a=b",
		"x=1; uſ_privacy=1", `"tcString"`, "ccp", "dma=1", "us%5fprivacy=1", `{"gdpr\u005Fconsent":1}`, "%5", `\u00`, strings.Repeat("a", 50) + "gdpr" + strings.Repeat("_", 50)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := bodyMayCarry(s), oldBodyMayCarry(s); got != want {
			t.Fatalf("bodyMayCarry(%q) = %v, was %v", s, got, want)
		}
		if esc := bodyEscapesName(s); esc && !bodyMayCarry(codec.QueryUnescape(s)) && !bodyMayCarry(unescapeJSONNameBytes(s)) ||
			esc && !strings.ContainsAny(s, "%\\") {
			t.Fatalf("bodyEscapesName(%q) with no channel name under its escapes", s)
		}
		if got, want := hasAnchor(s), oldHasAnchor(s); got != want {
			t.Fatalf("hasAnchor(%q) = %v, was %v", s, got, want)
		}
		if got, want := namesHaveAnchor(s), oldNamesHaveAnchor(s, ";"); got != want {
			t.Fatalf("namesHaveAnchor(%q) = %v, was %v", s, got, want)
		}
	})
}

// FuzzPairScanner checks that the scanner finds the parts appendPairs
// split, in the same order, up to the same cap.
func FuzzPairScanner(f *testing.F) {
	for _, s := range []string{"a=1&b=2;c=3", "=x&&a&b=&%41=%42", ";gdpr=1/x=y", "a=b=c&+=1", "\xff=\xc3&x=1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, seps := range []string{"&;", ";/", "&"} {
			var got []pair
			p := pairScanner{s: s, seps: seps}
			for name, value, ok := p.next(); ok; name, value, ok = p.next() {
				got = append(got, pair{codec.QueryUnescape(name), codec.QueryUnescape(value), "q", inQuery})
			}
			if want := oldAppendPairs(nil, s, seps, "q", inQuery); !reflect.DeepEqual(got, want) {
				t.Fatalf("%q split at %q:\n got %q\nwant %q", s, seps, got, want)
			}
		}
	})
}

// FuzzCookieMatches checks the indexed cookie rules against the walk of
// the table, for a Cookie header and a cookie recorded apart.
func FuzzCookieMatches(f *testing.F) {
	f.Add("CookieConsent={stamp:%27x%27}; _sp_v1_a=1", "cmplz_stats", "allow")
	f.Add("COOKIECONSENTBULKSETTING-1=1;euconsent-v2=x; a", "CooKieConsent", "stamp:1")
	f.Add("a=b; a=b", "a", "b")
	f.Fuzz(func(t *testing.T, header, name, value string) {
		h := traffic.Headers{{Name: "Cookie", Value: header}}
		cookies := []traffic.Cookie{{Name: name, Value: value}}
		got := cookieMatchesOf(h, cookies)
		if want := oldCookieMatchesOf(Request{Headers: h, Cookies: cookies}); !reflect.DeepEqual(got, want) {
			t.Fatalf("got %v, want %v", got, want)
		}
	})
}

// FuzzObserveSameAsOracle checks Observe and the Collector against the
// former code on any URL, Cookie header, recorded cookie and body.
func FuzzObserveSameAsOracle(f *testing.F) {
	f.Add("https://ib.adnxs.com/getuid?gdpr=1&gdpr_consent="+gppSpecTC, "euconsent-v2="+gppSpecTC, "gdpr_consent", "x",
		`{"regs":{"gpp":"DBABMA~`+gppSpecTC+`","gpp_sid":[2]}}`, "application/json")
	f.Add("https://x.example/p?utm_source=consent", "usprivacy=1YNN", "CookieConsent", "stamp:1",
		`{"gdpr\u005fconsent":"`+gppSpecTC+`","u":"utm_source=consent"}`, "")
	f.Add("https://ad.doubleclick.net/activity;gdpr=1;gcs=G100;npa=1", "", "", "", "us_privacy=1YNN&consent=x", "text/plain")
	f.Add("https://x.example/c", "", "", "", `{"us\u005fprivacy":"1YYN"}`, "application/json")
	f.Add("https://x.example/c", "", "", "", "a=1&us%5Fprivacy=1YNN&x%3Dconsent=2", "application/x-www-form-urlencoded")
	f.Add("https://www.google.com/pagead/landing?gcd=13l3l3l3l1l1&u%C5%BF_privacy=1YNN", "uſ_privacy=1YNN", "a", "b",
		`{"uſ_privacy":"1YNN","consent":"`+gppSpecTC+`"}`, "text/plain")
	f.Fuzz(func(t *testing.T, u, cookie, name, value, body, mime string) {
		r := &traffic.Request{Index: 3, URL: u, Method: "POST", Body: []byte(body), BodyMIME: mime,
			Headers: traffic.Headers{{Name: "Cookie", Value: cookie}}, Cookies: []traffic.Cookie{{Name: name, Value: value}}}
		hits := pixel.Decode(r)
		col, old := NewCollector(), newOldCollector()
		if got, want := col.Add(r, hits), old.Add(r, hits); !reflect.DeepEqual(got, want) {
			t.Fatalf("Add:\n got %+v\nwant %+v", got, want)
		}
		if got, want := col.Platforms(), old.det.platforms(); !reflect.DeepEqual(got, want) {
			t.Fatalf("platforms:\n got %+v\nwant %+v", got, want)
		}
		req := FromTraffic(r)
		if got, want := ObserveWithHits(req, hits), oldObserve(req, hits, memo{}); !reflect.DeepEqual(got, want) {
			t.Fatalf("Observe:\n got %+v\nwant %+v", got, want)
		}
	})
}
