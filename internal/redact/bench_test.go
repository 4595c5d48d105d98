package redact

import (
	"bytes"
	"context"
	"testing"

	"github.com/leakwatch/leakwatch/internal/har"
	"github.com/leakwatch/leakwatch/internal/har/hargen"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// denseCapture is 2,000 requests of tracker-dense traffic (issue 10's
// shape: random identifiers, big cookies, JSON and form bodies).
func denseCapture(b *testing.B) *traffic.Capture {
	b.Helper()
	var buf bytes.Buffer
	if _, err := hargen.TrackerDense(&buf, hargen.DenseOptions{Requests: 2000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	var c traffic.Collector
	if err := har.Stream(context.Background(), bytes.NewReader(buf.Bytes()), har.Options{Name: "dense", MaxResponseBody: -1}, &c); err != nil {
		b.Fatal(err)
	}
	return &c.Capture
}

// discard is a Visitor that drops what it is given.
type discard struct{}

func (discard) Page(*traffic.Page) error       { return nil }
func (discard) Request(*traffic.Request) error { return nil }
func (discard) End(*traffic.Capture) error     { return nil }

// BenchmarkLearnDense: learning a tracker-dense capture's secrets (the
// Tee's learner, here in line).
func BenchmarkLearnDense(b *testing.B) {
	c := denseCapture(b)
	b.ResetTimer()
	for range b.N {
		c.Visit(NewRedactor(Options{}).Learner())
	}
}

// BenchmarkRedactDense: learning, then redacting every request.
func BenchmarkRedactDense(b *testing.B) {
	c := denseCapture(b)
	b.ResetTimer()
	for range b.N {
		x := NewRedactor(Options{})
		c.Visit(x.Learner())
		c.Visit(x.Filter(discard{}))
	}
}
