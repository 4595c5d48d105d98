package server

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/jobs"
	"github.com/leakwatch/leakwatch/internal/store"
)

// TestNotifyTargetsAPI: admins manage a site's targets; their URL path,
// secret and addresses are never returned; private URLs and missing keys
// are refused.
func TestNotifyTargetsAPI(t *testing.T) {
	t.Parallel()
	e := newEnvStore(t, "sqlite:"+filepath.Join(t.TempDir(), "db"), store.Config{Key: bytes.Repeat([]byte{7}, 32)})
	var site siteView
	e.must(201, "POST", "/api/sites", store.RoleScan, map[string]string{"url": "https://shop.example/"}, &site)
	base := "/api/sites/" + itoa(site.ID) + "/notifications"
	hook := NotifyRequest{Kind: "webhook", URL: "https://hooks.example.net/T0/B0/pathsecret", Secret: "0123456789abcdef-secret"}
	e.must(403, "POST", base, store.RoleScan, hook, nil)
	var v notifyView
	body := e.must(201, "POST", base, store.RoleAdmin, hook, &v)
	if v.Label != "https://hooks.example.net/…" || !v.Signed || v.Kind != "webhook" {
		t.Errorf("target %+v", v)
	}
	e.must(201, "POST", base, store.RoleAdmin, NotifyRequest{Kind: "email", Emails: []string{"dpo@shop.example"}}, nil)
	list := e.must(200, "GET", base, store.RoleAdmin, nil, nil)
	for _, secret := range []string{"pathsecret", hook.Secret} {
		if bytes.Contains(body, []byte(secret)) || bytes.Contains(list, []byte(secret)) {
			t.Errorf("%q shown by the API: %s %s", secret, body, list)
		}
	}
	for _, c := range []struct {
		name string
		req  NotifyRequest
		want int
	}{
		{"private address", NotifyRequest{Kind: "webhook", URL: "http://127.0.0.1:9/hook"}, 422},
		{"metadata address", NotifyRequest{Kind: "webhook", URL: "http://169.254.169.254/latest"}, 422},
		{"not http", NotifyRequest{Kind: "webhook", URL: "file:///etc/passwd"}, 400},
		{"short secret", NotifyRequest{Kind: "webhook", URL: hook.URL, Secret: "x"}, 400},
		{"signed slack", NotifyRequest{Kind: "slack", URL: hook.URL, Secret: hook.Secret}, 400},
		{"named address", NotifyRequest{Kind: "email", Emails: []string{"Jane <jane@shop.example>"}}, 400},
		{"header injection", NotifyRequest{Kind: "email", Emails: []string{"a@b.example\r\nBcc: c@d.example"}}, 400},
		{"unknown kind", NotifyRequest{Kind: "pager"}, 400},
	} {
		if code, b := e.do("POST", base, store.RoleAdmin, c.req); code != c.want {
			t.Errorf("%s: %d %s, want %d", c.name, code, b, c.want)
		}
	}
	e.must(200, "PUT", base+"/"+itoa(v.ID), store.RoleAdmin, NotifyRequest{Kind: "slack", URL: "https://slack.example/x"}, &v)
	if v.Signed || v.Kind != "slack" {
		t.Errorf("replaced %+v", v)
	}
	e.must(204, "DELETE", base+"/"+itoa(v.ID), store.RoleAdmin, nil, nil)
	e.must(404, "DELETE", base+"/"+itoa(v.ID), store.RoleAdmin, nil, nil)
	e.must(404, "GET", "/api/sites/999/notifications", store.RoleAdmin, nil, nil)

	noKey := newEnv(t)
	noKey.must(201, "POST", "/api/sites", store.RoleScan, map[string]string{"url": "https://shop.example/"}, &site)
	if code, b := noKey.do("POST", "/api/sites/"+itoa(site.ID)+"/notifications", store.RoleAdmin, hook); code != 409 || !strings.Contains(string(b), store.KeyEnv) {
		t.Errorf("without a key: %d %s", code, b)
	}
}

// receiver is a webhook endpoint recording the signed deliveries it gets.
type receiver struct {
	mu     sync.Mutex
	bodies [][]byte
	bad    int
	secret []byte
}

