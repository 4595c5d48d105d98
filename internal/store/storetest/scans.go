package storetest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/leakwatch/leakwatch/internal/store"
)

func testScanLifecycle(t *testing.T, tg Target) {
	ctx := context.Background()
	s, _ := fresh(t, tg)
	site := mkSite(t, s, "https://a.example/")
	opts := json.RawMessage(`{"urls":["https://a.example/"],"persona":"p1"}`)
	sc := must(s.CreateScan(ctx, store.Scan{SiteID: site.ID, Consent: "reject", Options: opts}))(t)
	if sc.State != store.Queued || sc.Attempt != 0 || sc.Consent != "reject" || !bytes.Equal(sc.Options, opts) || sc.Created.IsZero() || !sc.Started.IsZero() {
		t.Errorf("created scan %+v", sc)
	}
	_, err := s.Report(ctx, sc.ID)
	wantErr(t, "report before the scan finished", err, store.ErrNotFound)
	for want := 1; want <= 2; want++ { // a retried job starts again
		st := must(s.StartScan(ctx, sc.ID))(t)
		if st.State != store.Running || st.Attempt != want || st.Started.IsZero() {
			t.Errorf("start %d: %+v", want, st)
		}
	}
	rep, har := []byte(`{"findings":[{"company":"Meta"}]}`), []byte(`{"log":{"entries":[]}}`)
	if !must(s.FinishScan(ctx, sc.ID, store.Result{Report: rep, HAR: har}))(t) {
		t.Error("first FinishScan stored nothing")
	}
	if must(s.FinishScan(ctx, sc.ID, store.Result{Report: []byte(`{"other":1}`)}))(t) {
		t.Error("second FinishScan stored again")
	}
	got := must(s.Scan(ctx, sc.ID))(t)
	if got.State != store.Done || got.Finished.IsZero() || got.Attempt != 2 || got.Finished.Before(got.Started) {
		t.Errorf("finished scan %+v", got)
	}
	if b := must(s.Report(ctx, sc.ID))(t); !bytes.Equal(b, rep) {
		t.Errorf("report %s, want %s", b, rep)
	}
	if b := must(s.HAR(ctx, sc.ID))(t); !bytes.Equal(b, har) {
		t.Errorf("HAR %s, want %s", b, har)
	}
	_, err = s.StartScan(ctx, sc.ID)
	wantErr(t, "start a done scan", err, store.ErrConflict)
	_, err = s.EndScan(ctx, sc.ID, store.Cancelled, "late")
	wantErr(t, "cancel a done scan", err, store.ErrConflict)

	adhoc := must(s.CreateScan(ctx, store.Scan{}))(t)
	if adhoc.SiteID != 0 || string(adhoc.Options) != "{}" {
		t.Errorf("scan of no site %+v", adhoc)
	}
	must(s.FinishScan(ctx, adhoc.ID, store.Result{Report: []byte(`[]`)}))(t)
	_, err = s.HAR(ctx, adhoc.ID)
	wantErr(t, "HAR never stored", err, store.ErrNotFound)
}

func testScanEnd(t *testing.T, tg Target) {
	ctx := context.Background()
	s, _ := fresh(t, tg)
	for _, c := range []struct {
		state, other store.State
		start        bool
	}{
		{store.Cancelled, store.Failed, false},
		{store.Failed, store.Cancelled, true},
	} {
		sc := must(s.CreateScan(ctx, store.Scan{}))(t)
		if c.start {
			must(s.StartScan(ctx, sc.ID))(t)
		}
		got := must(s.EndScan(ctx, sc.ID, c.state, "chromium crashed"))(t)
		if got.State != c.state || got.Error != "chromium crashed" || got.Finished.IsZero() {
			t.Errorf("ended scan %+v", got)
		}
		again := must(s.EndScan(ctx, sc.ID, c.state, "again"))(t)
		if again.Error != "chromium crashed" {
			t.Errorf("ending again changed the scan: %+v", again)
		}
		_, err := s.EndScan(ctx, sc.ID, c.other, "")
		wantErr(t, fmt.Sprintf("%s after %s", c.other, c.state), err, store.ErrConflict)
		_, err = s.FinishScan(ctx, sc.ID, store.Result{Report: []byte(`{}`)})
		wantErr(t, "finish a "+string(c.state)+" scan", err, store.ErrConflict)
		_, err = s.StartScan(ctx, sc.ID)
		wantErr(t, "start a "+string(c.state)+" scan", err, store.ErrConflict)
		_, err = s.Report(ctx, sc.ID)
		wantErr(t, "report of a "+string(c.state)+" scan", err, store.ErrNotFound)
	}
}

