package browser_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/browser/browsertest"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

func TestCaptureTopAndIframe(t *testing.T) {
	t.Parallel()
	tab := open(t, "site.test", true, "/top.html")
	top, _ := waitRequest(t, tab, "from top", urlHas("from=top"))
	if top.Target != "page" || string(top.Body) != "email=top%40example.com" || top.PageID == "" {
		t.Errorf("top request: target %q body %q page %q", top.Target, top.Body, top.PageID)
	}
	fr, c := waitRequest(t, tab, "from iframe", urlHas("tracker.test", "from=iframe"))
	if fr.Target != "iframe" || string(fr.Body) != "iframe-body" || !strings.Contains(fr.FrameURL, "other.test") {
		t.Errorf("iframe request: target %q body %q frame %q", fr.Target, fr.Body, fr.FrameURL)
	}
	if fr.InitiatorScript() == "" || fr.PageID != top.PageID {
		t.Errorf("iframe request: initiator %+v, page %q (top %q)", fr.Initiator, fr.PageID, top.PageID)
	}
	for i, r := range c.Requests {
		if r.Index != i {
			t.Fatalf("request %d has Index %d", i, r.Index)
		}
		if !strings.HasPrefix(r.URL, "http") && !strings.HasPrefix(r.URL, "ws") {
			t.Errorf("recorded a request that never left the browser: %s", r.URL)
		}
	}
	if len(c.Pages) != 1 || !strings.HasSuffix(c.Pages[0].URL, "/top.html") {
		t.Errorf("pages = %+v", c.Pages)
	}
	if !strings.Contains(c.Browser, "Chrome/") {
		t.Errorf("browser = %q", c.Browser)
	}
	// Storage of the cross-site iframe is read through its own session.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := tab.CollectStorage(ctx); err != nil {
		t.Fatal(err)
	}
	c, err := tab.Context().Capture(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := traffic.StorageItem{Origin: env.Server.URL("other.test", true, ""), Kind: "local",
		Key: "frame_key", Value: "frame-value"}
	found := false
	for _, it := range c.Storage {
		found = found || it == want
	}
	if !found {
		t.Errorf("storage = %+v, want %+v", c.Storage, want)
	}
}

// TestCaptureTargets proves that requests from every kind of target and
// every kind of body are recorded with their bodies.
func TestCaptureTargets(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, path string
		match      []string
		target     string
		body       []string // substrings the recorded body must hold
		resource   string
	}{
		{"dedicated worker", "/worker.html", []string{"from=worker"}, "worker", []string{"worker-body"}, "fetch"},
		{"shared worker", "/shared.html", []string{"from=shared"}, "shared_worker", []string{"shared-body"}, "fetch"},
		{"service worker", "/sw.html", []string{"from=sw"}, "service_worker", []string{"sw-body"}, "fetch"},
		{"beacon blob", "/beacon.html", []string{"kind=blob"}, "page", []string{`{"email":"blob@example.com"}`}, "ping"},
		{"beacon formdata", "/beacon.html", []string{"kind=formdata"}, "page",
			[]string{`name="email"`, "form@example.com", `name="zip"`, "10115"}, "ping"},
		{"multipart fetch", "/multipart.html", []string{"kind=multipart"}, "page",
			[]string{`name="name"`, "Erika Mustermann", `filename="note.txt"`}, "fetch"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tab := open(t, "site.test", true, tt.path)
			r, _ := waitRequest(t, tab, tt.name, func(r *traffic.Request) bool {
				return browsertest.ContainsAll(r.URL, tt.match...) && len(r.Body) > 0 &&
					(r.Response != nil || r.Error != "")
			})
			if r.Target != tt.target {
				t.Errorf("target = %q, want %q", r.Target, tt.target)
			}
			if r.ResourceType != tt.resource {
				t.Errorf("resource type = %q, want %q", r.ResourceType, tt.resource)
			}
			for _, want := range tt.body {
				if !bytes.Contains(r.Body, []byte(want)) {
					t.Errorf("body %q lacks %q", r.Body, want)
				}
			}
			if r.Method != "POST" {
				t.Errorf("method %s", r.Method)
			}
		})
	}
}