func (h *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	defer h.mu.Unlock()
	if !jobs.Verify(h.secret, b, r.Header.Get(jobs.SignatureHeader)) {
		h.bad++
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	h.bodies = append(h.bodies, b)
}

func (h *receiver) got() (good [][]byte, bad int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([][]byte(nil), h.bodies...), h.bad
}

// TestInlineNotify: on the default inline queue, a second scan of a site
// that adds companies sends one signed webhook naming them; the first scan
// (nothing to compare with) sends none.
func TestInlineNotify(t *testing.T) {
	t.Parallel()
	rcv := &receiver{secret: []byte("0123456789abcdef-secret")}
	hook := httptest.NewServer(rcv)
	defer hook.Close()
	e := newEnvStore(t, "sqlite:"+filepath.Join(t.TempDir(), "db"), store.Config{Key: bytes.Repeat([]byte{7}, 32)},
		func(c *Config) {
			c.AllowPrivateTargets = true
			n := &jobs.Notifier{Store: c.Store, Targets: jobs.StoredTargets(c.Store), Backoff: 10 * time.Millisecond,
				Deliverer: jobs.Deliverer{Client: hook.Client()}}
			c.Notify = n.Notify
		})
	var site siteView
	e.must(201, "POST", "/api/sites", store.RoleScan, map[string]string{"url": "https://shop.example/"}, &site)
	e.must(201, "POST", "/api/sites/"+itoa(site.ID)+"/notifications", store.RoleAdmin,
		NotifyRequest{Kind: "webhook", URL: hook.URL + "/hook", Secret: string(rcv.secret)}, nil)
	for i, har := range []string{"harviewer-no-pages.har", "health-shop-mylabbox.har"} {
		var sc scanView
		e.must(202, "POST", "/api/scans", store.RoleScan, ScanRequest{SiteID: site.ID, URLs: []string{harURL(har)}}, &sc)
		if v := e.waitScan(sc.ID); v.State != store.Done {
			t.Fatalf("scan %d: %+v", i, v)
		}
		if i == 0 {
			time.Sleep(100 * time.Millisecond)
			if good, _ := rcv.got(); len(good) != 0 {
				t.Fatalf("the first scan sent %d notifications", len(good))
			}
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for good, _ := rcv.got(); len(good) == 0 && time.Now().Before(deadline); good, _ = rcv.got() {
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
	good, bad := rcv.got()
	if len(good) != 1 || bad != 0 || !bytes.Contains(good[0], []byte(`"new_companies"`)) || !bytes.Contains(good[0], []byte(jobs.Event)) {
		t.Fatalf("deliveries %d (%d badly signed): %.300s", len(good), bad, good)
	}
}

// TestMetricsAccess: /metrics needs the metrics token or an API token,
// unless the server makes it public.
func TestMetricsAccess(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name   string
		public bool
		token  string // the configured metrics token
		send   string // the bearer sent
		want   int
	}{
		{name: "no token", want: 401},
		{name: "wrong token", token: "scrape-secret-1234", send: "nope", want: 401},
		{name: "metrics token", token: "scrape-secret-1234", send: "scrape-secret-1234", want: 200},
		{name: "metrics token not configured", send: "scrape-secret-1234", want: 401},
		{name: "public", public: true, want: 200},
	} {
		e := newEnv(t, func(cfg *Config) { cfg.MetricsPublic, cfg.MetricsToken = c.public, c.token })
		req, _ := http.NewRequest("GET", e.ts.URL+"/metrics", nil)
		if c.send != "" {
			req.Header.Set("Authorization", "Bearer "+c.send)
		}
		res, err := e.ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != c.want {
			t.Errorf("%s: %d, want %d", c.name, res.StatusCode, c.want)
		}
	}
}

// TestNotifyResume: a scan whose notifications were pending when the
// server died gets them sent by the next server's Start, and its mark is
// cleared.
func TestNotifyResume(t *testing.T) {
	t.Parallel()
	rcv := &receiver{secret: []byte("0123456789abcdef-secret")}
	hook := httptest.NewServer(rcv)
	defer hook.Close()
	e := newEnvStore(t, "sqlite:"+filepath.Join(t.TempDir(), "db"), store.Config{Key: bytes.Repeat([]byte{7}, 32)},
		func(c *Config) { c.AllowPrivateTargets = true }) // no Notify: nothing sent
	var site siteView
	e.must(201, "POST", "/api/sites", store.RoleScan, map[string]string{"url": "https://shop.example/"}, &site)
	e.must(201, "POST", "/api/sites/"+itoa(site.ID)+"/notifications", store.RoleAdmin,
		NotifyRequest{Kind: "webhook", URL: hook.URL + "/hook", Secret: string(rcv.secret)}, nil)
	var last scanView
	for _, har := range []string{"harviewer-no-pages.har", "health-shop-mylabbox.har"} {
		e.must(202, "POST", "/api/scans", store.RoleScan, ScanRequest{SiteID: site.ID, URLs: []string{harURL(har)}}, &last)
		e.waitScan(last.ID)
	}
	ctx := context.Background()
	if err := e.st.MarkNotifyPending(ctx, last.ID); err != nil { // as a crash after storing leaves it
		t.Fatal(err)
	}
	n := &jobs.Notifier{Store: e.st, Targets: jobs.StoredTargets(e.st), Deliverer: jobs.Deliverer{Client: hook.Client()}}
	srv, err := New(Config{Store: e.st, Notify: n.Notify, AllowPrivateTargets: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(ctx); err != nil {
		t.Fatal(err)
	}
	sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	deadline := time.Now().Add(20 * time.Second)
	for good, _ := rcv.got(); len(good) == 0 && time.Now().Before(deadline); good, _ = rcv.got() {
		time.Sleep(20 * time.Millisecond)
	}
	if err := srv.Stop(sctx); err != nil {
		t.Fatal(err)
	}
	if good, bad := rcv.got(); len(good) != 1 || bad != 0 {
		t.Fatalf("%d deliveries (%d badly signed), want 1", len(good), bad)
	}
	if left, err := e.st.PendingNotifications(ctx, store.Page{}); err != nil || len(left) != 0 {
		t.Fatalf("still pending: %v %v", left, err)
	}
}
