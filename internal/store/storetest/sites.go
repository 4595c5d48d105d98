package storetest

import (
	"context"
	"testing"

	"github.com/leakwatch/leakwatch/internal/store"
)

func testSites(t *testing.T, tg Target) {
	ctx := context.Background()
	s, _ := fresh(t, tg)
	a := must(s.CreateSite(ctx, store.Site{URL: "https://a.example/", Name: "A", Schedule: "0 3 * * *"}))(t)
	if a.ID == 0 || a.Created.IsZero() || a.Name != "A" || a.Schedule != "0 3 * * *" {
		t.Errorf("created site %+v", a)
	}
	_, err := s.CreateSite(ctx, store.Site{URL: "https://a.example/"})
	wantErr(t, "duplicate URL", err, store.ErrConflict)
	_, err = s.CreateSite(ctx, store.Site{URL: " "})
	wantErr(t, "empty URL", err, store.ErrInvalid)
	if got := must(s.Site(ctx, a.ID))(t); got != a {
		t.Errorf("Site = %+v, want %+v", got, a)
	}
	if got := must(s.SiteByURL(ctx, a.URL))(t); got != a {
		t.Errorf("SiteByURL = %+v, want %+v", got, a)
	}
	_, err = s.Site(ctx, a.ID+100)
	wantErr(t, "unknown site", err, store.ErrNotFound)
	_, err = s.SiteByURL(ctx, "https://none.example/")
	wantErr(t, "unknown URL", err, store.ErrNotFound)

	for _, u := range []string{"https://b.example/", "https://c.example/", "https://d.example/", "https://e.example/"} {
		mkSite(t, s, u)
	}
	var urls []string
	for p := (store.Page{Limit: 2}); ; {
		page := must(s.ListSites(ctx, p))(t)
		if len(page) == 0 {
			break
		}
		if len(page) > 2 {
			t.Fatalf("page of %d sites, limit 2", len(page))
		}
		for _, x := range page {
			urls = append(urls, x.URL)
		}
		p.After = page[len(page)-1].ID
	}
	if len(urls) != 5 || urls[0] != "https://a.example/" || urls[4] != "https://e.example/" {
		t.Errorf("paged sites %v, want a..e in creation order", urls)
	}

	a.Name, a.Schedule = "A2", ""
	up := must(s.UpdateSite(ctx, a))(t)
	if up.Name != "A2" || up.Schedule != "" || !up.Updated.After(a.Updated) {
		t.Errorf("updated site %+v", up)
	}
	_, err = s.UpdateSite(ctx, store.Site{ID: 9999, URL: "x"})
	wantErr(t, "update unknown site", err, store.ErrNotFound)

	sc := doneScan(t, s, a.ID, `{}`)
	noErr(t, s.DeleteSite(ctx, a.ID))
	_, err = s.Site(ctx, a.ID)
	wantErr(t, "deleted site", err, store.ErrNotFound)
	_, err = s.Scan(ctx, sc.ID)
	wantErr(t, "scan of a deleted site", err, store.ErrNotFound)
	_, err = s.Report(ctx, sc.ID)
	wantErr(t, "report of a deleted site", err, store.ErrNotFound)
	wantErr(t, "delete again", s.DeleteSite(ctx, a.ID), store.ErrNotFound)
}

func testBaseline(t *testing.T, tg Target) {
	ctx := context.Background()
	s, _ := fresh(t, tg)
	a, b := mkSite(t, s, "https://a.example/"), mkSite(t, s, "https://b.example/")
	_, err := s.CreateSite(ctx, store.Site{URL: "https://c.example/", Baseline: 1})
	wantErr(t, "new site with a baseline", err, store.ErrInvalid)
	done := doneScan(t, s, a.ID, `{"n":1}`)
	queued := must(s.CreateScan(ctx, store.Scan{SiteID: a.ID}))(t)
	other := doneScan(t, s, b.ID, `{"n":2}`)
	for _, c := range []struct {
		name     string
		baseline int64
		want     error
	}{
		{"unknown scan", 9999, store.ErrNotFound},
		{"queued scan", queued.ID, store.ErrConflict},
		{"another site's scan", other.ID, store.ErrConflict},
		{"done scan", done.ID, nil},
		{"none", 0, nil},
	} {
		a.Baseline = c.baseline
		got, err := s.UpdateSite(ctx, a)
		wantErr(t, c.name, err, c.want)
		if c.want == nil && got.Baseline != c.baseline {
			t.Errorf("%s: baseline %d, want %d", c.name, got.Baseline, c.baseline)
		}
	}
}
