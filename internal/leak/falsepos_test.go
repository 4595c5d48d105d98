package leak

import (
	"testing"
)

// shorty has values short enough to occur by chance.
var shorty = Persona{FirstName: "Ann", City: "Napa", State: "CA", Zip: "94577", Country: "US", LastName: "Lee"}

var shortyPool, _ = NewPool([]Persona{shorty})

// TestShortValuesNeedWholeTokens proves both directions for short values:
// found as a whole field or token, silent inside longer tokens.
func TestShortValuesNeedWholeTokens(t *testing.T) {
	t.Parallel()
	cases := []struct {
		url   string
		field string // "" means nothing may match
		loc   string
	}{
		{"https://t.example/p?id=1945770", "", ""},
		{"https://t.example/p?zip=94577", "zip", "zip"},
		{"https://t.example/p?ts=1694577000123", "", ""},
		{"https://t.example/p?x=CART", "", ""},
		{"https://t.example/p?st=CA", "state", "st"},
		{"https://t.example/p?st=ca", "state", "st"},
		{"https://t.example/p?lang=en-CA", "", ""},
		{"https://t.example/ca/shop?p=/ca/item", "", ""},
		{"https://t.example/p?h=shop.ca", "", ""},
		{"https://t.example/p?h=www.ca.gov", "", ""},
		{"https://t.example/p?q=Annabel", "", ""},
		{"https://t.example/p?q=Anna", "", ""},
		{"https://t.example/p?q=Ann%C3%A9e", "", ""},
		{"https://t.example/p?q=%C3%A9Ann", "", ""},
		{"https://t.example/p?q=%C3%A9+Ann", "first_name", "q"},
		{"https://t.example/p?name=Ann", "first_name", "name"},
		{"https://t.example/p?title=Welcome%20back%2C%20Ann!", "first_name", "title"},
		{"https://t.example/p?t=Napaville", "", ""},
		{"https://t.example/p?c=Napa", "city", "c"},
		{"https://t.example/p?a=San+Leandro%2C+CA+94577", "state", "a"},
		{"https://t.example/p?a=San+Leandro%2C+CA+94577", "zip", "a"},
		{"https://t.example/p?b=usb&c=bus&d=US-East", "", ""},
		{"https://t.example/p?v=sleep&w=fleet&x=Leeds", "", ""},
		{"https://t.example/p?d=" + b64url([]byte("id=1945770&c=CART")), "", ""},
		{"https://t.example/p?sid=a94577b", "", ""},
	}
	for _, c := range cases {
		t.Run(c.url, func(t *testing.T) {
			t.Parallel()
			res := shortyPool.Scan(get(c.url), ScanOptions{})
			if c.field == "" {
				if len(res.Matches) > 0 {
					t.Fatalf("false positive:%s", describe(res))
				}
				return
			}
			if _, ok := findMatch(res, c.field, ChannelQuery, c.loc); !ok {
				t.Fatalf("no %s at %s:%s", c.field, c.loc, describe(res))
			}
		})
	}
}

// TestHashedShortValues: short values are still found when hashed.
func TestHashedShortValues(t *testing.T) {
	t.Parallel()
	res := shortyPool.Scan(get("https://www.facebook.com/tr/?ud[st]="+hexSHA("ca")+"&ud[country]="+hexSHA("us")+"&ud[fn]="+hexSHA("ann")), ScanOptions{})
	for _, f := range []struct{ field, loc string }{{"state", "ud[st]"}, {"country", "ud[country]"}, {"first_name", "ud[fn]"}} {
		if _, ok := findMatch(res, f.field, ChannelQuery, f.loc); !ok {
			t.Errorf("hashed %s not found:%s", f.field, describe(res))
		}
	}
}

// TestDedupeKeepsSimplestChain: the same value twice in one place is one
// finding, with the fewest transforms.
func TestDedupeKeepsSimplestChain(t *testing.T) {
	t.Parallel()
	body := `{"u":"` + b64url([]byte("alice.smith@example.com")) + ` alice.smith@example.com"}`
	res := alicePool.Scan(post("application/json", []byte(body)), ScanOptions{})
	n := 0
	for _, m := range res.Matches {
		if m.Field == "email" {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("want one email finding, got %d:%s", n, describe(res))
	}
	expectMatch(t, res, "email", ChannelBody, "u", []string{"lowercase"})
}

// TestDeterministicOrder: the same request gives the same result.
func TestDeterministicOrder(t *testing.T) {
	t.Parallel()
	r := benchRequests()[0]
	a := describe(alicePool.Scan(r, ScanOptions{Patterns: true}))
	for i := 0; i < 5; i++ {
		if b := describe(alicePool.Scan(r, ScanOptions{Patterns: true})); a != b {
			t.Fatalf("order changed:\n%s\n---\n%s", a, b)
		}
	}
}

// TestConcurrentScan: one pool, many goroutines (run with -race).
func TestConcurrentScan(t *testing.T) {
	t.Parallel()
	reqs := benchRequests()
	want := make([]string, len(reqs))
	for i, r := range reqs {
		want[i] = describe(alicePool.Scan(r, ScanOptions{Patterns: true}))
	}
	done := make(chan string, 4)
	for g := 0; g < 4; g++ {
		go func() {
			for i, r := range reqs {
				if got := describe(alicePool.Scan(r, ScanOptions{Patterns: true})); got != want[i] {
					done <- "request " + r.URL + " differs"
					return
				}
			}
			done <- ""
		}()
	}
	for g := 0; g < 4; g++ {
		if msg := <-done; msg != "" {
			t.Error(msg)
		}
	}
}

// TestBenchRequestsFindings pins what the realistic visit leaks, so the
// benchmark measures a scan that finds things.
func TestBenchRequestsFindings(t *testing.T) {
	t.Parallel()
	found := map[string]bool{}
	for _, r := range benchRequests() {
		for _, m := range alicePool.Scan(r, ScanOptions{}).Matches {
			found[m.Field+" "+m.Channel+" "+m.Location] = true
		}
	}
	for _, k := range []string{
		"email query ud[em]", "city query ud[ct]", "zip query ud[zp]", "email body udff[em]",
		"email query em", "street body domAttributes.innerText",
		"email body context.user.sha256_email", "email body u_hem", "tracking_numbers query dl > tLabels",
		"tracking_numbers header Referer > tLabels", "city websocket sent > data.v",
	} {
		if !found[k] {
			t.Errorf("missing %q", k)
		}
	}
}
