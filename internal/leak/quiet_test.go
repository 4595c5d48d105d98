package leak

import (
	"bytes"
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/har"
	"github.com/leakwatch/leakwatch/internal/har/hargen"
	"github.com/leakwatch/leakwatch/internal/sharedtest"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// repeatedRequests are requests that share cookies and query values, as
// a visit's requests do, some with a persona value among them.
func repeatedRequests() []*traffic.Request {
	cookie := traffic.Header{Name: "Cookie", Value: "_ga=GA1.2.1234567890.1700000000; _fbp=fb.1.1700000000000.987654321; " +
		"session=" + strings.Repeat("Zm9vYmFy", 4) + "; prefs=eyJsYW5nIjoiZW4iLCJ0aGVtZSI6ImRhcmsifQ; em=alice.smith%40example.com"}
	var out []*traffic.Request
	for i := range 40 {
		u := "https://t.example/collect?cid=1234567890.1700000000&sid=" + strings.Repeat("ab12", 6) +
			"&dl=https%3A%2F%2Fshop.example%2Fcart%3Fstep%3D" + string(rune('a'+i%5)) +
			"&u=" + [...]string{"alice.smith%40example.com", "nobody-here-at-all-today", "4155550123"}[i%3]
		r := get(u, cookie)
		r.Index = i
		out = append(out, r)
	}
	return out
}

// scanEach scans reqs with p and returns the results.
func scanEach(p *Pool, reqs []*traffic.Request, opts ScanOptions) []Result {
	var out []Result
	for _, r := range reqs {
		out = append(out, p.Scan(r, opts))
	}
	return out
}

// TestQuietCacheChangesNoResult: a pool whose cache holds the values of
// earlier requests gives each request the result a fresh pool gives it,
// with default and with tight budgets (the budget a cached value is
// charged must leave every later value where a full search leaves it).
func TestQuietCacheChangesNoResult(t *testing.T) {
	t.Parallel()
	reqs := append(repeatedRequests(), benchRequests()...)
	for _, opts := range []ScanOptions{
		{}, {Patterns: true},
		{Patterns: true, Budgets: Budgets{MaxDecodedBytes: 4096, MaxDecodedValue: 1024, MaxDepth: 1, MaxFindings: 3}},
		{Budgets: Budgets{MaxDecodedBytes: 300, MaxDecodedValue: 200}},
	} {
		warm, _ := NewPool([]Persona{alice})
		scanEach(warm, reqs, opts) // seen once
		scanEach(warm, reqs, opts) // seen twice: admitted
		for i, r := range reqs {
			fresh, _ := NewPool([]Persona{alice})
			want := fresh.Scan(r, opts)
			if got := warm.Scan(r, opts); !reflect.DeepEqual(got, want) {
				t.Fatalf("%+v: request %d with a warm cache:\n got %+v\nwant %+v", opts.Budgets, i, got, want)
			}
		}
	}
}

// TestQuietCacheOnRealCaptures: the same on the real captures, each
// request scanned after all the others.
func TestQuietCacheOnRealCaptures(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob(filepath.Join(sharedtest.Dir(t), "realworld", "*.har.gz"))
	if len(files) > 12 {
		files = files[:12]
	}
	for _, path := range files {
		c, err := har.ReadFile(context.Background(), path, har.Options{})
		if err != nil {
			t.Fatal(err)
		}
		warm, _ := NewPool([]Persona{alice})
		opts := ScanOptions{Patterns: true}
		scanEach(warm, c.Requests, opts)
		scanEach(warm, c.Requests, opts)
		want := scanEach(mustPool(t), c.Requests, opts)
		for i, r := range c.Requests {
			if got := warm.Scan(r, opts); !reflect.DeepEqual(got, want[i]) {
				t.Fatalf("%s: request %d with a warm cache:\n got %+v\nwant %+v", path, i, got, want[i])
			}
		}
	}
}

func mustPool(t *testing.T) *Pool {
	t.Helper()
	p, _ := NewPool([]Persona{alice})
	return p
}

// TestQuietCacheHits: values seen twice are taken from the cache the
// third time.
func TestQuietCacheHits(t *testing.T) {
	t.Parallel()
	p := mustPool(t)
	reqs := repeatedRequests()
	for range 2 {
		scanEach(p, reqs, ScanOptions{})
	}
	p.quiet.mu.Lock()
	n := len(p.quiet.cur) + len(p.quiet.old)
	p.quiet.mu.Unlock()
	if n < 5 {
		t.Fatalf("%d values cached, want the repeated cookies and query values", n)
	}
}

// BenchmarkScanRepeatedCookies scans tracker-dense requests whose cookie
// jars repeat (50 jars over 2,000 requests), as a site's cookies repeat
// on every request; query values stay unique.
func BenchmarkScanRepeatedCookies(b *testing.B) {
	var buf bytes.Buffer
	if _, err := hargen.TrackerDense(&buf, hargen.DenseOptions{Requests: 2000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	c, err := har.Read(context.Background(), &buf, har.Options{})
	if err != nil {
		b.Fatal(err)
	}
	jars := map[int]string{}
	for i, r := range c.Requests {
		if i < 50 {
			jars[i] = r.Headers.Get("Cookie")
		}
		for k := range r.Headers {
			if strings.EqualFold(r.Headers[k].Name, "Cookie") {
				r.Headers[k].Value = jars[i%50]
			}
		}
	}
	b.ResetTimer()
	for b.Loop() {
		p, _ := NewPool([]Persona{alice}) // a cold cache each time: one analysis
		scanEach(p, c.Requests, ScanOptions{Patterns: true})
	}
}

// BenchmarkScanRepeatedValues scans real captures, whose requests repeat
// cookies and IDs as every visit does: the quiet cache's case. (The
// tracker-dense generator never repeats a value.)
func BenchmarkScanRepeatedValues(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join(sharedtest.Dir(b), "realworld", "*.har.gz"))
	var reqs []*traffic.Request
	var size int64
	for _, path := range files {
		c, err := har.ReadFile(context.Background(), path, har.Options{})
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range c.Requests {
			size += int64(len(r.URL) + len(r.Body))
			for _, h := range r.Headers {
				size += int64(len(h.Name) + len(h.Value))
			}
		}
		reqs = append(reqs, c.Requests...)
	}
	b.SetBytes(size)
	for b.Loop() {
		p, _ := NewPool([]Persona{alice}) // a cold cache each time: one analysis
		scanEach(p, reqs, ScanOptions{Patterns: true})
	}
}
