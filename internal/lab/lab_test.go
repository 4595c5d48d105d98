package lab

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/sharedtest"
)

var update = sharedtest.Update

// startLab starts a lab for one test and closes it after.
func startLab(t *testing.T) *Site {
	t.Helper()
	s, err := Start(context.Background(), Options{})
	if err != nil {
		t.Fatalf("start lab: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close lab: %v", err)
		}
	})
	return s
}

func get(t *testing.T, c *http.Client, u string, cookies ...*http.Cookie) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, ck := range cookies {
		req.AddCookie(ck)
	}
	return do(t, c, req)
}

func do(t *testing.T, c *http.Client, req *http.Request) (*http.Response, string) {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s: %v", req.URL, err)
	}
	return resp, string(b)
}

func TestCertificateCoversEveryHost(t *testing.T) {
	t.Parallel()
	s := startLab(t)
	pool := x509.NewCertPool()
	pool.AddCert(s.cert.x509)
	for _, host := range Hosts() {
		t.Run(host, func(t *testing.T) {
			conn, err := tls.Dial("tcp", s.Addr(), &tls.Config{ServerName: host, RootCAs: pool, MinVersion: tls.VersionTLS12})
			if err != nil {
				t.Fatalf("TLS handshake as %s: %v", host, err)
			}
			defer conn.Close()
			leaf := conn.ConnectionState().PeerCertificates[0]
			if err := leaf.VerifyHostname(host); err != nil {
				t.Error(err)
			}
			sum := sha256.Sum256(leaf.RawSubjectPublicKeyInfo)
			if got := base64.StdEncoding.EncodeToString(sum[:]); got != s.SPKIHash() {
				t.Errorf("SPKI hash of served cert = %s, ChromeArgs say %s", got, s.SPKIHash())
			}
		})
	}
	if leaf := s.cert.x509; leaf.PublicKeyAlgorithm != x509.ECDSA {
		t.Errorf("certificate key algorithm %v, want ECDSA", leaf.PublicKeyAlgorithm)
	}
	if err := s.cert.x509.VerifyHostname("www.example.org"); err == nil {
		t.Error("certificate claims a host the lab does not serve")
	}
}

func TestHostsAreTheVendorHostsAndTheSite(t *testing.T) {
	t.Parallel()
	hosts := strings.Join(Hosts(), " ")
	for _, want := range []string{SiteHost, SiteApex, "connect.facebook.net", "www.facebook.com", "snap.licdn.com",
		"px.ads.linkedin.com", "sc-static.net", "tr.snapchat.com", "bat.bing.com", "www.googletagmanager.com",
		"region1.google-analytics.com", "googleads.g.doubleclick.net", "s.pinimg.com", "ct.pinterest.com"} {
		if !strings.Contains(" "+hosts+" ", " "+want+" ") {
			t.Errorf("Hosts() lacks %s: %s", want, hosts)
		}
	}
}

func TestChromeArgs(t *testing.T) {
	t.Parallel()
	s := startLab(t)
	args := s.ChromeArgs()
	if len(args) != 2 {
		t.Fatalf("ChromeArgs() = %q, want 2 flags", args)
	}
	wantRules := "--host-resolver-rules=MAP * " + s.Addr() + ", EXCLUDE localhost"
	if args[0] != wantRules {
		t.Errorf("rules flag = %q, want %q", args[0], wantRules)
	}
	if !regexp.MustCompile(`^--ignore-certificate-errors-spki-list=[A-Za-z0-9+/]{43}=$`).MatchString(args[1]) {
		t.Errorf("SPKI flag = %q", args[1])
	}
	if s.URL != "https://www.parcelpost.test/" {
		t.Errorf("URL = %q", s.URL)
	}
}

