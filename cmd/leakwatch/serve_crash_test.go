package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/browser/browsertest"
)

// TestServeCrashResume kills the serving process with SIGKILL while it
// scans a slow page, starts it again on the same data, and checks that the
// scan then completes once, on a second attempt, with one report.
func TestServeCrashResume(t *testing.T) {
	t.Parallel()
	browsertest.Chromium(t) // skips without Chromium
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
	dir := t.TempDir()
	p := startServe(t, dir, "--allow-private-targets")
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

	p2 := startServe(t, dir, "--allow-private-targets")
	var got struct {
		State   string `json:"state"`
		Attempt int    `json:"attempt"`
		SiteID  int64  `json:"site_id"`
		Error   string `json:"error"`
	}
	for deadline := time.Now().Add(120 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		_, body := p2.send(t, "GET", fmt.Sprintf("/api/scans/%d", sc.ID), token, "")
		_ = json.Unmarshal([]byte(body), &got)
		if got.State == "done" || got.State == "failed" || got.State == "cancelled" {
			break
		}
	}
	if got.State != "done" || got.Attempt != 2 {
		t.Fatalf("after restart: %+v, want done on attempt 2", got)
	}
	if code, _ := p2.send(t, "GET", fmt.Sprintf("/api/scans/%d/report.json", sc.ID), token, ""); code != 200 {
		t.Fatalf("report: %d", code)
	}
	_, hist := p2.send(t, "GET", fmt.Sprintf("/api/sites/%d/scans", got.SiteID), token, "")
	if n := strings.Count(hist, `"state"`); n != 1 {
		t.Fatalf("site history holds %d scans, want 1: %s", n, hist)
	}
	p2.stop(t)
}
