package pixel

import "testing"

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
