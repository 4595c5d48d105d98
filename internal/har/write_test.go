package har

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/sharedtest"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// TestWriteGolden writes the DevTools test capture and compares it with a
// golden file (refresh with go test -update).
func TestWriteGolden(t *testing.T) {
	t.Parallel()
	c := readTestdata(t, "devtools.har", Options{})
	var buf bytes.Buffer
	if err := Write(&buf, c, WriteOptions{CreatorName: "leakwatch", CreatorVersion: "test"}); err != nil {
		t.Fatal(err)
	}
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, buf.Bytes(), "", "  "); err != nil {
		t.Fatalf("written HAR is not JSON: %v", err)
	}
	sharedtest.Golden(t, filepath.Join("testdata", "golden", "devtools.written.har"), pretty.Bytes(), *update)
}

// TestWriteDevToolsShape checks the fields Chrome DevTools' HAR importer
// requires (HARFormat: pages with pageTimings, entries with request,
// response.content, timings send/wait/receive, a parseable date).
func TestWriteDevToolsShape(t *testing.T) {
	t.Parallel()
	c := readTestdata(t, "devtools.har", Options{})
	var buf bytes.Buffer
	if err := Write(&buf, c, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Log struct {
			Version string
			Creator map[string]string
			Pages   []map[string]any
			Entries []map[string]any
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Log.Version != "1.2" || doc.Log.Creator["name"] != "WebInspector" || len(doc.Log.Pages) != 1 || len(doc.Log.Entries) != 5 {
		t.Fatalf("log %+v", doc.Log)
	}
	if _, ok := doc.Log.Pages[0]["pageTimings"].(map[string]any); !ok {
		t.Error("page without pageTimings")
	}
	for i, e := range doc.Log.Entries {
		for _, k := range []string{"startedDateTime", "time", "request", "response", "cache", "timings"} {
			if _, ok := e[k]; !ok {
				t.Errorf("entry %d: no %s", i, k)
			}
		}
		req, resp := e["request"].(map[string]any), e["response"].(map[string]any)
		for _, k := range []string{"method", "url", "httpVersion", "cookies", "headers", "queryString", "headersSize", "bodySize"} {
			if _, ok := req[k]; !ok {
				t.Errorf("entry %d: request without %s", i, k)
			}
		}
		content, _ := resp["content"].(map[string]any)
		if _, ok := content["size"].(float64); !ok {
			t.Errorf("entry %d: response.content.size missing", i)
		}
		if _, err := time.Parse(time.RFC3339Nano, e["startedDateTime"].(string)); err != nil {
			t.Errorf("entry %d: %v", i, err)
		}
	}
	img := doc.Log.Entries[2]["response"].(map[string]any)["content"].(map[string]any)
	if img["encoding"] != "base64" || img["text"] != "iVBORw0KGgo=" {
		t.Errorf("binary body written as %v", img)
	}
	ws, _ := doc.Log.Entries[3]["_webSocketMessages"].([]any)
	if len(ws) != 2 || ws[1].(map[string]any)["data"] != "AAECAw==" {
		t.Errorf("_webSocketMessages %v", ws)
	}
	if in, _ := doc.Log.Entries[1]["_initiator"].(map[string]any); in["type"] != "script" || in["stack"] == nil {
		t.Errorf("_initiator %v", in)
	}
}

// liveCapture has every field a live scan fills in, including those HAR has
// no place for.
func liveCapture() *traffic.Capture {
	t0 := time.Date(2024, 7, 1, 12, 0, 0, 123456789, time.UTC)
	return &traffic.Capture{
		Source: "live", Creator: "leakwatch 0.1", Browser: "Chromium 126.0",
		Pages: []*traffic.Page{
			{ID: "p1", URL: "https://shop.example/", Title: "Shop", Started: t0, Screenshot: []byte("\x89PNG\r\n\x1a\nfake")},
			{ID: "p2", URL: "https://shop.example/checkout", Title: "Checkout", Started: t0.Add(time.Second), Error: "navigation timeout"},
		},
		Requests: []*traffic.Request{
			{Index: 0, PageID: "p1", FrameID: "F1", FrameURL: "https://shop.example/", Target: "page", URL: "https://shop.example/",
				Method: "GET", HTTPVersion: "h2", ResourceType: "document", Initiator: traffic.Initiator{Type: "other"}, Started: t0,
				Response: &traffic.Response{Status: 200, MIME: "text/html", Body: []byte("<p>hi"), BodySize: 5}},
			{Index: 1, PageID: "p2", FrameID: "F2", Target: "iframe", URL: "https://t.example/collect", Method: "POST",
				Body: []byte{0x1f, 0x8b, 0x08, 0x00, 0xff}, BodyMIME: "application/octet-stream", ResourceType: "ping",
				Initiator: traffic.Initiator{Type: "script", URL: "https://t.example/t.js", Line: 3, Column: 9,
					Stack: []traffic.StackFrame{{Function: "send", URL: "https://t.example/t.js", Line: 3, Column: 9}}},
				Started: t0.Add(2 * time.Second), Error: "net::ERR_BLOCKED_BY_CLIENT"},
			{Index: 2, PageID: "p2", URL: "https://shop.example/form", Method: "POST", BodyMIME: "multipart/form-data; boundary=x",
				Params:       []traffic.Param{{Name: "email", Value: "a@b.example"}, {Name: "cv", FileName: "cv.pdf", ContentType: "application/pdf"}},
				ResourceType: "document", Started: t0.Add(3 * time.Second),
				Response: &traffic.Response{Status: 302, RedirectURL: "https://shop.example/thanks", BodySize: -1,
					Cookies: []traffic.Cookie{{Name: "s", Value: "1", Expires: t0.Add(time.Hour), HTTPOnly: true, SameSite: "Strict"}}}},
			{Index: 3, PageID: "p2", URL: "wss://live.example/", Method: "GET", ResourceType: "websocket", Started: t0.Add(4 * time.Second),
				Response: &traffic.Response{Status: 101, BodySize: 0},
				WebSocket: []traffic.WebSocketFrame{{Time: t0.Add(5 * time.Second), Sent: true, Opcode: 1, Data: []byte("hello")},
					{Time: t0.Add(6 * time.Second), Opcode: 2, Data: []byte{0, 0xff}}}},
		},
		Cookies: []traffic.Cookie{{Name: "_fbp", Value: "fb.1.2.3", Domain: ".shop.example", Path: "/", Expires: t0.Add(90 * 24 * time.Hour), Secure: true}},
		Storage: []traffic.StorageItem{{Origin: "https://shop.example", Kind: "local", Key: "user", Value: `{"email":"a@b.example"}`}},
	}
}

func TestWriteLiveRoundTrip(t *testing.T) {
	t.Parallel()
	assertRoundTrip(t, liveCapture(), Options{Name: "live"})
}

// TestWriterStreaming writes through the Visitor interface, pages
// interleaved with requests as a live scan delivers them.
func TestWriterStreaming(t *testing.T) {
	t.Parallel()
	c := liveCapture()
	var buf bytes.Buffer
	w := NewWriter(&buf, WriteOptions{})
	steps := []func() error{
		func() error { return w.Page(c.Pages[0]) },
		func() error { return w.Request(c.Requests[0]) },
		func() error { return w.Page(c.Pages[1]) },
		func() error { return w.Request(c.Requests[1]) },
		func() error { return w.Request(c.Requests[2]) },
		func() error { return w.Request(c.Requests[3]) },
		func() error { end := *c; end.Pages, end.Requests = nil, nil; return w.End(&end) },
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	if w.Size() != int64(buf.Len()) {
		t.Errorf("Size %d, wrote %d", w.Size(), buf.Len())
	}
	got, err := Read(context.Background(), &buf, Options{Name: "live"})
	if err != nil {
		t.Fatal(err)
	}
	if !reflectDeepEqual(got, c) {
		reportDiff(t, c, got)
	}
	if err := w.Request(c.Requests[0]); err == nil {
		t.Error("Request after End succeeded")
	}
}

func TestPagesFirst(t *testing.T) {
	t.Parallel()
	c := liveCapture()
	var buf bytes.Buffer
	w := NewWriter(&buf, WriteOptions{})
	if err := w.PagesFirst(c.Pages); err != nil {
		t.Fatal(err)
	}
	for _, r := range c.Requests {
		if err := w.Request(r); err != nil {
			t.Fatal(err)
		}
	}
	end := *c
	if err := w.End(&end); err != nil {
		t.Fatal(err)
	}
	if i, j := strings.Index(buf.String(), `"pages"`), strings.Index(buf.String(), `"entries"`); i < 0 || i > j {
		t.Errorf("pages not ahead of entries")
	}
	got, err := Read(context.Background(), &buf, Options{Name: "live"})
	if err != nil {
		t.Fatal(err)
	}
	if !reflectDeepEqual(got, c) {
		reportDiff(t, c, got)
	}
	w2 := NewWriter(&bytes.Buffer{}, WriteOptions{})
	w2.Request(c.Requests[0])
	if err := w2.PagesFirst(c.Pages); err == nil {
		t.Error("PagesFirst after a request succeeded")
	}
	w3 := NewWriter(&bytes.Buffer{}, WriteOptions{})
	w3.PagesFirst(nil)
	if err := w3.Page(c.Pages[0]); err == nil {
		t.Error("Page after PagesFirst succeeded")
	}
}

func reflectDeepEqual(a, b any) bool { return reflect.DeepEqual(a, b) }
