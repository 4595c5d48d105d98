package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/leakwatch/leakwatch/internal/store"
)

// testExport walks a run of more results than one page holds: every
// result once, in site byte order, reports included, other runs left out.
func testExport(t *testing.T, tg Target) {
	ctx := context.Background()
	s, _ := fresh(t, tg)
	run := must(s.CreateRun(ctx, store.Run{Total: 40}))(t)
	other := must(s.CreateRun(ctx, store.Run{}))(t)
	var want []string
	for i := range 37 {
		site := fmt.Sprintf("site%02d.example", i)
		want = append(want, site)
		r := store.CrawlResult{RunID: run.ID, Site: site, Rank: i + 1, State: store.Done, Attempt: 1, Worker: "w",
			Report: []byte(fmt.Sprintf(`{"site":%q}`, site))}
		if i%5 == 0 {
			r.State, r.Report, r.Error = store.Failed, nil, "net::ERR_NAME_NOT_RESOLVED"
		}
		must(s.PutCrawlResult(ctx, r))(t)
	}
	must(s.PutCrawlResult(ctx, store.CrawlResult{RunID: other.ID, Site: "site00.example", State: store.Done, Report: []byte(`{}`)}))(t)
	var got []string
	noErr(t, s.EachCrawlResult(ctx, run.ID, func(r store.CrawlResult) error {
		got = append(got, r.Site)
		switch {
		case r.RunID != run.ID:
			t.Errorf("%s: run %d, want %d", r.Site, r.RunID, run.ID)
		case r.State == store.Done && string(r.Report) != fmt.Sprintf(`{"site":%q}`, r.Site):
			t.Errorf("%s: report %s", r.Site, r.Report)
		case r.State == store.Failed && (r.Report != nil || r.Error == ""):
			t.Errorf("%s: failed result %+v", r.Site, r)
		case r.Rank == 0 || r.Finished.IsZero():
			t.Errorf("%s: result %+v", r.Site, r)
		}
		// The walk lets fn use the store (SQLite has one connection).
		_, err := s.RunStats(ctx, run.ID)
		return err
	}))
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("walked %q, want %q", got, want)
	}
	stop := errors.New("stop")
	n := 0
	err := s.EachCrawlResult(ctx, run.ID, func(store.CrawlResult) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("fn's error: got %v after %d calls", err, n)
	}
	empty := must(s.CreateRun(ctx, store.Run{}))(t)
	noErr(t, s.EachCrawlResult(ctx, empty.ID, func(r store.CrawlResult) error {
		t.Errorf("empty run yields %s", r.Site)
		return nil
	}))
	err = s.EachCrawlResult(ctx, 9999, func(store.CrawlResult) error { return nil })
	wantErr(t, "unknown run", err, store.ErrNotFound)
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	err = s.EachCrawlResult(cctx, run.ID, func(store.CrawlResult) error { return nil })
	wantErr(t, "cancelled", err, context.Canceled)
}
