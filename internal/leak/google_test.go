package leak

import (
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"testing"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// Google's enhanced-conversions value is searched token by token, and each
// finding names its slot.
func TestGoogleEnhancedConversionTokens(t *testing.T) {
	t.Parallel()
	sum := sha256.Sum256([]byte("dana.whitfield@example.com"))
	em := base64.RawURLEncoding.EncodeToString(sum[:])
	v := "tv.1~em." + em + "~fn0.~ln0.~pc0.62704~co0.US"
	r := &traffic.Request{Method: "GET", URL: "https://googleads.g.doubleclick.net/pagead/viewthroughconversion/1/?em=" + url.QueryEscape(v)}
	pool, _ := NewPool([]Persona{{Email: "dana.whitfield@example.com", Zip: "62704", Country: "US"}})
	got := map[string]string{}
	for _, m := range pool.Scan(r, ScanOptions{}).Matches {
		got[m.Field] = m.Location
	}
	want := map[string]string{"email": "em > tv.1~em", "zip": "em > tv.1~pc0", "country": "em > tv.1~co0"}
	for field, loc := range want {
		if got[field] != loc {
			t.Errorf("%s found at %q, want %q (all: %v)", field, got[field], loc, got)
		}
	}
	pool2, _ := NewPool([]Persona{{Email: "someone@example.org", Zip: "10001"}})
	if ms := pool2.Scan(r, ScanOptions{}).Matches; len(ms) != 0 {
		t.Errorf("values never sent were found: %+v", ms)
	}
}
