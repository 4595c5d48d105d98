package audit

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/leakwatch/leakwatch/internal/har"
	"github.com/leakwatch/leakwatch/internal/har/hargen"
	"github.com/leakwatch/leakwatch/internal/leak"
	"github.com/leakwatch/leakwatch/internal/party"
	"github.com/leakwatch/leakwatch/internal/sharedtest"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// The benchmarks compare plain HAR parsing with a full analysis of the same
// generated HAR (realistic traffic with planted tracker hits), with one and
// with ten personas. Size it with LEAKWATCH_BENCH_MB (default 32).
var (
	benchOnce sync.Once
	benchHAR  []byte
)

var benchValues = map[string]string{
	"email": "dana.whitfield@example.com", "zip": "62704", "tracking_number": "9400111899561482037727",
}

func benchData(b *testing.B) []byte {
	b.Helper()
	benchOnce.Do(func() {
		mb := 32
		if s := os.Getenv("LEAKWATCH_BENCH_MB"); s != "" {
			mb, _ = strconv.Atoi(s)
		}
		var buf bytes.Buffer
		if err := hargen.Generate(&buf, hargen.Options{TargetBytes: int64(mb) << 20, Seed: 1, Values: benchValues}); err != nil {
			b.Fatal(err)
		}
		benchHAR = buf.Bytes()
	})
	return benchHAR
}

// benchPersonas returns n personas; the first holds the planted values.
func benchPersonas(n int) []leak.Persona {
	ps := []leak.Persona{{Name: "planted", Email: benchValues["email"], Zip: benchValues["zip"],
		TrackingNumbers: []string{benchValues["tracking_number"]}, FirstName: "Dana", LastName: "Whitfield",
		Phone: "+1 217 555 0148", City: "Springfield", State: "IL", Street: "1427 Juniper Hollow Rd"}}
	for i := 1; i < n; i++ {
		ps = append(ps, leak.Persona{Name: fmt.Sprintf("other %d", i),
			Email: fmt.Sprintf("person%d.tester@example.org", i), Zip: fmt.Sprintf("%05d", 10000+i*731),
			TrackingNumbers: []string{fmt.Sprintf("1Z999AA1%08d", i)}, FirstName: fmt.Sprintf("Firstname%d", i),
			LastName: fmt.Sprintf("Lastname%d", i), Phone: fmt.Sprintf("+1 415 555 %04d", i),
			City: "Portland", State: "OR", Street: fmt.Sprintf("%d Main Street", 100+i)})
	}
	return ps
}

// requestBytes counts the request data of a HAR (URLs, headers, bodies,
// sent WebSocket frames): what the leak search reads.
type requestBytes struct {
	nopVisitor
	n int64
}

func (c *requestBytes) Request(r *traffic.Request) error {
	c.n += int64(len(r.URL) + len(r.Body))
	for _, h := range r.Headers {
		c.n += int64(len(h.Name) + len(h.Value) + 4)
	}
	for _, f := range r.WebSocket {
		c.n += int64(len(f.Data))
	}
	return nil
}

type nopVisitor struct{}

func (nopVisitor) Page(*traffic.Page) error       { return nil }
func (nopVisitor) Request(*traffic.Request) error { return nil }
func (nopVisitor) End(*traffic.Capture) error     { return nil }

func BenchmarkParseHAR(b *testing.B) {
	data := benchData(b)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		if err := har.Stream(context.Background(), bytes.NewReader(data), har.Options{}, nopVisitor{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAnalyze(b *testing.B) {
	data := benchData(b)
	cl, err := party.NewClassifier(context.Background(), party.Options{})
	if err != nil {
		b.Fatal(err)
	}
	var rb requestBytes
	if err := har.Stream(context.Background(), bytes.NewReader(data), har.Options{}, &rb); err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1, 10} {
		b.Run(fmt.Sprintf("personas=%d", n), func(b *testing.B) {
			pool, _ := leak.NewPool(benchPersonas(n))
			b.SetBytes(int64(len(data)))
			var leaks int
			for b.Loop() {
				a, err := New(context.Background(), Options{Classifier: cl, Pool: pool})
				if err != nil {
					b.Fatal(err)
				}
				if err := har.Stream(context.Background(), bytes.NewReader(data), har.Options{}, a.Source("bench")); err != nil {
					b.Fatal(err)
				}
				leaks = a.Report().Summary.Leaks
			}
			if leaks == 0 {
				b.Fatal("no leaks found in the planted HAR")
			}
			b.ReportMetric(float64(leaks), "leaks")
			b.ReportMetric(float64(rb.n)/1e6/(b.Elapsed().Seconds()/float64(b.N)), "req-MB/s")
		})
	}
}

// BenchmarkAuditSharedHARs measures the analysis alone (classify, decode
// pixels, search every third-party request) over every real capture in the
// shared test data, already parsed, in MB/s of request data.
func BenchmarkAuditSharedHARs(b *testing.B) {
	files, _ := filepath.Glob(sharedtest.Path(b, "har", "*.har"))
	var caps []*traffic.Capture
	var reqBytes int64
	for _, f := range files {
		c, err := har.ReadFile(context.Background(), f, har.Options{})
		if err != nil {
			b.Fatal(err)
		}
		var rb requestBytes
		c.Visit(&rb)
		reqBytes += rb.n
		caps = append(caps, c)
	}
	cl, err := party.NewClassifier(context.Background(), party.Options{})
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1, 10} {
		b.Run(fmt.Sprintf("personas=%d", n), func(b *testing.B) {
			pool, _ := leak.NewPool(benchPersonas(n))
			b.SetBytes(reqBytes)
			for b.Loop() {
				if _, err := Run(context.Background(), Options{Classifier: cl, Pool: pool}, caps...); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