func TestHostRouting(t *testing.T) {
	t.Parallel()
	s := startLab(t)
	c := s.Client()
	tests := []struct {
		name, url  string
		status     int
		mime, body string
		cookie     string // a Set-Cookie that must be present (substring)
	}{
		{"site home", "https://www.parcelpost.test/", 200, "text/html", "Track a package", ""},
		{"site 404", "https://www.parcelpost.test/nope", 404, "text/html", "Page not found", ""},
		{"apex redirects", "https://parcelpost.test/track?tn=1", 301, "", "", ""},
		{"meta library", "https://connect.facebook.net/en_US/fbevents.js", 200, "application/javascript", "https://www.facebook.com/tr/", ""},
		{"meta library other locale", "https://connect.facebook.net/de_DE/fbevents.js", 200, "application/javascript", "fbq", ""},
		{"meta signals config", "https://connect.facebook.net/signals/config/" + MetaPixelID + "?v=2.9.179&r=stable", 200, "application/javascript",
			`config.set("` + MetaPixelID + `", "automaticMatching", {"selectedMatchKeys":["em","fn","ln","ph","ct","st","zp","country"]})`, ""},
		{"meta config opt-in", "https://connect.facebook.net/signals/config/" + MetaPixelID, 200, "application/javascript",
			`instance.optIn("` + MetaPixelID + `", "AutomaticMatching", true)`, ""},
		{"meta config bad id", "https://connect.facebook.net/signals/config/abc", 404, "", "", ""},
		{"meta collector", "https://www.facebook.com/tr/?id=1&ev=PageView", 200, "image/gif", "GIF89a", "fr="},
		{"meta collector no slash", "https://www.facebook.com/tr?id=1&ev=PageView", 200, "image/gif", "GIF89a", "SameSite=None"},
		{"linkedin insight", "https://snap.licdn.com/li.lms-analytics/insight.min.js", 200, "application/javascript", "CompressionStream", ""},
		{"linkedin collect", "https://px.ads.linkedin.com/collect?v=2&fmt=js&pid=1", 200, "image/gif", "", "bcookie="},
		{"snap script", "https://sc-static.net/scevent.min.js", 200, "application/javascript", "tr.snapchat.com/p", ""},
		{"bing script", "https://bat.bing.com/bat.js", 200, "application/javascript", "UET", ""},
		{"bing collector", "https://bat.bing.com/action/0?ti=1&evt=pageLoad", 204, "", "", "MUID="},
		{"gtag", "https://www.googletagmanager.com/gtag/js?id=G-X", 200, "application/javascript", "g/collect", ""},
		{"ga4 collect", "https://region1.google-analytics.com/g/collect?v=2&tid=G-X", 204, "", "", ""},
		{"ads remarketing", "https://googleads.g.doubleclick.net/pagead/viewthroughconversion/123/?url=x", 200, "image/gif", "", "Domain=doubleclick.net"},
		{"pinterest script", "https://s.pinimg.com/ct/core.js", 200, "application/javascript", "ct.pinterest.com/v3/", ""},
		{"pinterest collector", "https://ct.pinterest.com/v3/?tid=1&event=pagevisit", 200, "image/gif", "", "ar_debug="},
		{"vendor host unknown path", "https://www.facebook.com/login", 404, "", "does not serve", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, c, tt.url)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d; body %.200q", resp.StatusCode, tt.status, body)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, tt.mime) {
				t.Errorf("Content-Type %q, want %q", ct, tt.mime)
			}
			if !strings.Contains(body, tt.body) {
				t.Errorf("body lacks %q: %.300q", tt.body, body)
			}
			if tt.cookie != "" {
				sc := strings.Join(resp.Header.Values("Set-Cookie"), "\n")
				if !strings.Contains(sc, tt.cookie) || !strings.Contains(sc, "Secure") || !strings.Contains(sc, "SameSite=None") {
					t.Errorf("Set-Cookie %q lacks %q with Secure; SameSite=None", sc, tt.cookie)
				}
			}
		})
	}
	// A host outside the certificate: Chromium reaches it through MAP * and
	// the SPKI exception; the lab refuses to answer for it.
	req, _ := http.NewRequest(http.MethodGet, "https://www.parcelpost.test/", nil)
	req.Host = "accounts.google.com"
	if resp, body := do(t, c, req); resp.StatusCode != http.StatusMisdirectedRequest || !strings.Contains(body, "does not serve") {
		t.Errorf("unknown host answered %d %q", resp.StatusCode, body)
	}
	if loc := mustGetLocation(t, c, "https://parcelpost.test/track?tn=1"); loc != "https://www.parcelpost.test/track?tn=1" {
		t.Errorf("apex redirect to %q", loc)
	}
}

func mustGetLocation(t *testing.T, c *http.Client, u string) string {
	t.Helper()
	resp, _ := get(t, c, u)
	return resp.Header.Get("Location")
}

