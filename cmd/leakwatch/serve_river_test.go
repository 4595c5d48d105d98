package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/browser/browsertest"
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
