package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/audit"
	"github.com/leakwatch/leakwatch/internal/store"
)

func TestScanDone(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, dsn string) {
		st := openStore(t, dsn)
		h := newHARScan(t)
		r := startRunner(t, dsn, st, h.Scan, fastConfig())
		ctx := context.Background()
		site := newSite(t, st, "https://www.mylabbox.com/")
		sc := newScan(t, st, site.ID, "health-shop-mylabbox.har")
		for range 3 { // a scan submitted again is one job
			if err := r.Submit(ctx, sc.ID); err != nil {
				t.Fatal(err)
			}
		}
		got := waitState(t, st, sc.ID, 60*time.Second)
		if got.State != store.Done || got.Attempt != 1 || got.Error != "" {
			t.Fatalf("scan = %+v, want done after 1 attempt", got)
		}
		b, err := st.Report(ctx, sc.ID)
		if err != nil {
			t.Fatal(err)
		}
		var rep audit.Report
		if err := json.Unmarshal(b, &rep); err != nil || len(rep.ThirdParties) == 0 {
			t.Fatalf("stored report: %v, %d third parties", err, len(rep.ThirdParties))
		}
		if hr, err := st.HAR(ctx, sc.ID); err != nil || len(hr) == 0 {
			t.Fatalf("stored HAR: %d bytes, %v", len(hr), err)
		}
		time.Sleep(200 * time.Millisecond) // a duplicate job would have run by now
		if n := h.calls.Load(); n != 1 {
			t.Errorf("ScanFunc ran %d times, want 1", n)
		}
	})
}

// TestScanOutcomes runs scans whose ScanFunc fails in different ways.
func TestScanOutcomes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		wrap     func(h *harScan) ScanFunc
		attempts int
		state    store.State
		attempt  int
		errHas   string
	}{
		{"retried after a failed attempt", func(h *harScan) ScanFunc {
			return func(ctx context.Context, s ScanSpec) (Result, error) {
				res, err := h.Scan(ctx, s)
				if s.Attempt == 1 {
					return Result{}, errors.New("chromium crashed")
				}
				return res, err
			}
		}, 3, store.Done, 2, ""},
		{"failed after its attempts", func(h *harScan) ScanFunc {
			return func(ctx context.Context, s ScanSpec) (Result, error) {
				s.Options = json.RawMessage(`{"har":"missing.har"}`)
				return h.Scan(ctx, s)
			}
		}, 2, store.Failed, 2, "attempt 2 of 2"},
		{"a permanent error is not retried", func(h *harScan) ScanFunc {
			return func(ctx context.Context, s ScanSpec) (Result, error) {
				s.Options = json.RawMessage(`{}`)
				return h.Scan(ctx, s)
			}
		}, 3, store.Failed, 1, "no HAR"},
		{"timed out", func(h *harScan) ScanFunc {
			return func(ctx context.Context, s ScanSpec) (Result, error) {
				if _, err := h.Scan(ctx, s); err != nil {
					return Result{}, err
				}
				<-ctx.Done() // a page that never settles
				return Result{}, ctx.Err()
			}
		}, 1, store.Failed, 1, "deadline exceeded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dsn := backends()[0].dsn(t)
			st := openStore(t, dsn)
			cfg := fastConfig()
			cfg.ScanAttempts, cfg.ScanTimeout = tt.attempts, 3*time.Second
			r := startRunner(t, dsn, st, tt.wrap(newHARScan(t)), cfg)
			sc := newScan(t, st, 0, "pagexray-http2-firefox.har")
			if err := r.Submit(context.Background(), sc.ID); err != nil {
				t.Fatal(err)
			}
			got := waitState(t, st, sc.ID, 60*time.Second)
			if got.State != tt.state || got.Attempt != tt.attempt || !strings.Contains(got.Error, tt.errHas) {
				t.Errorf("scan = %s after %d attempts (%q), want %s after %d containing %q",
					got.State, got.Attempt, got.Error, tt.state, tt.attempt, tt.errHas)
			}
		})
	}
}

