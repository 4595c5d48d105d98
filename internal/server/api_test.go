package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/audit"
	"github.com/leakwatch/leakwatch/internal/evidence"
	"github.com/leakwatch/leakwatch/internal/store"
)

// TestScanLifecycle submits two scans of real HARs, follows one by its
// event stream, and reads everything a done scan offers: report JSON and
// HTML, evidence bundle, site history and the diff of the two.
func TestScanLifecycle(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var first scanView
	e.must(202, "POST", "/api/scans", store.RoleScan, ScanRequest{URLs: []string{harURL("health-shop-mylabbox.har")}}, &first)
	if first.State != store.Queued || first.SiteID == 0 {
		t.Fatalf("submitted scan = %+v, want queued with a site", first)
	}
	states := readEvents(t, e, first.ID)
	if got := states[len(states)-1]; got != "done" {
		t.Fatalf("event states %v end in %s, want done", states, got)
	}
	var rep audit.Report
	e.must(200, "GET", fmt.Sprintf("/api/scans/%d/report.json", first.ID), store.RoleRead, nil, &rep)
	if rep.Schema != audit.Schema || len(rep.Companies) == 0 {
		t.Fatalf("report: schema %q, %d companies; want a report naming companies", rep.Schema, len(rep.Companies))
	}
	html := e.must(200, "GET", fmt.Sprintf("/api/scans/%d/report.html", first.ID), store.RoleRead, nil, nil)
	if !bytes.Contains(html, []byte("<html")) || !bytes.Contains(html, []byte(rep.Companies[0].Name)) {
		t.Fatalf("HTML report does not name %q", rep.Companies[0].Name)
	}
	zip := e.must(200, "GET", fmt.Sprintf("/api/scans/%d/evidence", first.ID), store.RoleRead, nil, nil)
	res, err := evidence.VerifyReader(context.Background(), bytes.NewReader(zip), int64(len(zip)), evidence.VerifyOptions{})
	if err != nil {
		t.Fatalf("evidence bundle does not verify: %v", err)
	}
	if !res.OK() {
		t.Fatalf("evidence bundle: %+v", res)
	}

	// A second scan of the same site, from another capture, and the diff.
	var second scanView
	e.must(202, "POST", "/api/scans", store.RoleScan, ScanRequest{SiteID: first.SiteID,
		URLs: []string{harURL("health-shop-oraquick.har")}, Consent: "reject"}, &second)
	if v := e.waitScan(second.ID); v.State != store.Done {
		t.Fatalf("second scan %+v", v)
	}
	var hist list[scanView]
	e.must(200, "GET", fmt.Sprintf("/api/sites/%d/scans", first.SiteID), store.RoleRead, nil, &hist)
	if len(hist.Items) != 2 || hist.Items[0].ID != second.ID || hist.Items[1].ID != first.ID {
		t.Fatalf("history %+v, want scans %d then %d", hist.Items, second.ID, first.ID)
	}
	var d map[string]any
	e.must(200, "GET", fmt.Sprintf("/api/diff?old=%d&new=%d", first.ID, second.ID), store.RoleRead, nil, &d)
	if len(d) == 0 {
		t.Fatal("empty diff of two different captures")
	}
	text := e.must(200, "GET", fmt.Sprintf("/api/diff?old=%d&new=%d&format=text", first.ID, second.ID), store.RoleRead, nil, nil)
	if len(text) == 0 {
		t.Fatal("empty text diff")
	}
}

// readEvents reads a scan's event stream to its end and returns the
// states it announced.
func readEvents(t *testing.T, e *env, id int64) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", fmt.Sprintf("%s/api/scans/%d/events", e.ts.URL, id), nil)
	req.Header.Set("Authorization", "Bearer "+e.tokens[store.RoleRead])
	res, err := e.ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); res.StatusCode != 200 || ct != "text/event-stream" {
		t.Fatalf("events: %d %s", res.StatusCode, ct)
	}
	var states []string
	var event string
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			event = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: ") && event == "state":
			var v scanView
			if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &v); err != nil {
				t.Fatal(err)
			}
			states = append(states, string(v.State))
		case strings.HasPrefix(line, "data: ") && event == "end":
			return states
		}
	}
	t.Fatalf("stream ended without an end event (states %v): %v", states, sc.Err())
	return nil
}

