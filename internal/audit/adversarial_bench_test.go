package audit

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/har"
	"github.com/leakwatch/leakwatch/internal/har/hargen"
	"github.com/leakwatch/leakwatch/internal/leak"
	"github.com/leakwatch/leakwatch/internal/party"
)

// BenchmarkTrackerDenseScaling analyses tracker-dense HARs (hargen's
// ad-tech shape: every request third party, 15–40 random IDs, 0.5–3 KB
// cookies, a quarter POSTs) of 10 MB and 100 MB, and of LEAKWATCH_BENCH_MB
// megabytes when that is larger (1024 for the 1 GB figure), streamed from a
// file as `leakwatch analyze` does. It reports MB/s, ms per MB and, past
// 10 MB, the ratio of ms per MB to the 10 MB run: analysis linear in its
// input keeps it under 1.5.
//
//	go test ./internal/audit -run '^$' -bench TrackerDenseScaling -benchtime 1x
//	LEAKWATCH_BENCH_MB=1024 go test ./internal/audit -run '^$' -bench TrackerDenseScaling -benchtime 1x
func BenchmarkTrackerDenseScaling(b *testing.B) {
	sizes := []int64{10, 100}
	if mb, _ := strconv.ParseInt(os.Getenv("LEAKWATCH_BENCH_MB"), 10, 64); mb > 100 {
		sizes = append(sizes, mb)
	}
	cl, err := party.NewClassifier(context.Background(), party.Options{})
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	var base float64 // ms per MB at 10 MB
	for _, mb := range sizes {
		b.Run(fmt.Sprintf("MB=%d", mb), func(b *testing.B) {
			path := denseHAR(b, dir, mb<<20)
			defer os.Remove(path)
			st, _ := os.Stat(path)
			size := float64(st.Size()) / (1 << 20)
			var d time.Duration
			var leaks int
			b.SetBytes(st.Size())
			for b.Loop() {
				start := time.Now()
				leaks = analyzeDenseFile(b, cl, path)
				d += time.Since(start)
			}
			perMB := float64(d.Milliseconds()) / float64(b.N) / size
			b.ReportMetric(perMB, "ms/MB")
			if mb == sizes[0] {
				base = perMB
			} else if base > 0 {
				b.ReportMetric(perMB/base, "x-10MB-per-MB")
			}
			b.ReportMetric(float64(leaks), "leaks")
		})
	}
}

// denseHAR writes a tracker-dense HAR of about size bytes into dir.
func denseHAR(b *testing.B, dir string, size int64) string {
	b.Helper()
	path := filepath.Join(dir, fmt.Sprintf("dense-%d.har", size))
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	_, err = hargen.TrackerDense(bw, hargen.DenseOptions{TargetBytes: size, Seed: 1})
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		b.Fatal(err)
	}
	return path
}

// analyzeDenseFile streams the file into an auditor with hargen's dense
// persona and returns the number of leaks found.
func analyzeDenseFile(b *testing.B, cl *party.Classifier, path string) int {
	b.Helper()
	v := hargen.DensePersona()
	pool, _ := leak.NewPool([]leak.Persona{{Name: "hargen", Email: v["email"], Phone: v["phone"], FirstName: v["first_name"],
		LastName: v["last_name"], TrackingNumbers: []string{v["tracking_numbers"]}}})
	a, err := New(context.Background(), Options{Classifier: cl, Pool: pool})
	if err != nil {
		b.Fatal(err)
	}
	rc, err := har.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer rc.Close()
	if err := har.Stream(context.Background(), rc, har.Options{Name: path}, a.Source(path)); err != nil {
		b.Fatal(err)
	}
	return a.Report().Summary.Leaks
}
