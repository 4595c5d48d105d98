package pixel

import (
	"bytes"
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/har"
	"github.com/leakwatch/leakwatch/internal/har/hargen"
	"github.com/leakwatch/leakwatch/internal/party"
	"github.com/leakwatch/leakwatch/internal/sharedtest"
)

// largestHAR is the largest shared capture (about 600 requests).
const largestHAR = "pagexray-expressen.har"

func BenchmarkDecodeHAR(b *testing.B) {
	reqs := loadHAR(b, largestHAR)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, r := range reqs {
			_ = Decode(r)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(reqs)), "ns/request")
}

func BenchmarkAnalyzerHAR(b *testing.B) {
	reqs := loadHAR(b, largestHAR)
	page := harPageURL(b, largestHAR)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a := NewAnalyzer()
		for _, r := range reqs {
			a.Request(r, testParty(page, r.URL), page)
		}
		_ = a.Findings()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(reqs)), "ns/request")
}

// BenchmarkAnalyzerDense runs the Analyzer over a hargen tracker-dense
// capture (LEAKWATCH_DENSE_REQUESTS requests, 5,000 by default), parties
// classified beforehand, Finish included: what the audit spends in pixel
// on issue 10's file. It reports CPU seconds per run as well as wall time.
func BenchmarkAnalyzerDense(b *testing.B) {
	n := 5000
	if s := os.Getenv("LEAKWATCH_DENSE_REQUESTS"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	var buf bytes.Buffer
	if _, err := hargen.TrackerDense(&buf, hargen.DenseOptions{Requests: n, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	c, err := har.Read(context.Background(), &buf, har.Options{})
	if err != nil {
		b.Fatal(err)
	}
	page := c.Pages[0].URL
	parties := make([]party.Party, len(c.Requests))
	for i, r := range c.Requests {
		parties[i] = testParty(page, r.URL)
	}
	b.ReportAllocs()
	b.ResetTimer()
	var cpu time.Duration
	for b.Loop() {
		c0 := sharedtest.CPUTime()
		a := NewAnalyzer()
		for i, r := range c.Requests {
			a.Request(r, parties[i], page)
		}
		a.Finish()
		cpu += sharedtest.CPUTime() - c0
	}
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(c.Requests)), "ns/request")
}
