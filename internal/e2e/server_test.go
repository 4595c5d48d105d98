package e2e

import (
	"bytes"
	"crypto/tls"
	"html/template"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/leakwatch/leakwatch/internal/browser/browsertest"
)

// Hostnames of the test site. Chromium maps every name to the one loopback
// server, which routes by Host.
const (
	shopHost    = "www.shop.test"
	posthogHost = "eu.i.posthog.com"
	snowHost    = "collector.snowplow.test"
	replayHost  = "replay.rrweb.test"
)

// vendorFiles are the tracker bundles the shop serves itself, from npm.
var vendorFiles = map[string]string{
	"/vendor/posthog.js":                "posthog-js/dist/array.full.no-external.js",
	"/vendor/snowplow.js":               "@snowplow/browser-tracker/dist/index.umd.min.js",
	"/vendor/snowplow-form-tracking.js": "@snowplow/browser-plugin-form-tracking/dist/index.umd.min.js",
	"/vendor/rrweb.js":                  "rrweb/dist/rrweb.umd.min.cjs",
}

// hit is one request a host of the test site received, as it arrived.
type hit struct {
	Host, Method, Path, RawQuery string
	Header                       http.Header
	Body                         []byte
}

// URL is the hit's URL as the browser asked for it.
func (h hit) URL() string {
	u := "https://" + h.Host + h.Path
	if h.RawQuery != "" {
		u += "?" + h.RawQuery
	}
	return u
}

// site is the shop and its collectors on one HTTPS server.
type site struct {
	srv     *httptest.Server
	spki    string
	dir     string // testdata/site
	modules string // testdata/trackers/node_modules
	persona visitor

	mu   sync.Mutex
	hits []hit
}

// visitor is who the account page belongs to, shown on it.
type visitor struct {
	Email, Phone, FirstName, LastName, Street, City, State, Zip string
}

func newSite(dir, modules string, who visitor) (*site, error) {
	s := &site{dir: dir, modules: modules, persona: who}
	cert, spki, err := browsertest.SelfSigned(shopHost, posthogHost, "*.i.posthog.com", snowHost, replayHost)
	if err != nil {
		return nil, err
	}
	s.spki = spki
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(s.route))
	// Chromium's own background requests arrive too, some as plain HTTP.
	s.srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	s.srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	s.srv.StartTLS()
	return s, nil
}

func (s *site) Close() { s.srv.Close() }

// browserArgs send every hostname to the server's port and trust its key;
// nothing the browser asks for can reach another address.
func (s *site) browserArgs() []string {
	_, port, _ := net.SplitHostPort(s.srv.Listener.Addr().String())
	return browsertest.MapArgs("*", "127.0.0.1:"+port, s.spki)
}

// Hits returns what the collectors (every host but the shop) received,
// without CORS preflights.
func (s *site) Hits() []hit {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []hit
	for _, h := range s.hits {
		if h.Method != http.MethodOptions {
			out = append(out, h)
		}
	}
	return out
}

func (s *site) route(w http.ResponseWriter, r *http.Request) {
	host, _, err := net.SplitHostPort(r.Host)
	if err != nil {
		host = r.Host
	}
	if !ourHost(host) {
		// Chromium's own background traffic (update checks, accounts),
		// which the resolver rules also send here; it is no part of a visit.
		http.Error(w, "no such host in the test site", http.StatusBadGateway)
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	s.mu.Lock()
	s.hits = append(s.hits, hit{Host: host, Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery,
		Header: r.Header.Clone(), Body: body})
	s.mu.Unlock()
	if host == shopHost {
		s.shop(w, r)
		return
	}
	allowCORS(w, r)
	if r.Method == http.MethodOptions {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	switch {
	case strings.HasSuffix(host, ".posthog.com"):
		posthogAnswer(w, r, body)
	case host == snowHost:
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, "ok")
	default: // the replay collector
		w.WriteHeader(http.StatusNoContent)
	}
}

// ourHost reports whether host belongs to the test site.
func ourHost(host string) bool {
	switch host {
	case shopHost, snowHost, replayHost:
		return true
	}
	return strings.HasSuffix(host, ".posthog.com")
}

// allowCORS answers like a collector that takes credentialed requests.
func allowCORS(w http.ResponseWriter, r *http.Request) {
	if o := r.Header.Get("Origin"); o != "" {
		w.Header().Set("Access-Control-Allow-Origin", o)
		w.Header().Set("Access-Control-Allow-Credentials", "true")
	}
	if h := r.Header.Get("Access-Control-Request-Headers"); h != "" {
		w.Header().Set("Access-Control-Allow-Headers", h)
	}
	w.Header().Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
}

// posthogAnswer is PostHog's side: remote config and flags that ask for
// gzip-js compression (base64 for the project whose token says Base64) and
// keep everything else off, and an OK for events.
func posthogAnswer(w http.ResponseWriter, r *http.Request, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	switch {
	case strings.HasPrefix(r.URL.Path, "/array/"), strings.HasPrefix(r.URL.Path, "/flags"),
		strings.HasPrefix(r.URL.Path, "/decide"):
		compression := "gzip-js"
		if strings.Contains(r.URL.Path, "Base64") || bytes.Contains(body, []byte("Base64")) {
			compression = "base64"
		}
		_, _ = io.WriteString(w, `{"supportedCompression":["`+compression+`"],"sessionRecording":false,`+
			`"autocapture_opt_out":false,"featureFlags":{},"flags":{},"featureFlagPayloads":{},`+
			`"errorsWhileComputingFlags":false,"surveys":false,"heatmaps":false,"siteApps":[]}`)
	default:
		_, _ = io.WriteString(w, `{"status":1}`)
	}
}

// shop serves the first-party site: the account page with the visitor's
// name and address, its script, the vendored tracker bundles and the
// profile API.
func (s *site) shop(w http.ResponseWriter, r *http.Request) {
	switch p := r.URL.Path; {
	case p == "/api/profile":
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"saved":true}`)
	case p == "/account":
		t, err := template.ParseFiles(filepath.Join(s.dir, "account.html"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if err := t.Execute(w, s.persona); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	case p == "/shop.js":
		serveFile(w, filepath.Join(s.dir, "shop.js"))
	case vendorFiles[p] != "":
		serveFile(w, filepath.Join(s.modules, filepath.FromSlash(vendorFiles[p])))
	case p == "/favicon.ico":
		w.WriteHeader(http.StatusNoContent)
	default:
		http.NotFound(w, r)
	}
}

func serveFile(w http.ResponseWriter, path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	_, _ = w.Write(data)
}
