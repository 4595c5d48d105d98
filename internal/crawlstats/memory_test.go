package crawlstats_test

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"testing"

	"github.com/leakwatch/leakwatch/internal/crawlstats"
	"github.com/leakwatch/leakwatch/internal/store"
)

// repeatedRun is a run of n sites that all stored the same report: what
// export and statistics hold must not grow with n.
type repeatedRun struct {
	n      int
	report []byte
	// at is called with each site's position before it is handed over.
	at func(i int)
}

func (r repeatedRun) EachCrawlResult(ctx context.Context, runID int64, fn func(store.CrawlResult) error) error {
	for i := range r.n {
		if r.at != nil {
			r.at(i)
		}
		err := fn(store.CrawlResult{RunID: runID, Site: fmt.Sprintf("site%07d.example", i), Rank: i + 1,
			State: store.Done, Attempt: 1, Report: r.report})
		if err != nil {
			return err
		}
	}
	return nil
}

// largestReport is the largest report of the test crawl.
func largestReport(t testing.TB, results []store.CrawlResult) []byte {
	var big []byte
	for _, r := range results {
		if len(r.Report) > len(big) {
			big = r.Report
		}
	}
	return big
}

func heapAfterGC() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestExportMemoryBounded exports 60 sites and checks that the heap after
// the last is within a few megabytes of the heap after the 20th: rows
// are written as they are read (JSONL, CSV) or held one row group at a
// time (Parquet), and statistics keep counters, not reports.
func TestExportMemoryBounded(t *testing.T) { //nolint:paralleltest // measures the heap: other tests would move it
	report := largestReport(t, crawl(t))
	const n, first = 60, 20
	for _, format := range append(crawlstats.ExportFormats(), "stats") {
		var early, late uint64
		run := repeatedRun{n: n, report: report, at: func(i int) {
			switch i {
			case first:
				early = heapAfterGC()
			case n - 1:
				late = heapAfterGC()
			}
		}}
		var err error
		if format == "stats" {
			_, err = crawlstats.Collect(context.Background(), run, store.Run{ID: 1})
		} else {
			_, err = crawlstats.Export(context.Background(), run, 1, format, io.Discard)
		}
		if err != nil {
			t.Fatal(err)
		}
		// Parquet holds its row group (up to 8192 rows) until it is full.
		if slack := uint64(6 << 20); late > early+slack {
			t.Errorf("%s: heap grew from %d to %d bytes over %d sites", format, early, late, n-first)
		}
		t.Logf("%s: heap %d KiB after site %d, %d KiB after site %d (report %d KiB)",
			format, early>>10, first, late>>10, n, len(report)>>10)
	}
}

// BenchmarkExport measures export of the largest report of the test crawl
// (per site: the store's read is not included).
func BenchmarkExport(b *testing.B) {
	for _, format := range crawlstats.ExportFormats() {
		b.Run(format, func(b *testing.B) {
			report := largestReport(b, crawl(b))
			var w countingWriter
			b.ResetTimer()
			if _, err := crawlstats.Export(context.Background(), repeatedRun{n: b.N, report: report}, 1, format, &w); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(w.n)/float64(b.N), "bytes/site")
		})
	}
}

type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }
