package lab

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func FuzzNormalizeTrackingNumber(f *testing.F) {
	for _, s := range []string{demoAccount.Parcel, "9400 1118 9956 1482 0377 27", "ec123456785us", "1Z-999-AA1-01-2345-6784",
		"", " ", "<script>", "٩٤٠٠", strings.Repeat("9", 40), "94\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		tn, ok := normalizeTrackingNumber(raw)
		if !ok {
			if tn != "" {
				t.Fatalf("rejected %q but returned %q", raw, tn)
			}
			return
		}
		if tn == "" || len(tn) > maxTrackingLen {
			t.Fatalf("accepted %q as %q", raw, tn)
		}
		for i := 0; i < len(tn); i++ {
			if c := tn[i]; !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z') {
				t.Fatalf("normalized %q to %q with byte %q", raw, tn, c)
			}
		}
		if again, ok := normalizeTrackingNumber(tn); !ok || again != tn {
			t.Fatalf("normalize is not idempotent: %q -> %q -> %q", raw, tn, again)
		}
		if validIMpb(tn) {
			last := tn[len(tn)-1]
			flipped := tn[:len(tn)-1] + string('0'+(last-'0'+1)%10)
			if validIMpb(flipped) {
				t.Fatalf("both %s and %s pass the check digit", tn, flipped)
			}
		}
	})
}

func FuzzPathMatches(f *testing.F) {
	f.Add("/signals/config/*", "/signals/config/123")
	f.Add("/*/fbevents.js", "//fbevents.js")
	f.Add("/tr/", "/tr")
	f.Fuzz(func(t *testing.T, pattern, path string) {
		got := pathMatches(pattern, path)
		if !strings.Contains(pattern, "*") && got != (pattern == path) {
			t.Fatalf("pathMatches(%q, %q) = %v without a wildcard", pattern, path, got)
		}
	})
}

// FuzzSiteRequest throws arbitrary requests at the lab's handler: it must
// answer every one with a status, never panic, and never echo markup from
// the request into an HTML page unescaped.
func FuzzSiteRequest(f *testing.F) {
	s, err := newSite(slog.New(slog.DiscardHandler))
	if err != nil {
		f.Fatal(err)
	}
	seeds := []struct {
		method, host, target string
		body                 []byte
	}{
		{"GET", SiteHost, "/track?tn=<zq>", nil},
		{"GET", SiteHost, "/track?tn=" + demoAccount.Parcel, nil},
		{"GET", SiteHost, "/<zq>", nil},
		{"POST", SiteHost, "/login", []byte("email=%3Czq%3E&password=x")},
		{"POST", SiteHost, "/login", []byte("email=" + demoAccount.Email + "&password=" + demoAccount.Password)},
		{"POST", "www.facebook.com", "/tr/", []byte("--x\r\nContent-Disposition: form-data; name=\"id\"\r\n\r\n1\r\n--x--")},
		{"GET", "connect.facebook.net", "/signals/config/" + MetaPixelID, nil},
		{"GET", "connect.facebook.net", "/signals/config/<zq>", nil},
		{"OPTIONS", "px.ads.linkedin.com", "/wa/", nil},
		{"GET", "<zq>.example", "/", nil},
		{"GET", "parcelpost.test:443", "/account", nil},
	}
	for _, sd := range seeds {
		f.Add(sd.method, sd.host, sd.target, sd.body)
	}
	h := s.handler()
	f.Fuzz(func(t *testing.T, method, host, target string, body []byte) {
		req, err := http.NewRequest(method, "https://"+SiteHost+"/", bytes.NewReader(body))
		if err != nil {
			return
		}
		if req.URL, err = req.URL.Parse(target); err != nil || req.URL.Host != SiteHost {
			return
		}
		req.Host = host
		req.RequestURI = req.URL.RequestURI()
		if method == http.MethodPost {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code < 100 || rec.Code > 599 {
			t.Fatalf("%s %s%s: status %d", method, host, target, rec.Code)
		}
		if strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") && strings.Contains(rec.Body.String(), "<zq") {
			t.Fatalf("%s %s%s: HTML page echoes markup from the request", method, host, target)
		}
	})
}
