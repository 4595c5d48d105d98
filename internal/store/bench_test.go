package store_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/leakwatch/leakwatch/internal/audit"
	"github.com/leakwatch/leakwatch/internal/har"
	"github.com/leakwatch/leakwatch/internal/party"
	"github.com/leakwatch/leakwatch/internal/sharedtest"
	"github.com/leakwatch/leakwatch/internal/store"
)

// benchHAR is the capture the benchmarks store: a real health shop visit.
const benchHAR = "health-shop-personalabs.har"

var (
	benchOnce          sync.Once
	benchRep, benchRaw []byte
	benchErr           error
)

// benchResult is a real HAR and the report internal/audit makes of it.
func benchResult(b *testing.B) store.Result {
	b.Helper()
	path := sharedtest.Path(b, "har", benchHAR)
	benchOnce.Do(func() {
		ctx := context.Background()
		if benchRaw, benchErr = os.ReadFile(path); benchErr != nil {
			return
		}
		capture, err := har.ReadFile(ctx, path, har.Options{})
		if err != nil {
			benchErr = err
			return
		}
		cl, err := party.NewClassifier(ctx, party.Options{})
		if err != nil {
			benchErr = err
			return
		}
		rep, err := audit.Run(ctx, audit.Options{Classifier: cl}, capture)
		if err != nil {
			benchErr = err
			return
		}
		benchRep, benchErr = json.Marshal(rep)
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return store.Result{Report: benchRep, HAR: benchRaw}
}

// benchTarget is a backend for the benchmarks: a DSN and its size on disk.
type benchTarget struct {
	name string
	dsn  func(b *testing.B) string
	size func(b *testing.B, dsn string) int64
}

func benchTargets() []benchTarget {
	return []benchTarget{
		{"sqlite", func(b *testing.B) string { return filepath.Join(b.TempDir(), "bench.db") }, sqliteSize},
		{"postgres", func(b *testing.B) string {
			if pg == nil {
				b.Skipf("PostgreSQL: %v", pgErr)
			}
			dsn, err := pg.NewDatabase(context.Background())
			if err != nil {
				b.Fatal(err)
			}
			return dsn
		}, pgSize},
	}
}

// sqliteSize checkpoints the WAL into the file and returns its size.
func sqliteSize(b *testing.B, dsn string) int64 {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		b.Fatal(err)
	}
	fi, err := os.Stat(dsn)
	if err != nil {
		b.Fatal(err)
	}
	return fi.Size()
}

func pgSize(b *testing.B, dsn string) int64 {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var n int64
	if err := db.QueryRow("SELECT pg_database_size(current_database())").Scan(&n); err != nil {
		b.Fatal(err)
	}
	return n
}

// BenchmarkStoreScan stores finished scans (report + HAR) and reports the
// database growth per scan.
func BenchmarkStoreScan(b *testing.B) {
	res := benchResult(b)
	for _, tg := range benchTargets() {
		b.Run(tg.name, func(b *testing.B) {
			ctx := context.Background()
			dsn := tg.dsn(b)
			s, err := store.Open(ctx, dsn, store.Config{})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			before := tg.size(b, dsn)
			b.SetBytes(int64(len(res.Report) + len(res.HAR)))
			b.ResetTimer()
			for b.Loop() {
				sc, err := s.CreateScan(ctx, store.Scan{})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := s.FinishScan(ctx, sc.ID, res); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(tg.size(b, dsn)-before)/float64(b.N), "db-bytes/scan")
			b.ReportMetric(float64(len(res.Report)), "report-bytes")
			b.ReportMetric(float64(len(res.HAR)), "har-bytes")
		})
	}
}

// BenchmarkReadReport reads one stored report from parallel readers, as
// the API serves it.
func BenchmarkReadReport(b *testing.B) {
	res := benchResult(b)
	for _, tg := range benchTargets() {
		b.Run(tg.name, func(b *testing.B) {
			ctx := context.Background()
			s, err := store.Open(ctx, tg.dsn(b), store.Config{})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			sc, _ := s.CreateScan(ctx, store.Scan{})
			if _, err := s.FinishScan(ctx, sc.ID, res); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(res.Report)))
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := s.Report(ctx, sc.ID); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "reads/s")
		})
	}
}
