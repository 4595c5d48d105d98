package fleet

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/store"
)

// TestStopReleasesSite stops a worker whose site hangs: Stop's grace runs
// out, StopAndCancel gives the site back to the queue at once (available
// again, no result, no attempt spent on a failure).
func TestStopReleasesSite(t *testing.T) {
	needChromium(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	entered := make(chan struct{}, 1)
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case entered <- struct{}{}:
		default:
		}
		<-r.Context().Done()
	}))
	defer hang.Close()
	site := "http://localhost:" + hang.URL[len("http://127.0.0.1:"):] + "/"
	dsn := filepath.Join(t.TempDir(), "crawl.db")
	st, err := store.Open(ctx, dsn, store.Config{Key: testKey})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := Open(ctx, dsn, st, Config{Concurrency: 1, Name: "w", SiteTimeout: time.Minute,
		PollInterval: 100 * time.Millisecond, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	run := mustRun(t)(c.Enqueue(ctx, "hang", []Site{{URL: site}}, RunOptions{MaxPages: 1}))
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	select {
	case <-entered:
	case <-ctx.Done():
		t.Fatal("the site was never requested")
	}
	grace, gcancel := context.WithTimeout(ctx, 500*time.Millisecond)
	defer gcancel()
	if err := c.Stop(grace); err == nil {
		t.Fatal("Stop returned while the site hung")
	}
	if err := c.StopAndCancel(ctx); err != nil {
		t.Fatal(err)
	}
	h, _ := store.HandlesOf(st)
	var state string
	var attempt int
	if err := h.DB.QueryRowContext(ctx, "SELECT state, attempt FROM river_job WHERE kind = 'leakwatch_crawl_site'").Scan(&state, &attempt); err != nil {
		t.Fatal(err)
	}
	if state != "available" {
		t.Errorf("released job is %s (attempt %d), want available", state, attempt)
	}
	if s, _ := RunStatus(ctx, st, run.ID, time.Now()); s.Done+s.Failed+s.Running != 0 {
		t.Errorf("status after release: %+v, want nothing done, failed or running", s)
	}
}