// blockingScan analyses its HAR, then waits until its context ends, as a
// scan of a slow site does; started receives each scan id once it waits.
func blockingScan(h *harScan, started chan<- int64, stopped *atomic.Int64) ScanFunc {
	return func(ctx context.Context, s ScanSpec) (Result, error) {
		if _, err := h.Scan(ctx, s); err != nil {
			return Result{}, err
		}
		started <- s.ScanID
		<-ctx.Done()
		stopped.Add(1)
		return Result{}, ctx.Err()
	}
}

func TestCancel(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, dsn string) {
		st := openStore(t, dsn)
		started := make(chan int64, 2)
		var stopped atomic.Int64
		r := startRunner(t, dsn, st, blockingScan(newHARScan(t), started, &stopped), fastConfig())
		ctx := context.Background()
		here, elsewhere := newScan(t, st, 0, "pagexray-http2-firefox.har"), newScan(t, st, 0, "pagexray-http2-firefox.har")
		for _, sc := range []store.Scan{here, elsewhere} {
			if err := r.Submit(ctx, sc.ID); err != nil {
				t.Fatal(err)
			}
		}
		<-started
		<-started
		if err := r.Cancel(ctx, here.ID, "by the user"); err != nil {
			t.Fatal(err)
		}
		// Another server cancels through the store only.
		if _, err := st.EndScan(ctx, elsewhere.ID, store.Cancelled, "by another server"); err != nil {
			t.Fatal(err)
		}
		for _, sc := range []store.Scan{here, elsewhere} {
			if got := waitState(t, st, sc.ID, 10*time.Second); got.State != store.Cancelled {
				t.Errorf("scan %d = %s, want cancelled", sc.ID, got.State)
			}
		}
		deadline := time.Now().Add(10 * time.Second)
		for stopped.Load() != 2 && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if n := stopped.Load(); n != 2 {
			t.Errorf("%d scans saw their context end, want 2", n)
		}
	})
}

func TestMaxSessions(t *testing.T) {
	t.Parallel()
	dsn := backends()[0].dsn(t)
	st := openStore(t, dsn)
	h := newHARScan(t)
	var mu sync.Mutex
	var now, peak int
	scan := func(ctx context.Context, s ScanSpec) (Result, error) {
		mu.Lock()
		now++
		peak = max(peak, now)
		mu.Unlock()
		defer func() { mu.Lock(); now--; mu.Unlock() }()
		time.Sleep(150 * time.Millisecond)
		return h.Scan(ctx, s)
	}
	var ids []int64
	for range 6 { // stored before the runner starts, which submits them all
		ids = append(ids, newScan(t, st, 0, "pagexray-http2-firefox.har").ID)
	}
	cfg := fastConfig()
	cfg.MaxSessions = 2
	startRunner(t, dsn, st, scan, cfg)
	for _, id := range ids {
		if got := waitState(t, st, id, 60*time.Second); got.State != store.Done {
			t.Fatalf("scan %d = %s (%s)", id, got.State, got.Error)
		}
	}
	if peak != 2 {
		t.Errorf("%d scans ran at once, want MaxSessions = 2", peak)
	}
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		cfg  Config
		want string
	}{
		{Config{}, ""},
		{Config{MaxSessions: -1}, "MaxSessions"},
		{Config{ScanTimeout: time.Hour, RescueAfter: time.Minute}, "must exceed"},
		{Config{PollInterval: -time.Second}, "PollInterval"},
		{Config{ScanAttempts: -1}, "attempts"},
	}
	for i, tt := range tests {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			err := tt.cfg.Validate()
			if (err == nil) != (tt.want == "") || (err != nil && !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("Validate() = %v, want %q", err, tt.want)
			}
		})
	}
}

// TestResume starts a runner on a store holding a scan nobody submitted
// (its server died between storing and submitting it).
func TestResume(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, dsn string) {
		st := openStore(t, dsn)
		sc := newScan(t, st, 0, "pagexray-http2-firefox.har")
		h := newHARScan(t)
		startRunner(t, dsn, st, h.Scan, fastConfig())
		if got := waitState(t, st, sc.ID, 60*time.Second); got.State != store.Done {
			t.Fatalf("scan = %s (%s)", got.State, got.Error)
		}
		if n := h.calls.Load(); n != 1 {
			t.Errorf("scanned %d times", n)
		}
	})
}
