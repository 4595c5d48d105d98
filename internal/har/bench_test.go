package har_test

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/leakwatch/leakwatch/internal/har"
	"github.com/leakwatch/leakwatch/internal/har/hargen"
	"github.com/leakwatch/leakwatch/internal/sharedtest"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// largestShared is the largest HAR in the shared test data.
func largestShared(tb testing.TB) string {
	return sharedtest.Path(tb, "har", "pagexray-expressen.har")
}

// noop is a Visitor that drops everything, so benchmarks measure reading.
type noop struct{ requests int }

func (*noop) Page(*traffic.Page) error         { return nil }
func (n *noop) Request(*traffic.Request) error { n.requests++; return nil }
func (*noop) End(*traffic.Capture) error       { return nil }

func benchStream(b *testing.B, raw []byte, wantRequests int) {
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		var v noop
		if err := har.Stream(context.Background(), bytes.NewReader(raw), har.Options{}, &v); err != nil {
			b.Fatal(err)
		}
		if wantRequests > 0 && v.requests != wantRequests {
			b.Fatalf("%d requests, want %d", v.requests, wantRequests)
		}
	}
}

// BenchmarkRead reads the largest shared HAR and a ~50 MB generated one.
func BenchmarkRead(b *testing.B) {
	b.Run("shared-expressen-2.3MB", func(b *testing.B) {
		raw, err := os.ReadFile(largestShared(b))
		if err != nil {
			b.Fatal(err)
		}
		benchStream(b, raw, 607)
	})
	b.Run("generated-50MB", func(b *testing.B) {
		var buf bytes.Buffer
		if err := hargen.Generate(&buf, hargen.Options{TargetBytes: 50 << 20, Seed: 1}); err != nil {
			b.Fatal(err)
		}
		benchStream(b, buf.Bytes(), 0)
	})
}

func BenchmarkWrite(b *testing.B) {
	c, err := har.ReadFile(context.Background(), largestShared(b), har.Options{})
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := har.Write(&buf, c, har.WriteOptions{}); err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(buf.Len()))
	}
}