func TestCaptureWebSocket(t *testing.T) {
	t.Parallel()
	tab := open(t, "site.test", false, "/ws.html")
	r, _ := waitRequest(t, tab, "websocket with 3 frames", func(r *traffic.Request) bool {
		return r.ResourceType == "websocket" && len(r.WebSocket) >= 3
	})
	var sent, received []string
	for _, f := range r.WebSocket {
		if f.Sent {
			sent = append(sent, string(f.Data))
		} else {
			received = append(received, string(f.Data))
		}
		if f.Opcode != 1 || f.Time.IsZero() {
			t.Errorf("frame %+v", f)
		}
	}
	if strings.Join(sent, ",") != "hello-from-page" || strings.Join(received, ",") != "server-hello,echo:hello-from-page" {
		t.Errorf("sent %q received %q", sent, received)
	}
	if !strings.HasPrefix(r.URL, "ws://site.test:") || r.Response == nil || r.Response.Status != 101 {
		t.Errorf("url %s response %+v", r.URL, r.Response)
	}
}

func TestCaptureCORSBlocked(t *testing.T) {
	t.Parallel()
	tab := open(t, "site.test", true, "/cors.html")
	r, _ := waitRequest(t, tab, "blocked by CORS", func(r *traffic.Request) bool {
		return strings.Contains(r.URL, "nocors") && r.Error != ""
	})
	if !strings.Contains(r.Error, "CORS") || string(r.Body) != "cors-secret=42" {
		t.Errorf("error %q body %q", r.Error, r.Body)
	}
}

func TestCaptureThirdPartyCookie(t *testing.T) {
	t.Parallel()
	tab := open(t, "site.test", true, "/cookie.html")
	r, c := waitRequest(t, tab, "tracker request with cookie", urlHas("tracker.test", "from=cookie"))
	if got := r.Headers.Get("Cookie"); got != "tp=visitor-123" {
		t.Errorf("Cookie header = %q; headers %v", got, r.Headers)
	}
	if len(r.Cookies) != 1 || r.Cookies[0].Name != "tp" || r.Cookies[0].Value != "visitor-123" {
		t.Errorf("cookies sent = %+v", r.Cookies)
	}
	set, _ := waitRequest(t, tab, "set-cookie response", urlHas("/setcookie"))
	if set.Response == nil || len(set.Response.Cookies) != 1 || set.Response.Cookies[0].SameSite != "None" {
		t.Errorf("response cookies = %+v", set.Response)
	}
	found := false
	for _, k := range c.Cookies {
		found = found || k.Name == "tp" && k.Domain == "tracker.test"
	}
	if !found {
		t.Errorf("cookie jar lacks tp: %+v", c.Cookies)
	}
}

func TestCaptureScriptAndJSONBodies(t *testing.T) {
	t.Parallel()
	tab := open(t, "site.test", true, "/script.html")
	waitRequest(t, tab, "request after config", urlHas("from=tag"))
	tag, _ := waitRequest(t, tab, "tag.js", urlHas("/tag.js"))
	if !bytes.Contains(tag.Response.Body, []byte("window.tagConfig")) || tag.ResourceType != "script" {
		t.Errorf("tag.js body %q type %q", tag.Response.Body, tag.ResourceType)
	}
	cfg, _ := waitRequest(t, tab, "config.json", urlHas("/config.json"))
	if !bytes.Contains(cfg.Response.Body, []byte("automatic_matching")) {
		t.Errorf("config body %q", cfg.Response.Body)
	}
	from, _ := waitRequest(t, tab, "from tag", urlHas("from=tag"))
	if from.InitiatorScript() == "" || !strings.Contains(from.InitiatorScript(), "/tag.js") {
		t.Errorf("initiator of tag request = %+v", from.Initiator)
	}
}
