package audit

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"slices"
	"testing"

	"github.com/leakwatch/leakwatch/internal/leak"
	"github.com/leakwatch/leakwatch/internal/party"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// Google's enhanced-conversions value is parsed in pixel and split for the
// leak search through audit's splitters: each finding names its slot, and
// the slot's name decides what a digest may be (a hashed phone counts in
// "pn", not in "em").
func TestGoogleEnhancedConversionSlots(t *testing.T) {
	t.Parallel()
	b64 := func(s string) string {
		d := sha256.Sum256([]byte(s))
		return base64.RawURLEncoding.EncodeToString(d[:])
	}
	persona := leak.Persona{Email: "Alice.Smith@Example.com", Phone: "+1 (415) 555-0134", Zip: "62704", Country: "US"}
	cases := []struct {
		name, em, absent, field, loc string
		enc                          []string
	}{
		{"email", "tv.1~em." + b64("alice.smith@example.com") + "~co0.us", "tv.1~em." + b64("bob.jones@example.org") + "~co0.de",
			"email", "em > tv.1~em", []string{"base64url", "sha256", "lowercase"}},
		{"country in clear", "tv.1~em." + b64("x@y.com") + "~co0.us", "tv.1~em." + b64("x@y.com") + "~co0.de",
			"country", "em > tv.1~co0", []string{"lowercase"}},
		{"e164 phone", "tv.1~pn." + b64("+14155550134"), "tv.1~pn." + b64("+14155550199"),
			"phone", "em > tv.1~pn", []string{"base64url", "sha256", "e164"}},
		{"postal code", "tv.1~em." + b64("x@y.com") + "~fn0.~pc0.62704", "tv.1~em." + b64("x@y.com") + "~fn0.~pc0.10001",
			"zip", "em > tv.1~pc0", nil},
	}
	pool, _ := leak.NewPool([]leak.Persona{persona})
	cl := classifier(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			found, all := tvFindings(t, cl, pool, c.em), tvFindings(t, cl, pool, c.absent)
			enc, ok := found[c.field+" "+c.loc]
			if !ok || !slices.Equal(enc, c.enc) && len(enc)+len(c.enc) > 0 {
				t.Errorf("%s at %q: got %v (all: %v), want encoding %v", c.field, c.loc, enc, found, c.enc)
			}
			if _, ok := all[c.field+" "+c.loc]; ok {
				t.Errorf("absent value found: %v", all)
			}
		})
	}
}

// tvFindings audits one Google Ads hit carrying em and returns its leaks as
// "field location" → encoding.
func tvFindings(t *testing.T, cl *party.Classifier, pool *leak.Pool, em string) map[string][]string {
	t.Helper()
	capture := &traffic.Capture{Source: "tv.har", Requests: []*traffic.Request{
		{Index: 0, URL: "https://www.shop.example/", Method: "GET", ResourceType: "document"},
		{Index: 1, URL: "https://www.google.com/ccm/collect?em=" + url.QueryEscape(em), Method: "GET", ResourceType: "image"},
	}}
	rep, err := Run(context.Background(), Options{Classifier: cl, Pool: pool}, capture)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, f := range rep.Findings {
		if f.Type == TypeLeak {
			out[f.Field+" "+f.Location] = f.Encoding
		}
	}
	return out
}
