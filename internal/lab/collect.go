package lab

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"text/template"
	"time"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// maxHitBody caps what a collector reads of a request body.
const maxHitBody = 1 << 20

// transparentGIF is the 1×1 GIF89a collectors answer image requests with.
var transparentGIF = []byte{
	0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0xff, 0xff, 0xff,
	0x00, 0x00, 0x00, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00,
	0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
}

// serveVendor answers a request to a vendor host: a tag script, or a
// collector hit that is recorded.
func (s *Site) serveVendor(w http.ResponseWriter, r *http.Request, host string) {
	rt, _ := findRoute(host, r.URL.Path)
	if rt != nil && rt.Script != "" {
		s.serveScript(w, r, rt)
		return
	}
	if rt != nil && rt.CORS && r.Method == http.MethodOptions {
		writeCORS(w.Header(), r, true)
		w.WriteHeader(http.StatusNoContent)
		return
	}
	body, readErr := io.ReadAll(http.MaxBytesReader(w, r.Body, maxHitBody))
	var status int
	switch {
	case readErr != nil:
		status = http.StatusRequestEntityTooLarge
		http.Error(w, "request body too large", status)
	case rt == nil:
		status = http.StatusNotFound
		http.Error(w, fmt.Sprintf("the lab's %s does not serve %s", host, r.URL.Path), status)
	default:
		status = s.answerHit(w, r, rt)
	}
	hit := requestToTraffic(r, body, time.Now())
	if readErr != nil {
		hit.Error = fmt.Sprintf("body over %d bytes: %v", maxHitBody, readErr)
	}
	hit.Response = responseToTraffic(status, w.Header())
	s.rec.add(hit)
}

// answerHit writes a collector's answer and returns its status.
func (s *Site) answerHit(w http.ResponseWriter, r *http.Request, rt *route) int {
	h := w.Header()
	h.Set("Cache-Control", "no-cache, no-store, must-revalidate")
	if rt.CORS {
		writeCORS(h, r, false)
	}
	if c := rt.Cookie; c != nil {
		if _, err := r.Cookie(c.Name); errors.Is(err, http.ErrNoCookie) {
			if v, err := newCookieValue(c); err == nil {
				http.SetCookie(w, &http.Cookie{Name: c.Name, Value: v, Domain: c.Domain, Path: "/",
					MaxAge: c.MaxAge, Secure: true, HttpOnly: c.HTTPOnly, SameSite: http.SameSiteNoneMode})
			}
		}
	}
	switch rt.Reply {
	case replyGIF:
		h.Set("Content-Type", "image/gif")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(transparentGIF)
		return http.StatusOK
	case replyJSON:
		h.Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, `{"status":"ok"}`)
		return http.StatusOK
	case replyText:
		h.Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		return http.StatusOK
	default:
		w.WriteHeader(http.StatusNoContent)
		return http.StatusNoContent
	}
}

// writeCORS lets the requesting origin read the answer with credentials.
func writeCORS(h http.Header, r *http.Request, preflight bool) {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return
	}
	h.Set("Access-Control-Allow-Origin", origin)
	h.Set("Access-Control-Allow-Credentials", "true")
	h.Add("Vary", "Origin")
	if preflight {
		h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
		if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
			h.Set("Access-Control-Allow-Headers", req)
		}
		h.Set("Access-Control-Max-Age", "86400")
	}
}

func newCookieValue(c *cookieSpec) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("lab: cookie %s: %w", c.Name, err)
	}
	return c.Value(b), nil
}

// signalsConfig is rendered per pixel ID for connect.facebook.net/signals/config/<id>.
var signalsConfig = template.Must(template.New("signals-config.js").ParseFS(tagFiles, "tags/signals-config.js"))

