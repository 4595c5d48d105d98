package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/audit"
	"github.com/leakwatch/leakwatch/internal/har"
	"github.com/leakwatch/leakwatch/internal/party"
	"github.com/leakwatch/leakwatch/internal/sharedtest"
	"github.com/leakwatch/leakwatch/internal/store"
)

// classifier is built once per test binary: the embedded entity data is
// large.
var classifier = sync.OnceValues(func() (*party.Classifier, error) {
	return party.NewClassifier(context.Background(), party.Options{})
})

// harScanner is a real ScanFunc for tests: a scan's first URL names a HAR
// of the shared test data by its last path segment
// (https://shop.example/health-shop-mylabbox.har), which is analysed with
// internal/audit as a live capture would be. gate, when set, holds each
// scan until it is closed or the scan is cancelled.
type harScanner struct {
	dir  string
	gate chan struct{}
}

func newHARScanner(t testing.TB) *harScanner {
	t.Helper()
	return &harScanner{dir: sharedtest.Path(t, "har")}
}

func (h *harScanner) scan(ctx context.Context, _ store.Scan, req ScanRequest) (store.Result, error) {
	if h.gate != nil {
		select {
		case <-h.gate:
		case <-ctx.Done():
			return store.Result{}, ctx.Err()
		}
	}
	if len(req.URLs) == 0 {
		return store.Result{}, fmt.Errorf("no URL")
	}
	u, err := url.Parse(req.URLs[0])
	if err != nil {
		return store.Result{}, err
	}
	name := path.Base(u.Path)
	if !strings.HasSuffix(name, ".har") {
		return store.Result{}, fmt.Errorf("%s names no HAR", req.URLs[0])
	}
	data, err := os.ReadFile(filepath.Join(h.dir, name))
	if err != nil {
		return store.Result{}, err
	}
	capture, err := har.Read(ctx, bytes.NewReader(data), har.Options{})
	if err != nil {
		return store.Result{}, err
	}
	capture.Source = name
	cl, err := classifier()
	if err != nil {
		return store.Result{}, err
	}
	rep, err := audit.Run(ctx, audit.Options{Classifier: cl, Tool: audit.Tool{Name: "leakwatch", Version: "test"}}, capture)
	if err != nil {
		return store.Result{}, err
	}
	js, err := json.Marshal(rep)
	if err != nil {
		return store.Result{}, err
	}
	return store.Result{Report: js, HAR: data}, nil
}

// env is a server on a real SQLite file behind httptest, with one token of
// each role.
type env struct {
	t      testing.TB
	srv    *Server
	ts     *httptest.Server
	st     store.Store
	dsn    string
	tokens map[store.Role]string
	scan   *harScanner
}

type envOption func(*Config)

func newEnv(t testing.TB, opts ...envOption) *env {
	t.Helper()
	return newEnvDSN(t, "sqlite:"+filepath.Join(t.TempDir(), "leakwatch.db"), opts...)
}

func newEnvDSN(t testing.TB, dsn string, opts ...envOption) *env {
	t.Helper()
	return newEnvStore(t, dsn, store.Config{}, opts...)
}

func newEnvStore(t testing.TB, dsn string, sc store.Config, opts ...envOption) *env {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dsn, sc)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, st: st, dsn: dsn, tokens: map[store.Role]string{}, scan: newHARScanner(t)}
	cfg := Config{Store: st, Scan: e.scan.scan, RateLimit: 1000, RateBurst: 1000, PollInterval: 50 * time.Millisecond,
		Version: "test"}
	for _, o := range opts {
		o(&cfg)
	}
	if e.srv, err = New(cfg); err != nil {
		t.Fatal(err)
	}
	if err := e.srv.Start(ctx); err != nil {
		t.Fatal(err)
	}
	e.ts = httptest.NewServer(e.srv.Handler())
	t.Cleanup(func() {
		e.ts.Close()
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		if err := e.srv.Stop(sctx); err != nil {
			t.Error(err)
		}
		st.Close()
	})
	for _, r := range []store.Role{store.RoleRead, store.RoleScan, store.RoleAdmin} {
		secret, _, err := st.CreateToken(ctx, string(r)+" token", r)
		if err != nil {
			t.Fatal(err)
		}
		e.tokens[r] = secret
	}
	return e
}

// do sends a request with the role's token ("" for none) and returns the
// status and body.
func (e *env) do(method, p string, role store.Role, body any) (int, []byte) {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		js, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(js)
	}
	req, err := http.NewRequest(method, e.ts.URL+p, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens[role])
	}
	res, err := e.ts.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return res.StatusCode, data
}

// must sends a request that has to answer want, and decodes its JSON into
// out (when not nil).
func (e *env) must(want int, method, p string, role store.Role, body, out any) []byte {
	e.t.Helper()
	code, data := e.do(method, p, role, body)
	if code != want {
		e.t.Fatalf("%s %s: status %d, want %d: %s", method, p, code, want, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			e.t.Fatalf("%s %s: %v: %s", method, p, err, data)
		}
	}
	return data
}

// waitScan polls a scan until it is final.
func (e *env) waitScan(id int64) scanView {
	e.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		var v scanView
		e.must(200, "GET", fmt.Sprintf("/api/scans/%d", id), store.RoleRead, nil, &v)
		if v.State.Final() {
			return v
		}
		time.Sleep(20 * time.Millisecond)
	}
	e.t.Fatalf("scan %d did not finish", id)
	return scanView{}
}

// harURL is a scan target the harScanner serves from a shared HAR.
func harURL(name string) string {
	return "https://" + strings.TrimSuffix(name, ".har") + ".example/" + name
}
