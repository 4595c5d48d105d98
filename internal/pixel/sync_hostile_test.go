package pixel

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/sharedtest"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// TestSyncHostileMemory feeds the analyzer hostile shapes one request at a
// time (as a streaming source does) and checks that the heap it keeps stays
// bounded: 2 million tiny entries, 300,000 distinct third-party hosts, and
// cookies sharing long prefixes. Set LEAKWATCH_SCALING=1 to run it.
func TestSyncHostileMemory(t *testing.T) {
	if testing.Short() || !scalingEnabled() {
		t.Skip("set LEAKWATCH_SCALING=1 to run the hostile-input memory check")
	}
	const page = "https://site.example/"
	prefix := strings.Repeat("checkout_0123456789abcdef", 8)
	shapes := []struct {
		name string
		n    int
		req  func(i int) *traffic.Request
	}{
		{"tiny entries", 2_000_000, func(i int) *traffic.Request {
			return &traffic.Request{Index: i, Method: "GET", URL: "https://t.tracker.example/p?i=" + fmt.Sprint(i%977)}
		}},
		{"distinct hosts", 300_000, func(i int) *traffic.Request {
			return &traffic.Request{Index: i, Method: "GET",
				URL: fmt.Sprintf("https://h%d.tracker%d.example/p?u=Zx8kQ%dmP9vL4tR7w", i, i, i)}
		}},
		{"shared-prefix cookies", 200_000, func(i int) *traffic.Request {
			r := &traffic.Request{Index: i, Method: "GET", URL: fmt.Sprintf("https://x.ads.example/s?v=%sQ%dz", prefix, i)}
			var c []string
			for k := 0; k < 20; k++ {
				c = append(c, fmt.Sprintf("c%d=%sQ%dz%d", k, prefix, i, k))
			}
			r.Headers = traffic.Headers{{Name: "Cookie", Value: strings.Join(c, "; ")}}
			return r
		}},
	}
	for _, s := range shapes {
		a := NewAnalyzer()
		var peak uint64
		var ms runtime.MemStats
		start := sharedtest.CPUTime()
		for i := 0; i < s.n; i++ {
			r := s.req(i)
			a.Request(r, testParty(page, r.URL), page)
			if i%(s.n/8) == 0 {
				runtime.GC()
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}
		}
		fs := a.Findings()
		runtime.GC()
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapInuse)
		t.Logf("%s: %d requests, %v CPU, peak heap in use %d MiB, %d findings, warnings %q",
			s.name, s.n, sharedtest.CPUTime()-start, peak>>20, len(fs), a.Warnings())
		if peak > 300<<20 {
			t.Errorf("%s: peak heap %d MiB, want under 300 MiB", s.name, peak>>20)
		}
		runtime.KeepAlive(a)
	}
}
