package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/browser/browsertest"
	"github.com/leakwatch/leakwatch/internal/store/pgtest"
)

// TestServeCrashResume kills the serving process with SIGKILL while it
// scans a slow page, starts it again on the same database, and checks that
// the scan then completes once, on a second attempt, with one report: on
// the inline queue (SQLite) and on River (SQLite, and PostgreSQL unless
// -short), where the restarted server's River rescues the dead job.
func TestServeCrashResume(t *testing.T) {
	t.Parallel()
	browsertest.Chromium(t) // skips without Chromium
	var pg *pgtest.Server
	if !testing.Short() {
		srv, err := pgtest.Start(context.Background())
		if err != nil {
			pgtest.Skip(t, err)
		}
		pg = srv
		t.Cleanup(func() { _ = pg.Stop(context.Background()) })
	}
	for _, c := range []struct {
		name, backend string
		args          []string
	}{
		{"inline/sqlite", "sqlite", nil},
		{"river/sqlite", "sqlite", []string{"--queue", queueRiver, "--scan-timeout", "40s", "--rescue-after", "45s"}},
		{"river/postgres", "postgres", []string{"--queue", queueRiver, "--scan-timeout", "40s", "--rescue-after", "45s"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir, args := t.TempDir(), append([]string{"--allow-private-targets"}, c.args...)
			if c.backend == "postgres" {
				if pg == nil {
					t.Skip("PostgreSQL: skipped with -short")
				}
				dsn, err := pg.NewDatabase(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				dir, args = "", append(args, "--database", dsn)
			}
			crashAndResume(t, dir, args)
		})
	}
}

func crashAndResume(t *testing.T, dir string, args []string) {
	var visits atomic.Int32
	stop := make(chan struct{})
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		if visits.Add(1) == 1 {
			select { // the first visit is still loading when the server dies
			case <-time.After(20 * time.Second):
			case <-r.Context().Done():
			case <-stop:
			}
		}
		fmt.Fprint(w, `<!doctype html><title>shop</title><img src="/pixel.gif">`)
	}))
	defer site.Close()
	defer close(stop)
	p := startServeEnv(t, dir, nil, args...)
	token := waitToken(t, p)
	code, body := p.send(t, "POST", "/api/scans", token, `{"urls":["`+site.URL+`/"]}`)
	if code != 202 {
		t.Fatalf("submit: %d %s", code, body)
	}
	var sc struct {
		ID int64 `json:"id"`
	}
	_ = json.Unmarshal([]byte(body), &sc)
	deadline := time.Now().Add(60 * time.Second)
	for visits.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if visits.Load() == 0 {
		t.Fatal("the scan never reached the site")
	}
	if err := p.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-p.done

	killed := time.Now()
	p2 := startServeEnv(t, dir, nil, args...)
	var got struct {
		State   string `json:"state"`
		Attempt int    `json:"attempt"`
		SiteID  int64  `json:"site_id"`
		Error   string `json:"error"`
	}
	for deadline := time.Now().Add(240 * time.Second); time.Now().Before(deadline); time.Sleep(250 * time.Millisecond) {
		_, body := p2.send(t, "GET", fmt.Sprintf("/api/scans/%d", sc.ID), token, "")
		_ = json.Unmarshal([]byte(body), &got)
		if got.State == "done" || got.State == "failed" || got.State == "cancelled" {
			break
		}
	}
	if got.State != "done" || got.Attempt != 2 {
		t.Fatalf("after restart: %+v, want done on attempt 2", got)
	}
	t.Logf("done %s after the kill", time.Since(killed).Round(time.Second))
	time.Sleep(2 * time.Second) // a duplicate run would store now
	if code, _ := p2.send(t, "GET", fmt.Sprintf("/api/scans/%d/report.json", sc.ID), token, ""); code != 200 {
		t.Fatalf("report: %d", code)
	}
	_, hist := p2.send(t, "GET", fmt.Sprintf("/api/sites/%d/scans", got.SiteID), token, "")
	if n := strings.Count(hist, `"state"`); n != 1 {
		t.Fatalf("site history holds %d scans, want 1: %s", n, hist)
	}
	_, again := p2.send(t, "GET", fmt.Sprintf("/api/scans/%d", sc.ID), token, "")
	if !strings.Contains(again, `"attempt": 2`) {
		t.Fatalf("the scan ran again after it was done: %s", again)
	}
	if n := visits.Load(); n != 2 {
		t.Errorf("the site was visited %d times, want 2 (the killed attempt and the one that finished)", n)
	}
	p2.stop(t)
}
