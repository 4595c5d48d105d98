package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/leakwatch/leakwatch/internal/store"
)

func testRuns(t *testing.T, tg Target) {
	ctx := context.Background()
	s, _ := fresh(t, tg)
	r1 := must(s.CreateRun(ctx, store.Run{Name: "tranco-1k", Total: 1000, Options: json.RawMessage(`{"budget":"60s"}`)}))(t)
	r2 := must(s.CreateRun(ctx, store.Run{Name: "second"}))(t)
	if r1.State != store.RunActive || r1.Total != 1000 || string(r1.Options) != `{"budget":"60s"}` || string(r2.Options) != "{}" {
		t.Errorf("created runs %+v %+v", r1, r2)
	}
	if got := must(s.Run(ctx, r1.ID))(t); got.Name != "tranco-1k" {
		t.Errorf("Run = %+v", got)
	}
	list := must(s.ListRuns(ctx, store.Page{}))(t)
	if len(list) != 2 || list[0].ID != r2.ID || list[1].ID != r1.ID {
		t.Errorf("runs %+v, want newest first", list)
	}
	if p := must(s.ListRuns(ctx, store.Page{After: r2.ID}))(t); len(p) != 1 || p[0].ID != r1.ID {
		t.Errorf("second page of runs %+v", p)
	}
	for _, st := range []store.RunState{store.RunPaused, store.RunActive, store.RunCancelled} {
		if got := must(s.SetRunState(ctx, r1.ID, st))(t); got.State != st {
			t.Errorf("state %s, want %s", got.State, st)
		}
	}
	_, err := s.SetRunState(ctx, r1.ID, "exploded")
	wantErr(t, "unknown run state", err, store.ErrInvalid)
	_, err = s.SetRunState(ctx, 9999, store.RunPaused)
	wantErr(t, "unknown run", err, store.ErrNotFound)
	_, err = s.Run(ctx, 9999)
	wantErr(t, "Run unknown", err, store.ErrNotFound)
	_, err = s.CreateRun(ctx, store.Run{Total: -1})
	wantErr(t, "negative total", err, store.ErrInvalid)
}

func testCrawlResults(t *testing.T, tg Target) {
	ctx := context.Background()
	s, _ := fresh(t, tg)
	run := must(s.CreateRun(ctx, store.Run{Total: 3}))(t)
	res := func(st store.State, attempt int, rep string) store.CrawlResult {
		r := store.CrawlResult{RunID: run.ID, Site: "shop.example", Rank: 7, State: st, Attempt: attempt, Worker: "w1"}
		if rep != "" {
			r.Report = []byte(rep)
		} else {
			r.Error = "timeout"
		}
		return r
	}
	steps := []struct {
		name string
		in   store.CrawlResult
		want bool
	}{
		{"first failure", res(store.Failed, 1, ""), true},
		{"second failure replaces", res(store.Failed, 2, ""), true},
		{"success replaces a failure", res(store.Done, 3, `{"a":3}`), true},
		{"a retried success is not stored", res(store.Done, 4, `{"a":4}`), false},
		{"a late failure does not undo success", res(store.Failed, 5, ""), false},
	}
	for _, st := range steps {
		if got := must(s.PutCrawlResult(ctx, st.in))(t); got != st.want {
			t.Errorf("%s: stored %v, want %v", st.name, got, st.want)
		}
	}
	got := must(s.CrawlResult(ctx, run.ID, "shop.example"))(t)
	if got.State != store.Done || got.Attempt != 3 || string(got.Report) != `{"a":3}` || got.Rank != 7 || got.Error != "" || got.Finished.IsZero() {
		t.Errorf("result %+v", got)
	}
	_, err := s.CrawlResult(ctx, run.ID, "other.example")
	wantErr(t, "unknown site", err, store.ErrNotFound)
	_, err = s.PutCrawlResult(ctx, store.CrawlResult{RunID: 9999, Site: "a.example", State: store.Failed})
	wantErr(t, "unknown run", err, store.ErrNotFound)
	for _, bad := range []store.CrawlResult{
		{RunID: run.ID, Site: "", State: store.Failed},
		{RunID: run.ID, Site: "a.example", State: store.Running},
		{RunID: run.ID, Site: "a.example", State: store.Done, Report: []byte("{")},
	} {
		_, err = s.PutCrawlResult(ctx, bad)
		wantErr(t, fmt.Sprintf("bad result %+v", bad), err, store.ErrInvalid)
	}
	must(s.PutCrawlResult(ctx, store.CrawlResult{RunID: run.ID, Site: "b.example", State: store.Failed, Error: "dns"}))(t)
	st := must(s.RunStats(ctx, run.ID))(t)
	if st.Total != 3 || st.Done != 1 || st.Failed != 1 || st.First.IsZero() || st.Last.Before(st.First) {
		t.Errorf("stats %+v", st)
	}
	_, err = s.RunStats(ctx, 9999)
	wantErr(t, "stats of an unknown run", err, store.ErrNotFound)
}