func TestCollectorsRecordHits(t *testing.T) {
	t.Parallel()
	s := startLab(t)
	c := s.Client()
	get(t, c, "https://connect.facebook.net/en_US/fbevents.js") // scripts are not hits
	req, _ := http.NewRequest(http.MethodPost, "https://tr.snapchat.com/p", strings.NewReader("pid=x&ev=PAGE_VIEW"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://www.parcelpost.test")
	req.AddCookie(&http.Cookie{Name: "sc_at", Value: "v2|abc"})
	resp, _ := do(t, c, req)
	if resp.Header.Get("Access-Control-Allow-Origin") != "https://www.parcelpost.test" || resp.Header.Get("Access-Control-Allow-Credentials") != "true" {
		t.Errorf("CORS headers %v", resp.Header)
	}
	if sc := resp.Header.Get("Set-Cookie"); sc != "" {
		t.Errorf("collector reset a cookie the browser already sent: %s", sc)
	}
	pre, _ := http.NewRequest(http.MethodOptions, "https://px.ads.linkedin.com/wa/", nil)
	pre.Header.Set("Origin", "https://www.parcelpost.test")
	pre.Header.Set("Access-Control-Request-Headers", "content-type")
	if resp, _ := do(t, c, pre); resp.StatusCode != http.StatusNoContent || resp.Header.Get("Access-Control-Allow-Headers") != "content-type" {
		t.Errorf("preflight answered %d %v", resp.StatusCode, resp.Header)
	}

	hits := s.Hits()
	if len(hits) != 1 {
		t.Fatalf("got %d hits, want only the Snap POST: %+v", len(hits), hits)
	}
	h := hits[0]
	if h.URL != "https://tr.snapchat.com/p" || h.Method != "POST" || string(h.Body) != "pid=x&ev=PAGE_VIEW" || h.Index != 0 {
		t.Errorf("hit = %s %s %q index %d", h.Method, h.URL, h.Body, h.Index)
	}
	if h.BodyMIME != "application/x-www-form-urlencoded" || h.Headers.Get("Host") != "tr.snapchat.com" || h.Headers.Get("Origin") == "" {
		t.Errorf("hit headers %+v mime %q", h.Headers, h.BodyMIME)
	}
	if len(h.Cookies) != 1 || h.Cookies[0].Name != "sc_at" || h.Cookies[0].Value != "v2|abc" {
		t.Errorf("hit cookies %+v", h.Cookies)
	}
	if h.Response == nil || h.Response.Status != 200 {
		t.Errorf("hit response %+v", h.Response)
	}
}

func TestTrackingNumberCheckDigit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		tn    string
		valid bool
	}{
		{demoAccount.Parcel, true},
		{"9400111899223197428497", true},  // check digit computed by hand: sum 143 -> 7
		{"9400111899223197428490", false}, // same number, wrong check digit
		{"9400111899561482037728", false},
		{"8400111899561482037727", false}, // must start with 9
		{"94001118995614820377", false},   // 20 digits, wrong check
		{"94001118995614820", false},      // too short
		{"94001118995614820377x7", false},
	}
	for _, tt := range tests {
		if got := validIMpb(tt.tn); got != tt.valid {
			t.Errorf("validIMpb(%s) = %v, want %v", tt.tn, got, tt.valid)
		}
	}
	if _, err := impbCheckDigit("12a"); err == nil {
		t.Error("a letter must be an error")
	}
}

func TestOptionsValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		addr string
		ok   bool
	}{
		{"", true}, {"127.0.0.1:0", true}, {"[::1]:0", true}, {"localhost:0", true},
		{"0.0.0.0:8443", false}, {"192.168.1.10:443", false}, {":443", false}, {"nonsense", false},
	}
	for _, tt := range tests {
		err := Options{Addr: tt.addr}.Validate()
		if (err == nil) != tt.ok {
			t.Errorf("Validate(%q) = %v, want ok=%v", tt.addr, err, tt.ok)
		}
	}
	if _, err := Start(context.Background(), Options{Addr: "0.0.0.0:0"}); err == nil {
		t.Error("Start accepted a non-loopback address")
	}
}

