package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/browser/browsertest"
	"github.com/leakwatch/leakwatch/internal/jobs"
	"github.com/leakwatch/leakwatch/internal/store"
	"github.com/leakwatch/leakwatch/internal/store/pgtest"
)

// testStoreKey is the LEAKWATCH_STORE_KEY of the serving processes here.
const testStoreKey = store.KeyEnv + "=4242424242424242424242424242424242424242424242424242424242424242"

// hookReceiver is a webhook endpoint that checks each delivery's signature.
type hookReceiver struct {
	secret string
	mu     sync.Mutex
	good   []delivery
	bad    int
}

type delivery struct {
	id   string
	body []byte
}

func (h *hookReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	defer h.mu.Unlock()
	if r.Header.Get(jobs.EventHeader) != jobs.Event || !jobs.Verify([]byte(h.secret), b, r.Header.Get(jobs.SignatureHeader)) {
		h.bad++
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	h.good = append(h.good, delivery{id: r.Header.Get(jobs.DeliveryHeader), body: b})
}

func (h *hookReceiver) got() ([]delivery, int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]delivery(nil), h.good...), h.bad
}

// TestServeNotify runs the real binary with the demo site on both queues
// (SQLite, and PostgreSQL unless -short): a site with a signed webhook is
// scanned twice, first a page of the demo site that loads no tag, then its
// home page with consent accepted; the receiver gets one correctly signed
// notification naming the companies the second scan added.
func TestServeNotify(t *testing.T) {
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
	for _, c := range []struct{ name, queue, backend string }{
		{"inline/sqlite", queueInline, "sqlite"}, {"river/sqlite", queueRiver, "sqlite"},
		{"inline/postgres", queueInline, "postgres"}, {"river/postgres", queueRiver, "postgres"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir, args := t.TempDir(), []string{"--demo", "--allow-private-targets", "--queue", c.queue}
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
			p := startServeEnv(t, dir, []string{testStoreKey}, args...)
			checkNotifyOnce(t, p, waitToken(t, p))
			p.stop(t)
		})
	}
}

func checkNotifyOnce(t *testing.T, p *servingProcess, token string) {
	t.Helper()
	rcv := &hookReceiver{secret: "whsec-0123456789abcdef"}
	hook := httptest.NewServer(rcv)
	defer hook.Close()
	var site, target struct{ ID int64 }
	mustJSON(t, p, 201, "POST", "/api/sites", token, `{"url":"https://www.parcelpost.test/"}`, &site)
	mustJSON(t, p, 201, "POST", fmt.Sprintf("/api/sites/%d/notifications", site.ID), token,
		`{"kind":"webhook","url":"`+hook.URL+`/hook","secret":"`+rcv.secret+`"}`, &target)
	var scans []int64
	for _, req := range []string{
		`{"site_id":%d,"urls":["https://www.parcelpost.test/.well-known/gpc.json"]}`,
		`{"site_id":%d,"urls":["https://www.parcelpost.test/"],"consent":"accept"}`,
	} {
		var sc struct{ ID int64 }
		mustJSON(t, p, 202, "POST", "/api/scans", token, fmt.Sprintf(req, site.ID), &sc)
		if st := waitDone(t, p, token, sc.ID); st != "done" {
			t.Fatalf("scan %d ended %s", sc.ID, st)
		}
		scans = append(scans, sc.ID)
		if len(scans) == 1 {
			time.Sleep(time.Second) // nothing to compare with: nothing sent
			if good, bad := rcv.got(); len(good)+bad != 0 {
				t.Fatalf("the first scan sent %d notifications", len(good)+bad)
			}
		}
	}
	deadline := time.Now().Add(60 * time.Second)
	for good, _ := rcv.got(); len(good) == 0 && time.Now().Before(deadline); good, _ = rcv.got() {
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(3 * time.Second) // a second delivery would come now
	good, bad := rcv.got()
	if len(good) != 1 || bad != 0 {
		t.Fatalf("%d signed deliveries and %d badly signed, want exactly 1", len(good), bad)
	}
	var body struct {
		Event  string
		Notice jobs.Notice
	}
	if err := json.Unmarshal(good[0].body, &body); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range body.Notice.NewCompanies {
		names = append(names, c.Company)
	}
	if body.Notice.ScanID != scans[1] || body.Notice.Against != scans[0] || !strings.Contains(strings.Join(names, ","), "Meta") {
		t.Errorf("notice %+v, new companies %v", body.Notice, names)
	}
	if want := jobs.DeliveryID(scans[1], target.ID); good[0].id != want {
		t.Errorf("delivery id %q, want %q", good[0].id, want)
	}
}

func mustJSON(t *testing.T, p *servingProcess, want int, method, path, token, body string, out any) {
	t.Helper()
	code, resp := p.send(t, method, path, token, body)
	if code != want {
		t.Fatalf("%s %s: %d %s, want %d", method, path, code, resp, want)
	}
	if out != nil {
		if err := json.Unmarshal([]byte(resp), out); err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
	}
}

// waitDone polls a scan until it is final and returns its state.
func waitDone(t *testing.T, p *servingProcess, token string, id int64) string {
	t.Helper()
	var got struct{ State, Error string }
	for deadline := time.Now().Add(150 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		_, body := p.send(t, "GET", fmt.Sprintf("/api/scans/%d", id), token, "")
		_ = json.Unmarshal([]byte(body), &got)
		if got.State == "done" || got.State == "failed" || got.State == "cancelled" {
			if got.State != "done" {
				t.Logf("scan %d: %s", id, got.Error)
			}
			return got.State
		}
	}
	t.Fatalf("scan %d did not finish: %+v", id, got)
	return ""
}
