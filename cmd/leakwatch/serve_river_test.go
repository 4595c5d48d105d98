package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/browser/browsertest"
	"github.com/leakwatch/leakwatch/internal/jobs"
	"github.com/leakwatch/leakwatch/internal/server"
	"github.com/leakwatch/leakwatch/internal/store"
)

// TestServeRiverQueue runs a live scan through `serve --queue river`:
// River takes the job from the SQLite database, the scan runs in Chromium,
// and its report is stored and served.
func TestServeRiverQueue(t *testing.T) {
	t.Parallel()
	browsertest.Chromium(t) // skips without Chromium
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, `<!doctype html><title>shop</title><p>hello</p>`)
	}))
	defer site.Close()
	p := startServe(t, t.TempDir(), "--allow-private-targets", "--queue", "river")
	token := waitToken(t, p)
	code, body := p.send(t, "POST", "/api/scans", token, `{"urls":["`+site.URL+`/"]}`)
	if code != 202 {
		t.Fatalf("submit: %d %s", code, body)
	}
	var sc struct {
		ID int64 `json:"id"`
	}
	_ = json.Unmarshal([]byte(body), &sc)
	var got struct {
		State string `json:"state"`
		Error string `json:"error"`
	}
	for deadline := time.Now().Add(120 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		_, body := p.send(t, "GET", fmt.Sprintf("/api/scans/%d", sc.ID), token, "")
		_ = json.Unmarshal([]byte(body), &got)
		if got.State == "done" || got.State == "failed" || got.State == "cancelled" {
			break
		}
	}
	if got.State != "done" {
		t.Fatalf("scan on the River queue: %+v, want done", got)
	}
	code, body = p.send(t, "GET", fmt.Sprintf("/api/scans/%d/report.json", sc.ID), token, "")
	if code != 200 || !strings.Contains(body, `"schema"`) {
		t.Fatalf("report: %d %.200s", code, body)
	}
}

func TestServeQueueFlag(t *testing.T) {
	t.Parallel()
	code, _, errOut := runCmd(t, "", "serve", "--data", t.TempDir(), "--queue", "kafka")
	if code != exitUsage || !strings.Contains(errOut, `--queue "kafka": want inline or river`) {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

// TestRiverScanRequest: a submitted scan runs with the request it was
// submitted with; a scheduled one (options naming only its slot) scans its
// site's URL.
func TestRiverScanRequest(t *testing.T) {
	t.Parallel()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "lw.db"), store.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	site, err := st.CreateSite(ctx, store.Site{URL: "https://shop.example/"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		options string
		want    string
	}{
		{`{"urls":["https://shop.example/cart"],"consent":"reject"}`, "https://shop.example/cart"},
		{`{"schedule":"@daily","slot":"2026-12-06T00:00:00Z"}`, "https://shop.example/"},
	} {
		sc, err := st.CreateScan(ctx, store.Scan{SiteID: site.ID, Options: json.RawMessage(c.options)})
		if err != nil {
			t.Fatal(err)
		}
		var got server.ScanRequest
		run := riverScan(st, func(_ context.Context, _ store.Scan, req server.ScanRequest) (store.Result, error) {
			got = req
			return store.Result{Report: []byte("{}")}, nil
		})
		if _, err := run(ctx, jobs.ScanSpec{ScanID: sc.ID, SiteID: site.ID, SiteURL: site.URL, Options: sc.Options}); err != nil {
			t.Fatal(err)
		}
		if len(got.URLs) != 1 || got.URLs[0] != c.want {
			t.Errorf("options %s: scanned %q, want %q", c.options, got.URLs, c.want)
		}
	}
}