func testCrawlListing(t *testing.T, tg Target) {
	ctx := context.Background()
	s, _ := fresh(t, tg)
	run := must(s.CreateRun(ctx, store.Run{}))(t)
	other := must(s.CreateRun(ctx, store.Run{}))(t)
	// Byte order, not a locale's: upper case before lower, é after z.
	want := []string{"B.example", "a.example", "b.example", "z.example", "é.example"}
	for _, site := range []string{"z.example", "é.example", "a.example", "B.example", "b.example"} {
		must(s.PutCrawlResult(ctx, store.CrawlResult{RunID: run.ID, Site: site, State: store.Done, Report: []byte(`{}`)}))(t)
	}
	must(s.PutCrawlResult(ctx, store.CrawlResult{RunID: other.ID, Site: "c.example", State: store.Done, Report: []byte(`{}`)}))(t)
	var got []string
	for p := (store.Page{Limit: 2}); ; {
		page := must(s.CrawlResults(ctx, run.ID, p))(t)
		if len(page) == 0 {
			break
		}
		for _, r := range page {
			if r.Report != nil {
				t.Errorf("listing carries %s's report", r.Site)
			}
			got = append(got, r.Site)
		}
		p.AfterKey = page[len(page)-1].Site
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("results %q, want %q", got, want)
	}
}

// testCrawlConcurrent races retried jobs of one site (on two handles): one
// result is stored.
func testCrawlConcurrent(t *testing.T, tg Target) {
	ctx := context.Background()
	s1, dsn := fresh(t, tg)
	s2 := open(t, dsn, store.Config{})
	run := must(s1.CreateRun(ctx, store.Run{Total: 1}))(t)
	var (
		wg     sync.WaitGroup
		stored atomic.Int32
	)
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := []store.Store{s1, s2}[i%2]
			ok, err := s.PutCrawlResult(ctx, store.CrawlResult{RunID: run.ID, Site: "a.example", State: store.Done,
				Attempt: i, Worker: fmt.Sprint("w", i), Report: []byte(fmt.Sprintf(`{"w":%d}`, i))})
			if err != nil {
				t.Errorf("worker %d: %v", i, err)
			}
			if ok {
				stored.Add(1)
			}
		}()
	}
	wg.Wait()
	if n := stored.Load(); n != 1 {
		t.Errorf("%d workers stored the result, want 1", n)
	}
	got := must(s1.CrawlResult(ctx, run.ID, "a.example"))(t)
	if string(got.Report) != fmt.Sprintf(`{"w":%d}`, got.Attempt) {
		t.Errorf("result mixes writers: attempt %d, report %s", got.Attempt, got.Report)
	}
	if st := must(s2.RunStats(ctx, run.ID))(t); st.Done != 1 || st.Failed != 0 {
		t.Errorf("stats %+v", st)
	}
}
