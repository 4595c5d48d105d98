package fleet

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/leakwatch/leakwatch/internal/blobstore"
	"github.com/leakwatch/leakwatch/internal/jobs"
	"github.com/leakwatch/leakwatch/internal/lab"
	"github.com/leakwatch/leakwatch/internal/store"
)

// TestCrawlControl runs three runs on one in-process worker: a paused run
// waits until resumed, a cancelled run stores nothing, and a failing site
// is stored as failed once, then retried by RetryFailed.
func TestCrawlControl(t *testing.T) {
	needChromium(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	pop, err := lab.StartPopulation(ctx, lab.PopulationOptions{Sites: 3, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer pop.Close()
	dsn := filepath.Join(t.TempDir(), "crawl.db")
	st, err := store.Open(ctx, dsn, store.Config{Key: testKey})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := Open(ctx, dsn, st, Config{Concurrency: 2, Name: "w", SiteTimeout: 30 * time.Second, Attempts: 1,
		PollInterval: 100 * time.Millisecond, ChromeArgs: pop.ChromeArgs(), Logger: testLogger(t),
		TargetCheck: func(_ context.Context, u string) error {
			if strings.Contains(u, "refused") {
				return errors.New("refused by the test's guard")
			}
			return nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sites, _ := ParseSites(strings.NewReader(strings.Join(pop.Lines(), "\n")))
	opts := RunOptions{MaxPages: 1}
	paused := mustRun(t)(c.Enqueue(ctx, "paused", sites, opts))
	cancelled := mustRun(t)(c.Enqueue(ctx, "cancelled", sites[:1], opts))
	failing := mustRun(t)(c.Enqueue(ctx, "failing", []Site{{URL: "http://localhost:1/"}}, opts))
	refused := mustRun(t)(c.Enqueue(ctx, "refused", []Site{{URL: "https://refused.test/"}}, opts))
	mustRun(t)(Pause(ctx, st, paused.ID))
	mustRun(t)(Cancel(ctx, st, cancelled.ID))
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer c.StopAndCancel(context.Background())

	s := waitFinished(t, ctx, st, failing.ID)
	if s.Failed != 1 || s.Run.State != store.RunFinished {
		t.Errorf("failing run: %+v, want one failure and finished", s)
	}
	waitFinished(t, ctx, st, refused.ID)
	if r, err := st.CrawlResult(ctx, refused.ID, "https://refused.test/"); err != nil || r.State != store.Failed ||
		!strings.Contains(r.Error, "refused by the test's guard") {
		t.Errorf("refused site: %+v, %v", r, err)
	}
	time.Sleep(time.Second)
	if s, _ := RunStatus(ctx, st, paused.ID, time.Now()); s.Done+s.Failed != 0 {
		t.Errorf("paused run got results: %+v", s)
	}
	mustRun(t)(Resume(ctx, st, paused.ID))
	if s := waitFinished(t, ctx, st, paused.ID); s.Done != len(sites) {
		t.Errorf("resumed run: %+v", s)
	}
	if s, _ := RunStatus(ctx, st, cancelled.ID, time.Now()); s.Done+s.Failed != 0 || s.Run.State != store.RunCancelled {
		t.Errorf("cancelled run: %+v", s)
	}
	if n, err := c.RetryFailed(ctx, failing.ID); n != 1 || err != nil {
		t.Fatalf("RetryFailed = %d, %v", n, err)
	}
	if s := waitFinished(t, ctx, st, failing.ID); s.Failed != 1 || s.Total != 1 {
		t.Errorf("retried run: %+v", s)
	}
	r, err := st.CrawlResult(ctx, failing.ID, "http://localhost:1/")
	if err != nil || r.State != store.Failed || r.Error == "" {
		t.Errorf("failed result %+v, %v", r, err)
	}
}

func mustRun(t *testing.T) func(store.Run, error) store.Run {
	return func(r store.Run, err error) store.Run {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
}

func TestBlobSink(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bs, err := blobstore.Open(context.Background(), dir, blobstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = bs.Close() })
	s := BlobSink{Store: bs}
	ctx := context.Background()
	a, err := s.PutHAR(ctx, 4, "https://www.Shop.example/a?b", []byte(`{"log":{}}`))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := s.PutHAR(ctx, 4, "https://www.shop.example/other", []byte(`{}`))
	again, _ := s.PutHAR(ctx, 4, "https://www.Shop.example/a?b", []byte(`{"log":{"x":1}}`))
	if a == b || a != again || !strings.Contains(a, "run-4/www.shop.example-") {
		t.Errorf("refs %q %q %q", a, b, again)
	}
	rc, err := bs.Get(ctx, again)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(rc)
	_ = rc.Close()
	if string(got) != `{"log":{"x":1}}` {
		t.Errorf("read back %q: want the second HAR", got)
	}
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		cfg  Config
		opts RunOptions
		ok   bool
	}{
		{"zero", Config{}, RunOptions{MaxPages: 1}, true},
		{"negative concurrency", Config{Concurrency: -1}, RunOptions{MaxPages: 1}, false},
		{"tiny site timeout", Config{SiteTimeout: time.Second}, RunOptions{MaxPages: 1}, false},
		{"negative politeness", Config{Politeness: -time.Second}, RunOptions{MaxPages: 1}, false},
		{"unknown consent", Config{}, RunOptions{MaxPages: 1, Consent: "all"}, false},
		{"no pages", Config{}, RunOptions{}, false},
		{"bad persona", Config{}, RunOptions{MaxPages: 1, Persona: "nonsense: [1"}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			err := c.cfg.Validate()
			if err == nil {
				err = c.opts.Validate()
			}
			if (err == nil) != c.ok {
				t.Errorf("validate: %v, want ok %v", err, c.ok)
			}
		})
	}
}

// dirSink is a BlobSink on a directory, closed with the test.
func dirSink(t *testing.T, dir string) BlobSink {
	t.Helper()
	bs, err := blobstore.Open(context.Background(), dir, blobstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = bs.Close() })
	return BlobSink{Store: bs}
}

// failingQueue is a River client whose inserts fail after the first n
// batches, to test what a failed insert leaves.
type failingQueue struct {
	jobs.RiverQueue
	batches int
}

func (f *failingQueue) InsertMany(ctx context.Context, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error) {
	if f.batches <= 0 {
		return nil, errors.New("insert refused (test)")
	}
	f.batches--
	return f.RiverQueue.InsertMany(ctx, params)
}

// TestRetryFailedRestores: when re-queueing failed sites fails, their
// failures are put back, so the run still accounts for every site and can
// be retried again.
func TestRetryFailedRestores(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := filepath.Join(t.TempDir(), "crawl.db")
	st, err := store.Open(ctx, dsn, store.Config{Key: testKey})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := Open(ctx, dsn, st, Config{Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sites := []Site{{URL: "https://a.example/"}, {URL: "https://b.example/"}}
	run, err := c.Enqueue(ctx, "r", sites, RunOptions{MaxPages: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sites {
		r := store.CrawlResult{RunID: run.ID, Site: s.URL, State: store.Failed, Attempt: 3, Error: "dns: no such host", Worker: "w"}
		if _, err := st.PutCrawlResult(ctx, r); err != nil {
			t.Fatal(err)
		}
		if _, err := st.NoteResult(ctx, run.ID); err != nil {
			t.Fatal(err)
		}
	}
	real := c.q
	c.q = &failingQueue{RiverQueue: real}
	if n, err := c.RetryFailed(ctx, run.ID); err == nil || n != 0 {
		t.Fatalf("retry with a failing queue: %d queued, %v: want an error", n, err)
	}
	stats, err := st.RunStats(ctx, run.ID)
	if err != nil || stats.Failed != 2 {
		t.Fatalf("after the failed retry: %+v, %v: want both failures back", stats, err)
	}
	c.q = real
	if n, err := c.RetryFailed(ctx, run.ID); err != nil || n != 2 {
		t.Fatalf("retry: %d queued, %v: want 2", n, err)
	}
}
