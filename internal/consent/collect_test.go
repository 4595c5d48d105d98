package consent

import (
	"fmt"
	"testing"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// TestCollectorBounded: a repeated signal is kept once with its count;
// distinct signals past the cap are counted, not kept.
func TestCollectorBounded(t *testing.T) {
	t.Parallel()
	c := NewCollector()
	for i := range 5 {
		c.Add(&traffic.Request{Index: i, URL: "https://ads.example/p?us_privacy=1YNN", Method: "GET"}, nil)
	}
	for i := range maxDistinctSignals + 300 {
		c.Add(&traffic.Request{Index: 10 + i, URL: fmt.Sprintf("https://h%d.example/p?us_privacy=1YNN", i), Method: "GET"}, nil)
	}
	sigs, dropped := c.Signals()
	if len(sigs) != maxDistinctSignals || dropped != 301 {
		t.Fatalf("%d signals kept, %d dropped; want %d and 301", len(sigs), dropped, maxDistinctSignals)
	}
	if sigs[0].Requests != 5 || sigs[0].Request != 0 || sigs[0].Host != "ads.example" {
		t.Errorf("first signal %+v, want 5 requests from request 0 to ads.example", sigs[0])
	}
	if p := c.Platforms(); len(p) != 1 || p[0].Name != "IAB US Privacy (CCPA)" {
		t.Errorf("platforms %+v", p)
	}
}
