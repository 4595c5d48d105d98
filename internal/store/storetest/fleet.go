package storetest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/store"
)

func testFleet(t *testing.T, tg Target) {
	ctx := context.Background()
	s, _ := fresh(t, tg)
	claims := []struct {
		domain string
		gap    time.Duration
		waits  bool
	}{
		{"shop.example", time.Hour, false},
		{"shop.example", time.Hour, true},
		{"other.example", time.Hour, false},
		{"shop.example", 0, false}, // no politeness: never waits
	}
	for i, c := range claims {
		wait := must(s.ClaimDomain(ctx, c.domain, c.gap))(t)
		if (wait > 0) != c.waits || wait > c.gap {
			t.Errorf("claim %d of %s: wait %s, want waiting %v", i, c.domain, wait, c.waits)
		}
	}
	_, err := s.ClaimDomain(ctx, "", time.Second)
	wantErr(t, "claim no domain", err, store.ErrInvalid)

	run := must(s.CreateRun(ctx, store.Run{Total: 3}))(t)
	noErr(t, s.MarkCrawling(ctx, run.ID, "a.example", "w1"))
	noErr(t, s.MarkCrawling(ctx, run.ID, "b.example", "w1"))
	noErr(t, s.MarkCrawling(ctx, run.ID, "b.example", "w2")) // retried elsewhere
	put := func(site, worker string, st store.State) {
		r := store.CrawlResult{RunID: run.ID, Site: site, State: st, Worker: worker, Report: []byte(`{}`)}
		if st == store.Failed {
			r.Report, r.Error = nil, "timeout"
		}
		must(s.PutCrawlResult(ctx, r))(t)
	}
	put("a.example", "w1", store.Done)
	noErr(t, s.UnmarkCrawling(ctx, run.ID, "a.example"))
	if done := must(s.FinishRunIfComplete(ctx, run.ID))(t); done {
		t.Error("run finished with one result of three")
	}
	st := must(s.FleetStats(ctx, run.ID, time.Time{}, time.Time{}))(t)
	want := []store.WorkerStats{{Name: "w1", Done: 1}, {Name: "w2", Running: 1}}
	if st.Total != 3 || st.Done != 1 || st.Running != 1 || st.Recent != 1 || !sameWorkers(st.Workers, want) {
		t.Errorf("stats %+v, want 3 total, 1 done, 1 running, workers %+v", st, want)
	}
	if st := must(s.FleetStats(ctx, run.ID, time.Now().Add(time.Hour), time.Now().Add(time.Hour)))(t); st.Running != 0 || st.Recent != 0 {
		t.Errorf("stale marks or old results counted: %+v", st)
	}
	if n := must(s.NoteResult(ctx, run.ID))(t); n != 1 {
		t.Errorf("NoteResult = %d, want 1", n)
	}
	put("b.example", "w2", store.Failed)
	put("c.example", "w2", store.Failed)
	must(s.NoteResult(ctx, run.ID))(t)
	if n := must(s.NoteResult(ctx, run.ID))(t); n != 3 {
		t.Errorf("NoteResult = %d, want 3", n)
	}
	if done := must(s.FinishRunIfComplete(ctx, run.ID))(t); !done {
		t.Error("run with every result not finished")
	}
	failed := must(s.TakeFailed(ctx, run.ID))(t)
	if len(failed) != 2 || failed[0].Site != "b.example" || failed[1].Site != "c.example" || failed[0].Error != "timeout" {
		t.Errorf("TakeFailed = %+v", failed)
	}
	if r := must(s.Run(ctx, run.ID))(t); r.State != store.RunActive {
		t.Errorf("run after taking its failures is %s, want active", r.State)
	}
	if n := must(s.NoteResult(ctx, run.ID))(t); n != 2 {
		t.Errorf("NoteResult after taking 2 failures = %d, want 2", n)
	}
	if again := must(s.TakeFailed(ctx, run.ID))(t); len(again) != 0 {
		t.Errorf("failures taken twice: %+v", again)
	}
}

func sameWorkers(got, want []store.WorkerStats) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		g := got[i]
		g.Last = time.Time{}
		if g != want[i] {
			return false
		}
	}
	return true
}

// testClaimConcurrent claims one domain from many goroutines at once: one
// claim is granted, every other waits.
func testClaimConcurrent(t *testing.T, tg Target) {
	ctx := context.Background()
	s, _ := fresh(t, tg)
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		granted int
	)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wait, err := s.ClaimDomain(ctx, "busy.example", time.Hour)
			if err != nil {
				t.Error(err)
				return
			}
			if wait == 0 {
				mu.Lock()
				granted++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if granted != 1 {
		t.Errorf("%d concurrent claims granted, want 1", granted)
	}
}
