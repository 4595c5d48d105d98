package audit

import (
	"context"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/leak"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// TestScanPanicIsAWarning: a panic inside the leak search of one request
// (forced here) becomes a warning naming
// that request instead of taking down the analysis.
func TestScanPanicIsAWarning(t *testing.T) {
	t.Parallel()
	a, err := New(context.Background(), Options{Workers: 1, Classifier: classifier(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Report()
	a.search = func(context.Context, *traffic.Request, leak.ScanOptions) leak.Result { panic("boom") }
	res := a.scan(context.Background(), scanJob{req: &traffic.Request{URL: "https://t.example/p?x=1"}, ref: reqMeta{index: 7, url: "https://t.example/p?x=1"}})
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "internal error while searching request 7 (https://t.example/p?x=1): boom") {
		t.Fatalf("warnings = %q", res.Warnings)
	}
}

// TestStepPanicIsAWarning: a panic while analysing one entry (forced
// here) becomes a warning, and the entries after it are still analysed.
func TestStepPanicIsAWarning(t *testing.T) {
	t.Parallel()
	a, err := New(context.Background(), Options{Workers: 1, Classifier: classifier(t)})
	if err != nil {
		t.Fatal(err)
	}
	v := a.Source("x.har")
	a.steps <- func() { panic("boom") }
	if err := v.Request(&traffic.Request{Index: 0, URL: "https://www.shop.example/", Method: "GET", ResourceType: "document"}); err != nil {
		t.Fatal(err)
	}
	r := a.Report()
	if r.Summary.Requests != 1 || !strings.Contains(strings.Join(r.Warnings, "\n"), "internal error while analysing an entry: boom") {
		t.Errorf("requests %d, warnings %q", r.Summary.Requests, r.Warnings)
	}
}
