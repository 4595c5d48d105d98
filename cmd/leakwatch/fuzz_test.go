package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/audit"
	"github.com/leakwatch/leakwatch/internal/har"
	"github.com/leakwatch/leakwatch/internal/har/hargen"
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
	// The adversarial shapes, small enough to fuzz from: amplification,
	// huge strings, floods, deep nesting, decompression bombs, cookies
	// sharing prefixes. The limits below are tight so that every budget
	// path (HAR read limits, decoding budgets, report limits) is reached.
	for _, s := range hargen.Shapes() {
		var buf bytes.Buffer
		if err := hargen.Adversarial(&buf, s.Name, hargen.AdversarialOptions{N: fuzzShapeSize(s), Seed: 1}); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
	}
	run := newFuzzPipeline(f)
	f.Fuzz(func(t *testing.T, data []byte) { run(t, data) })
}

// newFuzzPipeline returns what FuzzPipeline does with one input: stream
// the HAR, audit it with a persona, mask and redact, render every format.
func newFuzzPipeline(f *testing.F) func(t *testing.T, data []byte) {
	cl, err := party.NewClassifier(context.Background(), party.Options{})
	if err != nil {
		f.Fatal(err)
	}
	pool, _ := leak.NewPool([]leak.Persona{{Email: "test@test.com", Zip: "94577", Phone: "+1 415 555 0134",
		TrackingNumbers: []string{"9400111899561482037727"}}})
	vals := personaValues([]leak.Persona{{Email: "test@test.com", Zip: "94577"}})
	return func(t *testing.T, data []byte) {
		ctx := context.Background()
		a, err := audit.New(ctx, audit.Options{Classifier: cl, Pool: pool, Workers: 1,
			Limits:  audit.Limits{MaxFindings: 50, MaxPixelHits: 20, MaxEvidenceBytes: 64 << 10},
			Budgets: leak.Budgets{MaxDecodedBytes: 1 << 20, MaxExpansion: 20, MaxFindings: 20}})
		if err != nil {
			t.Fatal(err)
		}
		red := redact.NewRedactor(redact.Options{})
		hopts := har.Options{Name: "fuzz.har", MaxString: 256 << 10, MaxEntry: 1 << 20, MaxItems: 500, MaxDepth: 64}
		if err := har.Stream(ctx, bytes.NewReader(data), hopts, red.Tee(a.Source("fuzz.har"))); err != nil {
			noInternalError(t, a.Report())
			return // rejected input is fine; a panic is not
		}
		rep := a.Report()
		noInternalError(t, rep)
		redact.MaskReport(rep, vals)
		red.Report(rep)
		for _, format := range report.Formats() {
			if err := report.Render(io.Discard, rep, format, report.Options{}); err != nil {
				t.Fatalf("render %s: %v", format, err)
			}
		}
	}
}

// noInternalError fails on a warning of a panic the audit recovered (it
// analyses the other entries and says so): a bug all the same.
func noInternalError(t *testing.T, rep *audit.Report) {
	t.Helper()
	for _, w := range rep.Warnings {
		if strings.Contains(w, "internal error") {
			t.Fatal(w)
		}
	}
}

// FuzzPipelineFields is FuzzPipeline on well-formed HARs whose fields are
// fuzzed: a page document; a frame, an image and an XHR to a fuzzed URL
// with a fuzzed Cookie header, body and response; and a WebSocket sending
// the body and receiving the response. Inputs so reach past the HAR reader
// into every analysis (cookie sync, pixels, consent, leak decoding,
// redaction) instead of stopping at a syntax error.
func FuzzPipelineFields(f *testing.F) {
	f.Add("https://www.shop.test/account?u=1", "https://www.facebook.com/tr/?id=1&ev=PageView&ud[em]=test%40test.com",
		"_fbp=fb.1.1700000000000.123456789; sessionid=abc123secret", `{"email":"test@test.com","us_privacy":"1YNN"}`,
		"aGVsbG8=", "application/json")
	f.Add("https://www.shop.test/", "https://t.test/p?u=000%%%%%&d=https%3A%2F%2Fwww.shop.test%2F", "a=1", "x=1&gdpr%5Fconsent=CO",
		"", "application/x-www-form-urlencoded")
	f.Add("https://www.shop.test/", "https://sync.test/s?uid=fb.1.1700000000000.123456789&gdpr=1&gdpr_consent=CPz",
		"__gpp=DBABMA~CPz; uid=ZGF0YQ", "N4IgLgTg", "eyJhIjoiYiJ9", "text/plain")
	run := newFuzzPipeline(f)
	f.Fuzz(func(t *testing.T, page, reqURL, cookie, body, respBody, mime string) {
		entry := func(u, typ string) map[string]any {
			return map[string]any{"pageref": "p", "startedDateTime": "2026-01-01T00:00:00Z", "_resourceType": typ,
				"request": map[string]any{"method": "POST", "url": u, "headers": []map[string]string{
					{"name": "Cookie", "value": cookie}, {"name": "Referer", "value": page}},
					"postData": map[string]string{"mimeType": mime, "text": body}},
				"response": map[string]any{"status": 200, "headers": []map[string]string{{"name": "Set-Cookie", "value": cookie}},
					"content": map[string]string{"mimeType": mime, "text": respBody}}}
		}
		ws := entry(strings.Replace(reqURL, "http", "ws", 1), "websocket")
		ws["_webSocketMessages"] = []map[string]any{{"type": "send", "time": 1, "opcode": 1, "data": body},
			{"type": "receive", "time": 2, "opcode": 2, "data": respBody}}
		har := map[string]any{"log": map[string]any{"pages": []map[string]string{{"id": "p", "title": page}},
			"entries": []any{entry(page, "document"), entry(reqURL, "subdocument"), entry(reqURL, "image"),
				entry(reqURL+"&again=1", "xhr"), ws}}}
		data, err := json.Marshal(har)
		if err != nil {
			return
		}
		start := time.Now()
		run(t, data)
		// A few kilobytes must not take long, whatever they hold.
		if d := time.Since(start); d > 5*time.Second && len(data) < 64<<10 {
			t.Fatalf("%d bytes took %s", len(data), d)
		}
	})
}

// fuzzShapeSize is an adversarial shape's size for a fuzz seed: a few
// kilobytes of each, whatever its unit.
func fuzzShapeSize(s hargen.Shape) int64 {
	switch s.Unit {
	case "bytes", "expanded bytes":
		return 64 << 10
	case "levels":
		return 2000
	case "parameters":
		return 200
	}
	return 50
}