func TestCancelScan(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.scan.gate = make(chan struct{}) // scans wait until cancelled
	var sc scanView
	e.must(202, "POST", "/api/scans", store.RoleScan, ScanRequest{URLs: []string{harURL("harviewer-no-pages.har")}}, &sc)
	e.must(200, "POST", fmt.Sprintf("/api/scans/%d/cancel", sc.ID), store.RoleScan, nil, nil)
	if v := e.waitScan(sc.ID); v.State != store.Cancelled || !strings.Contains(v.Error, "scan token") {
		t.Fatalf("cancelled scan = %+v", v)
	}
	code, _ := e.do("GET", fmt.Sprintf("/api/scans/%d/report.json", sc.ID), store.RoleRead, nil)
	if code != http.StatusConflict {
		t.Fatalf("report of a cancelled scan: %d, want 409", code)
	}
}

func TestSubmitRefusals(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	big := `{"urls":["https://a.example/"],"steps":"` + strings.Repeat("x", DefaultMaxBodyBytes) + `"}`
	cases := []struct {
		name string
		body string
		want int
	}{
		{"loopback", `{"urls":["http://127.0.0.1/"]}`, 422},
		{"hex loopback", `{"urls":["http://0x7f.1/"]}`, 422},
		{"metadata", `{"urls":["http://169.254.169.254/latest/meta-data/"]}`, 422},
		{"mapped", `{"urls":["http://[::ffff:10.0.0.1]/"]}`, 422},
		{"localhost", `{"urls":["http://LOCALHOST./"]}`, 422},
		{"second URL private", `{"urls":["https://a.example/","http://192.168.1.1/"]}`, 422},
		{"not http", `{"urls":["file:///etc/passwd"]}`, 400},
		{"unknown field", `{"urls":["https://a.example/"],"cookies":"x"}`, 400},
		{"two values", `{"urls":["https://a.example/"]}{}`, 400},
		{"no target", `{}`, 400},
		{"bad consent", `{"urls":["https://a.example/"],"consent":"maybe"}`, 400},
		{"unknown persona", `{"urls":["https://a.example/"],"persona":"jane"}`, 400},
		{"bad policy", `{"urls":["https://a.example/"],"policy":"fail_on: [nonsense"}`, 400},
		{"unknown site", `{"site_id":99}`, 400},
		{"too big", big, 413},
		{"not JSON", `urls=x`, 400},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, body := e.do("POST", "/api/scans", store.RoleScan, c.body)
			if code != c.want {
				t.Fatalf("status %d, want %d: %s", code, c.want, body)
			}
			var msg map[string]string
			if err := json.Unmarshal(body, &msg); err != nil || msg["error"] == "" {
				t.Fatalf("error body %q is not {\"error\": ...}", body)
			}
		})
	}
	var scans list[scanView]
	e.must(200, "GET", "/api/scans", store.RoleRead, nil, &scans)
	if len(scans.Items) != 0 {
		t.Fatalf("refused submissions stored scans: %+v", scans.Items)
	}
}

func TestAllowPrivateTargets(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *Config) { c.AllowPrivateTargets = true })
	e.must(202, "POST", "/api/scans", store.RoleScan, `{"urls":["http://127.0.0.1:8080/x.har"]}`, nil)
}

