package server

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/store"
)

// TestRouteRoles calls every route with no token, a wrong token and a
// token of each role: a route answers 401 without a valid token, 403 to a
// role below its own, and neither to its role or above.
func TestRouteRoles(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.tokens["bogus"] = "lw_not_a_token"
	wildcard := regexp.MustCompile(`\{[a-z]+\}`)
	for _, rt := range routes() {
		p := wildcard.ReplaceAllString(strings.TrimSuffix(rt.path, "{$}"), "1")
		if p == "" {
			p = "/"
		}
		if rt.path == "/ui/{file}" {
			p = "/ui/app.js"
		}
		for _, role := range []store.Role{"", "bogus", store.RoleRead, store.RoleScan, store.RoleAdmin} {
			var body any
			if rt.method != "GET" && rt.method != "DELETE" {
				body = "{}"
			}
			code, data := e.do(rt.method, p, role, body)
			switch {
			case rt.name == "metrics": // its handler asks for a token unless MetricsPublic
				if want := map[bool]int{true: 401, false: 200}[role == "" || role == "bogus"]; code != want {
					t.Errorf("%s %s as %q: %d, want %d", rt.method, p, role, code, want)
				}
			case rt.role == public:
				if code == 401 || code == 403 {
					t.Errorf("%s %s (public) as %q: %d %s", rt.method, p, role, code, data)
				}
			case role == "" || role == "bogus":
				if code != 401 {
					t.Errorf("%s %s as %q: %d, want 401", rt.method, p, role, code)
				}
			case !role.Allows(rt.role):
				if code != 403 {
					t.Errorf("%s %s as %s (needs %s): %d, want 403", rt.method, p, role, rt.role, code)
				}
			default:
				if code == 401 || code == 403 || code == 405 {
					t.Errorf("%s %s as %s (needs %s): %d %s", rt.method, p, role, rt.role, code, data)
				}
			}
		}
	}
}

// TestRouteTable pins who may do what: the table of route → role.
func TestRouteTable(t *testing.T) {
	t.Parallel()
	want := map[store.Role][]string{
		public: {"GET /{$}", "GET /ui/{file}", "GET /healthz", "GET /readyz", "GET /metrics", "GET /api/openapi.json", "POST /api/session"},
		store.RoleAdmin: {"DELETE /api/sites/{id}", "PUT /api/personas/{name}", "DELETE /api/personas/{name}", "GET /api/tokens", "POST /api/tokens", "DELETE /api/tokens/{id}",
			"GET /api/sites/{id}/notifications", "POST /api/sites/{id}/notifications", "PUT /api/sites/{id}/notifications/{target}", "DELETE /api/sites/{id}/notifications/{target}"},
		store.RoleScan: {"POST /api/sites", "PATCH /api/sites/{id}", "POST /api/scans", "POST /api/scans/{id}/cancel"},
	}
	for _, rt := range routes() {
		role := rt.role
		if role == store.RoleRead {
			if rt.method != "GET" && rt.pattern() != "DELETE /api/session" {
				t.Errorf("%s changes something with only the read role", rt.pattern())
			}
			continue
		}
		if !slices.Contains(want[role], rt.pattern()) {
			t.Errorf("%s needs role %q, not in the pinned table", rt.pattern(), role)
		}
	}
}

func TestOpenAPICoversRoutes(t *testing.T) {
	t.Parallel()
	var doc struct {
		OpenAPI string                               `json:"openapi"`
		Paths   map[string]map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi %q, want 3.1.0", doc.OpenAPI)
	}
	served := map[string]store.Role{}
	for _, rt := range routes() {
		p := strings.ReplaceAll(rt.path, "{$}", "")
		served[strings.ToLower(rt.method)+" "+p] = rt.role
	}
	documented := map[string]bool{}
	for p, ops := range doc.Paths {
		for method, op := range ops {
			key := method + " " + p
			documented[key] = true
			role, ok := served[key]
			if !ok {
				t.Errorf("documented but not served: %s", key)
				continue
			}
			docRole, _ := op["x-leakwatch-role"].(string)
			if want := string(role); (want == "" && docRole != "public") || (want != "" && docRole != want) {
				t.Errorf("%s: documented role %q, served with %q", key, docRole, role)
			}
		}
	}
	for key := range served {
		if !documented[key] {
			t.Errorf("served but not documented: %s", key)
		}
	}
}

// TestSessionCSRF logs in as the UI does and checks the cookie, the CSRF
// token, cross-origin refusal and that revoking the token ends the session.
func TestSessionCSRF(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	jar, _ := cookiejar.New(nil)
	c := e.ts.Client()
	c.Jar = jar
	send := func(method, path, body string, hdr ...string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, e.ts.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if path == "/api/session" && method == "POST" && res.StatusCode == 200 {
			ck := res.Header.Get("Set-Cookie")
			for _, want := range []string{"leakwatch_session=", "HttpOnly", "SameSite=Lax", "Path=/"} {
				if !strings.Contains(ck, want) {
					t.Errorf("cookie %q lacks %s", ck, want)
				}
			}
		}
		return res.StatusCode, string(b)
	}
	if code, _ := send("POST", "/api/session", `{"token":"nope"}`); code != 401 {
		t.Fatalf("login with a wrong token: %d", code)
	}
	code, body := send("POST", "/api/session", `{"token":"`+e.tokens[store.RoleScan]+`"}`)
	if code != 200 {
		t.Fatalf("login: %d %s", code, body)
	}
	var sess sessionView
	_ = json.Unmarshal([]byte(body), &sess)
	if sess.CSRF == "" || sess.Token.Role != store.RoleScan {
		t.Fatalf("session %+v", sess)
	}
	if code, _ := send("GET", "/api/sites", ""); code != 200 {
		t.Fatalf("GET with the session: %d", code)
	}
	site := `{"url":"https://a.example/"}`
	for _, c := range []struct {
		name string
		hdr  []string
		want int
	}{
		{"no CSRF token", nil, 403},
		{"wrong CSRF token", []string{csrfHeader, "x" + sess.CSRF}, 403},
		{"cross-origin", []string{csrfHeader, sess.CSRF, "Origin", "https://evil.example"}, 403},
		{"cross-site fetch", []string{csrfHeader, sess.CSRF, "Sec-Fetch-Site", "cross-site"}, 403},
		{"same origin", []string{csrfHeader, sess.CSRF, "Origin", e.ts.URL, "Sec-Fetch-Site", "same-origin"}, 201},
	} {
		if code, body := send("POST", "/api/sites", site, c.hdr...); code != c.want {
			t.Errorf("%s: %d, want %d: %s", c.name, code, c.want, body)
		}
	}
	// A cross-site login form is refused too (login CSRF).
	if code, _ := send("POST", "/api/session", `{"token":"x"}`, "Sec-Fetch-Site", "cross-site"); code != 403 {
		t.Errorf("cross-site login: %d, want 403", code)
	}
	var toks list[tokenView]
	e.must(200, "GET", "/api/tokens", store.RoleAdmin, nil, &toks)
	for _, tk := range toks.Items {
		if tk.Role == store.RoleScan {
			e.must(204, "DELETE", "/api/tokens/"+itoa(tk.ID), store.RoleAdmin, nil, nil)
		}
	}
	if code, _ := send("GET", "/api/sites", ""); code != 401 {
		t.Fatalf("session of a revoked token: %d, want 401", code)
	}
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }
