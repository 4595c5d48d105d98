package consent

import (
	"context"
	"testing"

	"github.com/leakwatch/leakwatch/internal/har"
	"github.com/leakwatch/leakwatch/internal/sharedtest"
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