func TestCloseIsIdempotentAndContextStops(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	s, err := Start(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := s.Client()
	if resp, _ := get(t, c, s.URL); resp.StatusCode != 200 {
		t.Fatalf("home: %d", resp.StatusCode)
	}
	cancel()
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, err := c.Get(s.URL)
		if err != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("lab still serving after its context was cancelled")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := s.Close(); err != nil {
		t.Errorf("Close after cancel: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestGoldenPersonaAndSteps(t *testing.T) {
	t.Parallel()
	s := &Site{}
	for name, got := range map[string][]byte{"persona.yaml": s.Persona(), "steps.yaml": s.Steps()} {
		sharedtest.Golden(t, filepath.Join("testdata", name), got, *update)
	}
	persona := string(s.Persona())
	for _, key := range []string{"name:", "email:", "first_name:", "last_name:", "street:", "city:", "state:", "zip:", "country:", "tracking_numbers:"} {
		if !strings.Contains(persona, "\n"+key) {
			t.Errorf("persona lacks key %s", key)
		}
	}
	if !strings.Contains(persona, demoAccount.Parcel) || !validIMpb(demoAccount.Parcel) {
		t.Error("persona tracking number missing or invalid")
	}
}

func TestHostOnly(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"www.parcelpost.test":      "www.parcelpost.test",
		"WWW.ParcelPost.TEST:443":  "www.parcelpost.test",
		"www.facebook.com.":        "www.facebook.com",
		"[::1]:8443":               "::1",
		"":                         "",
		"bat.bing.com:not-a-port:": "bat.bing.com:not-a-port:",
	}
	for in, want := range tests {
		if got := hostOnly(in); got != want {
			t.Errorf("hostOnly(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCloseReportsNothingWhenNeverServed(t *testing.T) {
	t.Parallel()
	s := startLab(t)
	if err := s.Close(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		t.Errorf("Close: %v", err)
	}
}

func TestPlainHTTPRedirectsToHTTPS(t *testing.T) {
	t.Parallel()
	s := startLab(t)
	tr := s.Client().Transport.(*http.Transport).Clone()
	c := &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	tests := []struct {
		url, location string
		status        int
	}{
		{"http://www.parcelpost.test/track?tn=1", "https://www.parcelpost.test/track?tn=1", http.StatusMovedPermanently},
		{"http://www.facebook.com/tr/?id=1", "https://www.facebook.com/tr/?id=1", http.StatusMovedPermanently},
		{"http://example.org/", "", http.StatusMisdirectedRequest},
	}
	for _, tt := range tests {
		resp, _ := get(t, c, tt.url)
		if resp.StatusCode != tt.status || resp.Header.Get("Location") != tt.location {
			t.Errorf("%s: %d -> %q, want %d -> %q", tt.url, resp.StatusCode, resp.Header.Get("Location"), tt.status, tt.location)
		}
	}
	if n := len(s.Hits()); n != 0 {
		t.Errorf("plain-HTTP requests were recorded as %d hits", n)
	}
	// HTTPS still works on the same port afterwards.
	if resp, _ := get(t, s.Client(), s.URL); resp.StatusCode != http.StatusOK {
		t.Errorf("https after plain http: %d", resp.StatusCode)
	}
}

func TestCollectorBodyCapAndCapture(t *testing.T) {
	t.Parallel()
	s := startLab(t)
	c := s.Client()
	big := strings.Repeat("a", maxHitBody+1)
	req, _ := http.NewRequest(http.MethodPost, "https://tr.snapchat.com/p", strings.NewReader(big))
	if resp, _ := do(t, c, req); resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized body: %d, want 413", resp.StatusCode)
	}
	get(t, c, "https://bat.bing.com/action/0?ti=1&evt=pageLoad")
	capt := s.Capture()
	if len(capt.Requests) != 2 || len(capt.Pages) != 0 {
		t.Fatalf("capture has %d requests, %d pages", len(capt.Requests), len(capt.Pages))
	}
	over := capt.Requests[0]
	if over.Response.Status != http.StatusRequestEntityTooLarge || !strings.Contains(over.Error, "body over") || len(over.Body) > maxHitBody {
		t.Errorf("oversized hit recorded as status %d, error %q, %d body bytes", over.Response.Status, over.Error, len(over.Body))
	}
	if r := capt.Requests[1]; r.Index != 1 || r.Response.Status != http.StatusNoContent {
		t.Errorf("second hit index %d status %d", r.Index, r.Response.Status)
	}
}

func TestRecorderBound(t *testing.T) {
	t.Parallel()
	rc := &recorder{}
	for range maxHits + 3 {
		rc.add(requestToTraffic(&http.Request{Host: "x", URL: &url.URL{Path: "/"}, Header: http.Header{}}, nil, time.Time{}))
	}
	if len(rc.all()) != maxHits || rc.droppedCount() != 3 {
		t.Errorf("kept %d, dropped %d", len(rc.all()), rc.droppedCount())
	}
}
