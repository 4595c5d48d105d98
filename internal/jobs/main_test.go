package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/audit"
	"github.com/leakwatch/leakwatch/internal/har"
	"github.com/leakwatch/leakwatch/internal/party"
	"github.com/leakwatch/leakwatch/internal/sharedtest"
	"github.com/leakwatch/leakwatch/internal/store"
	"github.com/leakwatch/leakwatch/internal/store/pgtest"
)

// pg is the test binary's throwaway PostgreSQL (nil with pgErr when it
// could not start); TestMain owns it. A crash-test child starts none.
var (
	pg    *pgtest.Server
	pgErr error
)

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		os.Exit(crashChild())
	}
	pgtest.Main(m, &pg, &pgErr) // -short: SQLite only
}

// backend is a database the runner is tested on.
type backend struct {
	name string
	dsn  func(t *testing.T) string
}

func backends() []backend {
	return []backend{
		{"sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "leakwatch.db") }},
		{"postgres", func(t *testing.T) string {
			t.Helper()
			if pg == nil {
				pgtest.Skip(t, pgErr)
			}
			dsn, err := pg.NewDatabase(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			return dsn
		}},
	}
}

// forEachBackend runs f as a parallel subtest on every backend.
func forEachBackend(t *testing.T, f func(t *testing.T, dsn string)) {
	t.Helper()
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			f(t, b.dsn(t))
		})
	}
}

func openStore(t *testing.T, dsn string) store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), dsn, store.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// harScan is a real ScanFunc: it analyses the shared-testdata HAR its
// scan options name ({"har": "file.har"}) with internal/audit. calls
// counts its calls.
type harScan struct {
	dir   string
	cl    *party.Classifier
	calls atomic.Int64
}

func newHARScan(t testing.TB) *harScan {
	t.Helper()
	dir := sharedtest.Path(t, "har")
	cl, err := party.NewClassifier(context.Background(), party.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return &harScan{dir: dir, cl: cl}
}

type harOptions struct {
	HAR string `json:"har"`
}

func (h *harScan) Scan(ctx context.Context, spec ScanSpec) (Result, error) {
	h.calls.Add(1)
	var o harOptions
	if err := json.Unmarshal(spec.Options, &o); err != nil || o.HAR == "" {
		return Result{}, fmt.Errorf("%w: scan options name no HAR: %s", ErrPermanent, spec.Options)
	}
	path := filepath.Join(h.dir, filepath.Base(o.HAR))
	raw, err := os.ReadFile(path)
	if err != nil {
		return Result{}, fmt.Errorf("read HAR: %w", err)
	}
	c, err := har.ReadFile(ctx, path, har.Options{Name: o.HAR})
	if err != nil {
		return Result{}, fmt.Errorf("parse HAR: %w", err)
	}
	rep, err := audit.Run(ctx, audit.Options{Classifier: h.cl, Workers: 1}, c)
	if err != nil {
		return Result{}, fmt.Errorf("audit: %w", err)
	}
	b, err := json.Marshal(rep)
	if err != nil {
		return Result{}, err
	}
	return Result{Report: b, HAR: raw, Summary: fmt.Sprintf("%d third parties, %d findings", len(rep.ThirdParties), len(rep.Findings))}, nil
}

// fastConfig makes retries, polling and rescue quick enough for tests.
func fastConfig() Config {
	return Config{MaxSessions: 2, ScanTimeout: 20 * time.Second, RescueAfter: 25 * time.Second,
		PollInterval: 50 * time.Millisecond, ScheduleTick: time.Hour}
}

func startRunner(t *testing.T, dsn string, st store.Store, scan ScanFunc, cfg Config) *Runner {
	t.Helper()
	r, err := Open(context.Background(), dsn, st, scan, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := r.StopAndCancel(ctx); err != nil {
			t.Error(err)
		}
	})
	return r
}

// newScan stores a site (when url is not empty) and a queued scan of the HAR.
func newScan(t testing.TB, st store.Store, siteID int64, harName string) store.Scan {
	t.Helper()
	opts, _ := json.Marshal(harOptions{HAR: harName})
	sc, err := st.CreateScan(context.Background(), store.Scan{SiteID: siteID, Options: opts})
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func newSite(t *testing.T, st store.Store, url string) store.Site {
	t.Helper()
	s, err := st.CreateSite(context.Background(), store.Site{URL: url, Name: url})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// waitState waits for a scan to reach a final state and returns it.
func waitState(t *testing.T, st store.Store, id int64, timeout time.Duration) store.Scan {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		sc, err := st.Scan(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if sc.State.Final() {
			return sc
		}
		if time.Now().After(deadline) {
			t.Fatalf("scan %d still %s after %s", id, sc.State, timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
