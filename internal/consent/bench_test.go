package consent

import (
	"bytes"
	"context"
	"testing"

	"github.com/leakwatch/leakwatch/internal/har"
	"github.com/leakwatch/leakwatch/internal/har/hargen"
	"github.com/leakwatch/leakwatch/internal/pixel"
	"github.com/leakwatch/leakwatch/internal/sharedtest"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

func BenchmarkParseTC(b *testing.B) {
	for b.Loop() {
		if _, err := ParseTC(sirdataFull); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseGPP(b *testing.B) {
	const s = "DBABrGA~DSJgmkoZJSA.YA~BlgWEYCY.QA~BSFgmiU~bSFgmJQ.YA~BWJYJllA~bSFgmSZQ.YA"
	for b.Loop() {
		if _, err := ParseGPP(s); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCapture observes and detects over the largest real capture
// with consent strings (everydayhealth, 800+ requests).
func BenchmarkCapture(b *testing.B) {
	c, err := har.ReadFile(context.Background(), sharedtest.Path(b, "realworld", "chrome-har-everydayhealth.har.gz"), har.Options{})
	if err != nil {
		b.Fatal(err)
	}
	reqs := Requests(c)
	for b.Loop() {
		DetectSignals(reqs, ObserveAll(reqs))
	}
	b.ReportMetric(float64(len(reqs)), "requests")
}

// denseCapture reads a tracker-dense capture of n requests (hargen), the
// traffic issue 10 times: every request with many random parameters and
// cookies, a quarter with large bodies.
func denseCapture(tb testing.TB, n int, seed int64) *traffic.Capture {
	tb.Helper()
	var buf bytes.Buffer
	if _, err := hargen.TrackerDense(&buf, hargen.DenseOptions{Requests: n, Seed: seed}); err != nil {
		tb.Fatal(err)
	}
	c, err := har.Read(context.Background(), &buf, har.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// BenchmarkCollectorDense feeds a Collector a tracker-dense capture as
// audit does (request by request, with pixel's hits decoded beforehand);
// BenchmarkCollectorDense/oracle feeds the former code the same, for the
// ratio. cpu-us/request is the process's CPU time (GC included).
func BenchmarkCollectorDense(b *testing.B) {
	c := denseCapture(b, 2000, 1)
	hits := make([][]pixel.Hit, len(c.Requests))
	for i, r := range c.Requests {
		hits[i] = pixel.Decode(r)
	}
	for _, tc := range []struct {
		name string
		add  func() func(*traffic.Request, []pixel.Hit) []Signal
	}{
		{"new", func() func(*traffic.Request, []pixel.Hit) []Signal { return NewCollector().Add }},
		{"oracle", func() func(*traffic.Request, []pixel.Hit) []Signal { return newOldCollector().Add }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			c0 := sharedtest.CPUTime()
			for b.Loop() {
				add := tc.add()
				for i, r := range c.Requests {
					add(r, hits[i])
				}
			}
			b.ReportMetric(float64((sharedtest.CPUTime()-c0).Microseconds())/float64(b.N*len(c.Requests)), "cpu-us/request")
		})
	}
}