func TestSites(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var s siteView
	e.must(201, "POST", "/api/sites", store.RoleScan, `{"url":"https://shop.example/","name":"Shop","schedule":"0 3 * * *"}`, &s)
	e.must(409, "POST", "/api/sites", store.RoleScan, `{"url":"https://shop.example/"}`, nil)
	e.must(400, "POST", "/api/sites", store.RoleScan, `{"url":"https://b.example/","schedule":"nightly"}`, nil)
	e.must(422, "POST", "/api/sites", store.RoleScan, `{"url":"http://10.1.2.3/"}`, nil)
	var upd siteView
	e.must(200, "PATCH", fmt.Sprintf("/api/sites/%d", s.ID), store.RoleScan, `{"schedule":"@daily"}`, &upd)
	if upd.Schedule != "@daily" || upd.Name != "Shop" {
		t.Fatalf("updated site %+v", upd)
	}
	e.must(400, "PATCH", fmt.Sprintf("/api/sites/%d", s.ID), store.RoleScan, `{"url":"https://c.example/"}`, nil)
	var all list[siteView]
	e.must(200, "GET", "/api/sites?limit=1", store.RoleRead, nil, &all)
	if len(all.Items) != 1 || all.Next != s.ID {
		t.Fatalf("sites page %+v", all)
	}
	e.must(400, "GET", "/api/sites?limit=0", store.RoleRead, nil, nil)
	e.must(400, "GET", "/api/sites/abc", store.RoleRead, nil, nil)
	e.must(400, "GET", "/api/sites/01", store.RoleRead, nil, nil)
	e.must(204, "DELETE", fmt.Sprintf("/api/sites/%d", s.ID), store.RoleAdmin, nil, nil)
	e.must(404, "GET", fmt.Sprintf("/api/sites/%d", s.ID), store.RoleRead, nil, nil)
}

func TestTokens(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var tok struct {
		tokenView
		Secret string `json:"secret"`
	}
	e.must(201, "POST", "/api/tokens", store.RoleAdmin, TokenRequest{Name: "ci", Role: "read"}, &tok)
	e.tokens["ci"] = tok.Secret
	e.must(200, "GET", "/api/sites", "ci", nil, nil)
	e.must(403, "POST", "/api/sites", "ci", `{"url":"https://a.example/"}`, nil)
	e.must(400, "POST", "/api/tokens", store.RoleAdmin, TokenRequest{Name: "x", Role: "root"}, nil)
	list := e.must(200, "GET", "/api/tokens", store.RoleAdmin, nil, nil)
	if bytes.Contains(list, []byte(tok.Secret)) {
		t.Fatal("token listing shows a secret")
	}
	e.must(204, "DELETE", fmt.Sprintf("/api/tokens/%d", tok.ID), store.RoleAdmin, nil, nil)
	e.must(401, "GET", "/api/sites", "ci", nil, nil)
}

func TestHealthAndMetrics(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.must(200, "GET", "/healthz", "", nil, nil)
	e.must(200, "GET", "/readyz", "", nil, nil)
	e.must(202, "POST", "/api/scans", store.RoleScan, ScanRequest{URLs: []string{harURL("harviewer-no-pages.har")}}, nil)
	e.must(200, "GET", "/api/sites", store.RoleRead, nil, nil)
	e.must(401, "GET", "/metrics", "", nil, nil)
	m := string(e.must(200, "GET", "/metrics", store.RoleRead, nil, nil))
	for _, want := range []string{`leakwatch_http_requests_total{code="202",route="submit_scan"} 1`,
		`leakwatch_scans{state="queued"}`, `leakwatch_scan_transitions_total{state="queued"} 1`, "leakwatch_queue_depth"} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	e.st.Close() // the store goes away: not ready
	code, _ := e.do("GET", "/readyz", "", nil)
	if code != http.StatusServiceUnavailable {
		t.Fatalf("readyz with a closed store: %d", code)
	}
}

func TestRateLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *Config) { c.RateLimit, c.RateBurst = 0.001, 3 })
	for i := range 3 {
		e.must(200, "GET", "/api/sites", store.RoleRead, nil, nil)
		_ = i
	}
	code, _ := e.do("GET", "/api/sites", store.RoleRead, nil)
	if code != http.StatusTooManyRequests {
		t.Fatalf("4th request: %d, want 429", code)
	}
	e.must(200, "GET", "/api/sites", store.RoleScan, nil, nil) // another token has its own bucket
	for range 3 {
		e.do("GET", "/api/sites", "", nil) // unauthenticated attempts spend the address's bucket
	}
	code, _ = e.do("POST", "/api/session", "", `{"token":"guess"}`)
	if code != http.StatusTooManyRequests {
		t.Fatalf("login after failed attempts: %d, want 429", code)
	}
}

