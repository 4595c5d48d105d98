package jobs

import (
	"context"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/store"
)

// BenchmarkScans measures scans per hour through the queue with
// MaxSessions 2 (this machine's cores): a trivial ScanFunc (the queue's and
// store's own cost) and one analysing a real 640 KB HAR. Run with
// -benchtime=200x or so; each iteration is one scan.
func BenchmarkScans(b *testing.B) {
	h := newHARScan(b)
	funcs := []struct {
		name string
		har  string
		scan ScanFunc
	}{
		{"trivial", "", func(context.Context, ScanSpec) (Result, error) { return Result{Report: []byte(`{}`)}, nil }},
		{"har", "health-shop-mylabbox.har", h.Scan},
	}
	for _, be := range []struct {
		name string
		dsn  func(b *testing.B) string
	}{
		{"sqlite", func(b *testing.B) string { return b.TempDir() + "/leakwatch.db" }},
		{"postgres", func(b *testing.B) string {
			if pg == nil {
				b.Skip(pgErr)
			}
			dsn, err := pg.NewDatabase(context.Background())
			if err != nil {
				b.Fatal(err)
			}
			return dsn
		}},
	} {
		for _, f := range funcs {
			b.Run(be.name+"/"+f.name, func(b *testing.B) {
				dsn := be.dsn(b)
				benchScans(b, dsn, f.har, f.scan)
			})
		}
	}
}

func benchScans(b *testing.B, dsn, harName string, scan ScanFunc) {
	ctx := context.Background()
	st, err := store.Open(ctx, dsn, store.Config{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	cfg := fastConfig()
	cfg.MaxSessions = 2
	r, err := Open(ctx, dsn, st, scan, cfg)
	if err != nil {
		b.Fatal(err)
	}
	ids := make([]int64, b.N)
	for i := range ids {
		ids[i] = newScan(b, st, 0, harName).ID
	}
	b.ResetTimer()
	start := time.Now()
	for _, id := range ids {
		if err := r.Submit(ctx, id); err != nil {
			b.Fatal(err)
		}
	}
	if err := r.Start(ctx); err != nil {
		b.Fatal(err)
	}
	for _, id := range ids {
		for {
			sc, err := st.Scan(ctx, id)
			if err != nil {
				b.Fatal(err)
			}
			if sc.State.Final() {
				if sc.State != store.Done {
					b.Fatalf("scan %d %s: %s", id, sc.State, sc.Error)
				}
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Hours(), "scans/h")
	b.StopTimer()
	if err := r.Stop(ctx); err != nil {
		b.Fatal(err)
	}
}