func testScanErrors(t *testing.T, tg Target) {
	ctx := context.Background()
	s, _ := fresh(t, tg)
	const none = 424242
	_, err := s.Scan(ctx, none)
	wantErr(t, "Scan", err, store.ErrNotFound)
	_, err = s.StartScan(ctx, none)
	wantErr(t, "StartScan", err, store.ErrNotFound)
	_, err = s.EndScan(ctx, none, store.Failed, "")
	wantErr(t, "EndScan", err, store.ErrNotFound)
	_, err = s.FinishScan(ctx, none, store.Result{Report: []byte(`{}`)})
	wantErr(t, "FinishScan", err, store.ErrNotFound)
	_, err = s.Report(ctx, none)
	wantErr(t, "Report", err, store.ErrNotFound)
	_, err = s.CreateScan(ctx, store.Scan{SiteID: none})
	wantErr(t, "scan of an unknown site", err, store.ErrNotFound)
	_, err = s.CreateScan(ctx, store.Scan{Options: json.RawMessage(`{"a":`)})
	wantErr(t, "options not JSON", err, store.ErrInvalid)
	sc := must(s.CreateScan(ctx, store.Scan{}))(t)
	for _, rep := range []string{"", "not json", `{"a":1`} {
		_, err = s.FinishScan(ctx, sc.ID, store.Result{Report: []byte(rep)})
		wantErr(t, fmt.Sprintf("report %q", rep), err, store.ErrInvalid)
	}
	_, err = s.EndScan(ctx, sc.ID, store.Done, "")
	wantErr(t, "EndScan done", err, store.ErrInvalid)
	if got := must(s.Scan(ctx, sc.ID))(t); got.State != store.Queued {
		t.Errorf("refused calls changed the scan: %+v", got)
	}
}

func testHistory(t *testing.T, tg Target) {
	ctx := context.Background()
	s, _ := fresh(t, tg)
	a, b, empty := mkSite(t, s, "https://a.example/"), mkSite(t, s, "https://b.example/"), mkSite(t, s, "https://c.example/")
	var want []int64
	for i := range 7 {
		want = append([]int64{must(s.CreateScan(ctx, store.Scan{SiteID: a.ID}))(t).ID}, want...)
		if i%2 == 0 {
			must(s.CreateScan(ctx, store.Scan{SiteID: b.ID}))(t)
		}
	}
	var got []int64
	p := store.Page{Limit: 3}
	for {
		page := must(s.History(ctx, a.ID, p))(t)
		if len(page) == 0 {
			break
		}
		for _, sc := range page {
			if sc.SiteID != a.ID {
				t.Errorf("history of site %d holds scan %d of site %d", a.ID, sc.ID, sc.SiteID)
			}
			got = append(got, sc.ID)
		}
		p.After = page[len(page)-1].ID
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("history %v, want newest first %v", got, want)
	}
	if h := must(s.History(ctx, empty.ID, store.Page{}))(t); len(h) != 0 {
		t.Errorf("history of a site without scans: %v", h)
	}
	_, err := s.History(ctx, 9999, store.Page{})
	wantErr(t, "history of an unknown site", err, store.ErrNotFound)
}

func testLastFinished(t *testing.T, tg Target) {
	ctx := context.Background()
	s, _ := fresh(t, tg)
	site := mkSite(t, s, "https://a.example/")
	_, err := s.LastFinished(ctx, site.ID)
	wantErr(t, "no scans", err, store.ErrNotFound)
	first := must(s.CreateScan(ctx, store.Scan{SiteID: site.ID}))(t)
	second := must(s.CreateScan(ctx, store.Scan{SiteID: site.ID}))(t)
	failed := must(s.CreateScan(ctx, store.Scan{SiteID: site.ID}))(t)
	must(s.FinishScan(ctx, second.ID, store.Result{Report: []byte(`{"n":2}`)}))(t)
	must(s.FinishScan(ctx, first.ID, store.Result{Report: []byte(`{"n":1}`)}))(t)
	must(s.EndScan(ctx, failed.ID, store.Failed, "timeout"))(t)
	must(s.CreateScan(ctx, store.Scan{SiteID: site.ID}))(t)
	if got := must(s.LastFinished(ctx, site.ID))(t); got.ID != first.ID {
		t.Errorf("last finished scan %d, want %d (finished last, created first)", got.ID, first.ID)
	}
}

func testListScans(t *testing.T, tg Target) {
	ctx := context.Background()
	s, _ := fresh(t, tg)
	site := mkSite(t, s, "https://a.example/")
	var all, running []int64
	for i := range 5 {
		sc := must(s.CreateScan(ctx, store.Scan{SiteID: site.ID * int64(i%2)}))(t)
		all = append([]int64{sc.ID}, all...)
		if i%2 == 0 {
			must(s.StartScan(ctx, sc.ID))(t)
			running = append([]int64{sc.ID}, running...)
		}
	}
	for _, c := range []struct {
		state store.State
		want  []int64
	}{
		{"", all},
		{store.Running, running},
		{store.Done, nil},
	} {
		var got []int64
		for p := (store.Page{Limit: 2}); ; {
			page := must(s.ListScans(ctx, c.state, p))(t)
			if len(page) == 0 {
				break
			}
			for _, sc := range page {
				got = append(got, sc.ID)
			}
			p.After = page[len(page)-1].ID
		}
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("scans in state %q: %v, want %v", c.state, got, c.want)
		}
	}
	_, err := s.ListScans(ctx, "paused", store.Page{})
	wantErr(t, "unknown state", err, store.ErrInvalid)
}