// serveScript serves an embedded tag file from its vendor host.
func (s *Site) serveScript(w http.ResponseWriter, r *http.Request, rt *route) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	var body []byte
	if rt.Template {
		id := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
		if !isDigits(id) || len(id) > 20 {
			http.Error(w, "unknown pixel id", http.StatusNotFound)
			return
		}
		var buf bytes.Buffer
		if err := signalsConfig.Execute(&buf, struct{ ID string }{id}); err != nil {
			http.Error(w, "render config: "+err.Error(), http.StatusInternalServerError)
			return
		}
		body = buf.Bytes()
	} else {
		b, err := tagFiles.ReadFile("tags/" + rt.Script)
		if err != nil {
			http.Error(w, "script missing from the lab: "+rt.Script, http.StatusInternalServerError)
			return
		}
		body = b
	}
	h := w.Header()
	h.Set("Content-Type", "application/javascript; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=1200")
	h.Set("Access-Control-Allow-Origin", "*")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		_, _ = w.Write(body)
	}
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// maxHits bounds what a long-running lab keeps; later hits are counted only.
const maxHits = 50000

// recorder keeps what the collectors received.
type recorder struct {
	mu      sync.Mutex
	hits    []traffic.Request
	dropped int
}

func (rc *recorder) add(hit traffic.Request) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if len(rc.hits) >= maxHits {
		rc.dropped++
		return
	}
	hit.Index = len(rc.hits)
	rc.hits = append(rc.hits, hit)
}

func (rc *recorder) droppedCount() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.dropped
}

func (rc *recorder) all() []traffic.Request {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]traffic.Request(nil), rc.hits...)
}

// requestToTraffic records an incoming request in the capture model.
// Headers are sorted by name (HTTP/2 keeps no order); Host comes first.
func requestToTraffic(r *http.Request, body []byte, now time.Time) traffic.Request {
	names := make([]string, 0, len(r.Header))
	for n := range r.Header {
		names = append(names, n)
	}
	sort.Strings(names)
	hdrs := traffic.Headers{{Name: "Host", Value: r.Host}}
	for _, n := range names {
		for _, v := range r.Header[n] {
			hdrs = append(hdrs, traffic.Header{Name: n, Value: v})
		}
	}
	var cookies []traffic.Cookie
	for _, c := range r.Cookies() {
		cookies = append(cookies, traffic.Cookie{Name: c.Name, Value: c.Value})
	}
	hit := traffic.Request{
		URL:         "https://" + r.Host + r.URL.RequestURI(),
		Method:      r.Method,
		HTTPVersion: r.Proto,
		Headers:     hdrs,
		Cookies:     cookies,
		BodyMIME:    r.Header.Get("Content-Type"),
		Started:     now,
		Initiator:   traffic.Initiator{Type: "other"},
	}
	if len(body) > 0 {
		hit.Body = body
	}
	return hit
}

func responseToTraffic(status int, h http.Header) *traffic.Response {
	resp := &traffic.Response{Status: status, StatusText: http.StatusText(status), MIME: h.Get("Content-Type"), BodySize: -1}
	names := make([]string, 0, len(h))
	for n := range h {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		for _, v := range h[n] {
			resp.Headers = append(resp.Headers, traffic.Header{Name: n, Value: v})
		}
	}
	for _, c := range (&http.Response{Header: h}).Cookies() {
		resp.Cookies = append(resp.Cookies, traffic.Cookie{Name: c.Name, Value: c.Value, Domain: c.Domain,
			Path: c.Path, Expires: c.Expires, HTTPOnly: c.HttpOnly, Secure: c.Secure, SameSite: sameSiteName(c.SameSite)})
	}
	return resp
}

func sameSiteName(s http.SameSite) string {
	switch s {
	case http.SameSiteNoneMode:
		return "None"
	case http.SameSiteLaxMode:
		return "Lax"
	case http.SameSiteStrictMode:
		return "Strict"
	}
	return ""
}

func b64url(b []byte) string    { return base64.RawURLEncoding.EncodeToString(b) }
func hexString(b []byte) string { return hex.EncodeToString(b) }

// uuid formats 16 random bytes as a version-4 UUID.
func uuid(b []byte) string {
	u := make([]byte, 16)
	copy(u, b)
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	x := hex.EncodeToString(u)
	return x[:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:]
}
