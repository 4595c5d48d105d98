package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"testing"

	"github.com/leakwatch/leakwatch/internal/audit"
	"github.com/leakwatch/leakwatch/internal/har"
	"github.com/leakwatch/leakwatch/internal/leak"
	"github.com/leakwatch/leakwatch/internal/party"
	"github.com/leakwatch/leakwatch/internal/redact"
	"github.com/leakwatch/leakwatch/internal/report"
	"github.com/leakwatch/leakwatch/internal/sharedtest"
)

// FuzzPipeline feeds arbitrary bytes through everything `analyze` does with
// a file — stream the HAR, audit it with a persona, mask and redact, render
// every format — and requires no panic, whatever the input.
func FuzzPipeline(f *testing.F) {
	for _, name := range []string{"pagexray-http2-firefox.har", "pagexray-http1-chrome.har"} {
		data, err := os.ReadFile(sharedtest.Path(f, "har", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		f.Add(data[:len(data)/3])
	}
	f.Add([]byte(`{"log":{"pages":[{"id":"p","title":"https://shop.example/"}],"entries":[{"pageref":"p","startedDateTime":"2026-01-01T00:00:00Z","request":{"method":"POST","url":"https://www.facebook.com/tr/?id=1&ev=PageView&ud[em]=f660ab912ec121d1b1e928a0bb4bc61b15f5ad44d5efdc4e1c92a25e99b8e44a","headers":[{"name":"Cookie","value":"sessionid=abc123secret"}],"postData":{"mimeType":"application/json","text":"{\"email\":\"test@test.com\",\"zip\":\"94577\"}"}},"response":{"status":200,"headers":[],"content":{"mimeType":"text/plain","text":"aGVsbG8=","encoding":"base64"}}}]}}`))
	cl, err := party.NewClassifier(context.Background(), party.Options{})
	if err != nil {
		f.Fatal(err)
	}
	pool, _ := leak.NewPool([]leak.Persona{{Email: "test@test.com", Zip: "94577", Phone: "+1 415 555 0134",
		TrackingNumbers: []string{"9400111899561482037727"}}})
	vals := personaValues([]leak.Persona{{Email: "test@test.com", Zip: "94577"}})
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := context.Background()
		a, err := audit.New(ctx, audit.Options{Classifier: cl, Pool: pool, Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		red := redact.NewRedactor(redact.Options{})
		if err := har.Stream(ctx, bytes.NewReader(data), har.Options{Name: "fuzz.har"}, red.Tee(a.Source("fuzz.har"))); err != nil {
			a.Report()
			return // rejected input is fine; a panic is not
		}
		rep := a.Report()
		maskReport(rep, vals)
		red.Report(rep)
		for _, format := range report.Formats() {
			if err := report.Render(io.Discard, rep, format, report.Options{}); err != nil {
				t.Fatalf("render %s: %v", format, err)
			}
		}
	})
}