// TestResume stops a server with a scan queued and starts another on the
// same database: the scan runs once and its report is stored once.
func TestResume(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.scan.gate = make(chan struct{})
	var sc scanView
	e.must(202, "POST", "/api/scans", store.RoleScan, ScanRequest{URLs: []string{harURL("harviewer-no-pages.har")}}, &sc)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := e.srv.Stop(ctx); err != nil { // the scan is abandoned, left in the store
		t.Fatal(err)
	}
	got, err := e.st.Scan(context.Background(), sc.ID)
	if err != nil || got.State.Final() {
		t.Fatalf("after stop: %+v %v, want queued or running", got, err)
	}
	e2 := newEnvDSN(t, e.dsn)
	if v := e2.waitScan(sc.ID); v.State != store.Done {
		t.Fatalf("resumed scan %+v", v)
	}
	if _, err := e2.st.Report(context.Background(), sc.ID); err != nil {
		t.Fatal(err)
	}
}

func TestPersonas(t *testing.T) {
	t.Parallel()
	persona, err := os.ReadFile(filepath.Join("..", "leak", "testdata", "persona-example.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	noKey := newEnv(t)
	if code, body := noKey.do("PUT", "/api/personas/jane", store.RoleAdmin, string(persona)); code != 409 || !strings.Contains(string(body), store.KeyEnv) {
		t.Fatalf("persona without a key: %d %s", code, body)
	}
	key := bytes.Repeat([]byte{7}, 32)
	e := newEnvStore(t, "sqlite:"+filepath.Join(t.TempDir(), "db"), store.Config{Key: key})
	e.must(403, "PUT", "/api/personas/jane", store.RoleScan, string(persona), nil)
	e.must(400, "PUT", "/api/personas/jane", store.RoleAdmin, "personas: [", nil)
	e.must(204, "PUT", "/api/personas/jane", store.RoleAdmin, string(persona), nil)
	var names struct{ Items []string }
	e.must(200, "GET", "/api/personas", store.RoleRead, nil, &names)
	if len(names.Items) != 1 || names.Items[0] != "jane" {
		t.Fatalf("personas %v", names.Items)
	}
	e.must(202, "POST", "/api/scans", store.RoleScan, ScanRequest{URLs: []string{"https://a.example/x.har"}, Persona: "jane"}, nil)
	e.must(204, "DELETE", "/api/personas/jane", store.RoleAdmin, nil, nil)
	e.must(400, "POST", "/api/scans", store.RoleScan, ScanRequest{URLs: []string{"https://a.example/x.har"}, Persona: "jane"}, nil)
}

// TestStepTargets checks that the URLs a steps file navigates to pass the
// target check as the scan's own URLs do.
func TestStepTargets(t *testing.T) {
	t.Parallel()
	parse := func(steps string) ([]string, error) {
		var urls []string
		for _, line := range strings.Split(steps, "\n") {
			if u, ok := strings.CutPrefix(line, "- goto: "); ok {
				urls = append(urls, u)
			} else if line != "" {
				return nil, fmt.Errorf("bad step %q", line)
			}
		}
		return urls, nil
	}
	e := newEnv(t, func(c *Config) { c.StepTargets = parse })
	e.must(422, "POST", "/api/scans", store.RoleScan, ScanRequest{URLs: []string{"https://a.example/"},
		Steps: "- goto: http://169.254.169.254/latest/"}, nil)
	e.must(400, "POST", "/api/scans", store.RoleScan, ScanRequest{URLs: []string{"https://a.example/"}, Steps: "- fly: x"}, nil)
	e.must(202, "POST", "/api/scans", store.RoleScan, ScanRequest{URLs: []string{"https://a.example/"},
		Steps: "- goto: https://a.example/login"}, nil)
}

func TestUnknownRoutes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, c := range []struct {
		method, path string
		want         int
	}{
		{"POST", "/healthz", 405},
		{"PUT", "/api/scans", 405},
		{"GET", "/api/scans/1/cancel", 405},
		{"GET", "/api/nothing", 404},
		{"GET", "/ui/../openapi.json", 404},
		{"GET", "/ui/missing.js", 404},
	} {
		if code, body := e.do(c.method, c.path, store.RoleAdmin, nil); code != c.want {
			t.Errorf("%s %s: %d, want %d: %s", c.method, c.path, code, c.want, body)
		}
	}
}
