package har

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

func readTestdata(t *testing.T, name string, opts Options) *traffic.Capture {
	t.Helper()
	opts.Name = name
	c, err := ReadFile(context.Background(), filepath.Join("testdata", name), opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

// TestDevTools reads a Chrome DevTools export and wants exactly this capture.
func TestDevTools(t *testing.T) {
	t.Parallel()
	got := readTestdata(t, "devtools.har", Options{})
	want := &traffic.Capture{
		Source: "devtools.har", Creator: "WebInspector 537.36",
		Pages: []*traffic.Page{{ID: "page_1", URL: "https://shop.example/checkout", Title: "https://shop.example/checkout", Started: ts("2024-03-01T09:00:00Z")}},
		Requests: []*traffic.Request{
			{
				Index: 0, PageID: "page_1", URL: "https://shop.example/checkout", Method: "GET", HTTPVersion: "http/2.0",
				Headers:      traffic.Headers{{Name: ":authority", Value: "shop.example"}, {Name: "accept", Value: "text/html"}},
				Cookies:      []traffic.Cookie{{Name: "sid", Value: "abc", Domain: "shop.example", Path: "/", Expires: ts("2025-03-01T10:00:00.123Z"), HTTPOnly: true, Secure: true, SameSite: "Lax"}},
				ResourceType: "document", Initiator: traffic.Initiator{Type: "other"}, Started: ts("2024-03-01T09:00:00.1Z"),
				Response: &traffic.Response{
					Status: 200, HTTPVersion: "http/2.0",
					Headers: traffic.Headers{{Name: "content-type", Value: "text/html; charset=utf-8"}, {Name: "set-cookie", Value: "sid=abc"}},
					Cookies: []traffic.Cookie{{Name: "sid", Value: "abc", Path: "/", Secure: true}},
					MIME:    "text/html", Body: []byte("<html><b>checkout</b></html"), BodySize: 27, RemoteIP: "192.0.2.1",
				},
			},
			{
				Index: 1, PageID: "page_1", URL: "https://www.facebook.com/tr/", Method: "POST", HTTPVersion: "http/2.0",
				Headers:  traffic.Headers{{Name: "content-type", Value: "multipart/form-data; boundary=----B"}},
				BodyMIME: "multipart/form-data; boundary=----B",
				Params: []traffic.Param{
					{Name: "id", Value: "1234"},
					{Name: "ud[em]", Value: "973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b"},
					{Name: "upload", FileName: "note.txt", ContentType: "text/plain"},
				},
				ResourceType: "ping",
				Initiator: traffic.Initiator{Type: "script", Stack: []traffic.StackFrame{
					{Function: "sendEvent", URL: "https://connect.facebook.net/en_US/fbevents.js", Line: 24, Column: 1501},
					{Function: "track", URL: "https://shop.example/app.js", Line: 3, Column: 7},
				}},
				Started: ts("2024-03-01T09:00:01.000001Z"), Error: "net::ERR_BLOCKED_BY_CLIENT",
			},
			{
				Index: 2, PageID: "page_1", URL: "https://shop.example/logo.png", Method: "GET", HTTPVersion: "http/2.0",
				ResourceType: "image", Initiator: traffic.Initiator{Type: "parser", URL: "https://shop.example/checkout", Line: 41, Column: 12},
				Started:  ts("2024-03-01T09:00:02Z"),
				Response: &traffic.Response{Status: 200, StatusText: "OK", HTTPVersion: "http/2.0", MIME: "image/png", Body: []byte("\x89PNG\r\n\x1a\n"), BodySize: 8},
			},
			{
				Index: 3, PageID: "page_1", URL: "wss://live.example/socket", Method: "GET", HTTPVersion: "http/1.1",
				Headers: traffic.Headers{{Name: "Upgrade", Value: "websocket"}}, ResourceType: "websocket",
				Initiator: traffic.Initiator{Type: "script", Stack: []traffic.StackFrame{{URL: "https://shop.example/live.js", Column: 99}}},
				Started:   ts("2024-03-01T09:00:03Z"),
				Response:  &traffic.Response{Status: 101, StatusText: "Switching Protocols", HTTPVersion: "http/1.1", MIME: "x-unknown", BodySize: 0},
				WebSocket: []traffic.WebSocketFrame{
					{Time: time.Unix(1709283603, 123456789).UTC(), Sent: true, Opcode: 1, Data: []byte(`{"email":"jane@example.com"}`)},
					{Time: time.Unix(1709283603, 500000000).UTC(), Opcode: 2, Data: []byte{0, 1, 2, 3}},
				},
			},
			{
				Index: 4, PageID: "page_1", URL: "https://shop.example/old", Method: "GET", HTTPVersion: "HTTP/1.1",
				ResourceType: "document", Initiator: traffic.Initiator{Type: "redirect", URL: "https://shop.example/old"},
				Started: ts("2024-03-01T09:00:04Z"),
				Response: &traffic.Response{Status: 302, StatusText: "Found", HTTPVersion: "HTTP/1.1",
					Headers: traffic.Headers{{Name: "Location", Value: "/new"}}, MIME: "text/html", BodySize: 0, RedirectURL: "https://shop.example/new"},
			},
		},
	}
	if !reflect.DeepEqual(got, want) {
		reportDiff(t, want, got)
	}
	assertRoundTrip(t, got, Options{Name: "devtools.har"})
}

func TestFirefox(t *testing.T) {
	t.Parallel()
	c := readTestdata(t, "firefox.har", Options{})
	if c.Creator != "Firefox 125.0" || c.Browser != "Firefox 125.0" || len(c.Requests) != 3 {
		t.Fatalf("capture %+v", c)
	}
	// The title is not a URL: the page takes its first entry's URL.
	if p := c.Pages[0]; p.URL != "https://site.example/contact" || p.Title != "Contact us" || !p.Started.Equal(ts("2024-05-01T10:00:00Z")) {
		t.Errorf("page %+v", p)
	}
	post := c.Requests[1]
	if string(post.Body) != "email=jane%40example.com&zip=94107" || post.Params != nil || post.BodyMIME != "application/x-www-form-urlencoded" {
		t.Errorf("post body %q params %v", post.Body, post.Params)
	}
	if post.ResourceType != "other" || post.Response.Body != nil || post.Response.BodySize != 0 {
		t.Errorf("post %+v / %+v", post, post.Response)
	}
	if exp := c.Requests[0].Response.Cookies[0].Expires; !exp.Equal(ts("2025-05-01T10:00:00Z")) {
		t.Errorf("cookie expiry %v", exp)
	}
	font := c.Requests[2]
	if font.Body != nil || font.BodyMIME != "" || string(font.Response.Body) != "wOF2" || font.ResourceType != "font" {
		t.Errorf("font %+v %+v", font, font.Response)
	}
	assertRoundTrip(t, c, Options{Name: "firefox.har"})
}

func TestBOM(t *testing.T) {
	t.Parallel()
	c := readTestdata(t, "bom.har", Options{})
	if len(c.Requests) != 1 || c.Requests[0].Started.Nanosecond() != 123456700 || c.Pages != nil {
		t.Fatalf("capture %+v", c)
	}
}

func TestKeysInAnyOrder(t *testing.T) {
	t.Parallel()
	var v recorder
	f, err := os.Open("testdata/reordered.har")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := Stream(context.Background(), f, Options{Name: "reordered.har"}, &v); err != nil {
		t.Fatal(err)
	}
	// Pages after the entries are delivered when seen, after the requests.
	if got := strings.Join(v.events, " "); got != "request:0 request:1 page:p1 page:p2 end" {
		t.Errorf("events %s", got)
	}
	r := v.Capture.Requests[0]
	if r.ResourceType != "xhr" || r.FrameID != "F1" || r.FrameURL != "https://shop.example/" || r.Target != "iframe" ||
		string(r.Response.Body) != `{"ok":true}` || !r.Started.Equal(ts("2024-02-02T07:02:02.5Z")) {
		t.Errorf("request %+v", r)
	}
	// Pages after the entries take the URL of their first entry too.
	if v.Capture.Creator != "custom tool 1.0" || v.Capture.Pages[0].URL != "https://shop.example/" || v.Capture.Pages[1].URL != "https://api.example/v1/cart?item=7" {
		t.Errorf("creator %q, page %+v", v.Capture.Creator, v.Capture.Pages[0])
	}
}

func TestMitmproxy(t *testing.T) {
	t.Parallel()
	c := readTestdata(t, "mitmproxy.har", Options{})
	if len(c.Pages) != 0 || len(c.Requests) != 2 {
		t.Fatalf("capture %+v", c)
	}
	if r := c.Requests[0]; string(r.Body) != `{"pids":[123],"x":1}` || string(r.Response.Body) != "GIF89a" || r.ResourceType != "image" {
		t.Errorf("request %+v", r)
	}
	if r := c.Requests[1]; !bytes.Equal(r.Body, []byte{0, 1, 0xff, 0x7f}) || r.Response.Status != 200 || r.Response.Body != nil {
		t.Errorf("binary request body %q, response %+v", r.Body, r.Response)
	}
	assertRoundTrip(t, c, Options{Name: "mitmproxy.har"})
}

func TestChromeHAR(t *testing.T) {
	t.Parallel()
	c := readTestdata(t, "chromehar.har", Options{})
	want := traffic.Initiator{Type: "script", URL: "https://news.example/ads.js", Line: 11, Column: 4}
	if got := c.Requests[0].Initiator; !reflect.DeepEqual(got, want) {
		t.Errorf("flat initiator %+v, want %+v", got, want)
	}
	want = traffic.Initiator{Type: "parser", URL: "https://news.example/", Line: 39}
	if got := c.Requests[1].Initiator; !reflect.DeepEqual(got, want) {
		t.Errorf("detail initiator %+v, want %+v", got, want)
	}
	if r := c.Requests[1]; r.ResourceType != "script" || r.Response.BodySize != 100000 || !r.Cookies[0].Expires.Equal(time.Unix(1717200000, 250000000)) {
		t.Errorf("request %+v", r)
	}
	if c.Requests[0].ResourceType != "image" {
		t.Errorf("bing pixel type %q", c.Requests[0].ResourceType)
	}
	assertRoundTrip(t, c, Options{Name: "chromehar.har"})
}

// recorder is a Visitor that logs the order of calls.
type recorder struct {
	traffic.Collector
	events []string
}

func (r *recorder) Page(p *traffic.Page) error {
	r.events = append(r.events, "page:"+p.ID)
	return r.Collector.Page(p)
}

func (r *recorder) Request(q *traffic.Request) error {
	r.events = append(r.events, "request:"+itoa(q.Index))
	return r.Collector.Request(q)
}

func (r *recorder) End(c *traffic.Capture) error {
	r.events = append(r.events, "end")
	return r.Collector.End(c)
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestPagesBeforeTheirRequests(t *testing.T) {
	t.Parallel()
	in := `{"log":{"pages":[{"id":"a","title":"A"},{"id":"b","title":"B"},{"id":"c","title":"C"}],"entries":[
	{"pageref":"a","request":{"method":"GET","url":"https://a.example/"}},
	{"pageref":"b","request":{"method":"GET","url":"https://b.example/"}},
	{"pageref":"b","request":{"method":"GET","url":"https://b.example/x"}}]}}`
	var v recorder
	if err := Stream(context.Background(), strings.NewReader(in), Options{}, &v); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(v.events, " "); got != "page:a request:0 page:b request:1 request:2 page:c end" {
		t.Errorf("events %s", got)
	}
	if v.Capture.Pages[0].URL != "https://a.example/" || v.Capture.Pages[1].URL != "https://b.example/" || v.Capture.Pages[2].URL != "" {
		t.Errorf("page URLs %q %q %q", v.Capture.Pages[0].URL, v.Capture.Pages[1].URL, v.Capture.Pages[2].URL)
	}
}

func TestGzipAndStdin(t *testing.T) {
	raw, err := os.ReadFile("testdata/devtools.har")
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(raw)
	zw.Close()
	path := filepath.Join(t.TempDir(), "x.har.gz")
	if err := os.WriteFile(path, gz.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	want := readTestdata(t, "devtools.har", Options{})
	want.Source = path
	for name, read := range map[string]func() (*traffic.Capture, error){
		"file": func() (*traffic.Capture, error) { return ReadFile(context.Background(), path, Options{}) },
		"OpenReader": func() (*traffic.Capture, error) {
			rc, err := OpenReader(bytes.NewReader(gz.Bytes()))
			if err != nil {
				return nil, err
			}
			defer rc.Close()
			return Read(context.Background(), rc, Options{Name: path})
		},
		"reader": func() (*traffic.Capture, error) {
			c, err := Read(context.Background(), bytes.NewReader(gz.Bytes()), Options{Name: path})
			return c, err
		},
		"stdin": func() (*traffic.Capture, error) {
			f, err := os.Open(path)
			if err != nil {
				return nil, err
			}
			defer f.Close()
			old := os.Stdin
			os.Stdin = f
			defer func() { os.Stdin = old }()
			return ReadFile(context.Background(), "-", Options{Name: path})
		},
	} {
		got, err := read()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: gzip read differs", name)
		}
	}
}

func TestMaxResponseBody(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		max      int
		keepHTML bool // 27 bytes
		keepPNG  bool // 8 bytes
	}{
		{max: 0, keepHTML: true, keepPNG: true},
		{max: -1, keepHTML: true, keepPNG: true},
		{max: 27, keepHTML: true, keepPNG: true},
		{max: 26, keepHTML: false, keepPNG: true},
		{max: 8, keepHTML: false, keepPNG: true},
		{max: 7, keepHTML: false, keepPNG: false},
	} {
		c := readTestdata(t, "devtools.har", Options{MaxResponseBody: tc.max})
		html, png := c.Requests[0].Response, c.Requests[2].Response
		if (html.Body != nil) != tc.keepHTML || (png.Body != nil) != tc.keepPNG || html.BodySize != 27 || png.BodySize != 8 {
			t.Errorf("max %d: html body %d bytes (size %d), png %d bytes (size %d)", tc.max, len(html.Body), html.BodySize, len(png.Body), png.BodySize)
		}
	}
}

func TestRequestBodiesKeptWhole(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("a", 3<<20)
	in := `{"log":{"entries":[{"request":{"method":"POST","url":"https://x.example/","postData":{"mimeType":"text/plain","text":"` + big + `"}},
	"response":{"status":200,"content":{"mimeType":"text/plain","text":"` + big + `"}}}]}}`
	c, err := Read(context.Background(), strings.NewReader(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := c.Requests[0]
	if len(r.Body) != len(big) || r.Response.Body != nil || r.Response.BodySize != int64(len(big)) {
		t.Errorf("request body %d, response body %d size %d", len(r.Body), len(r.Response.Body), r.Response.BodySize)
	}
}

func TestOpenErrors(t *testing.T) {
	t.Parallel()
	_, err := ReadFile(context.Background(), filepath.Join(t.TempDir(), "missing.har"), Options{})
	if err == nil || !strings.Contains(err.Error(), "missing.har") || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	raw, err := os.ReadFile("testdata/devtools.har")
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(raw)
	zw.Close()
	dir := t.TempDir()
	for _, tc := range []struct {
		name, err, warn string
		data            []byte
		requests        int
	}{
		{name: "magic only", data: []byte{0x1f, 0x8b}, err: "gzip: unexpected EOF"},
		{name: "cut gzip", data: gz.Bytes()[:gz.Len()*2/3], warn: "truncated", requests: 1},
		{name: "corrupt gzip", data: append(append([]byte{}, gz.Bytes()[:40]...), bytes.Repeat([]byte{0xff}, 200)...), err: "invalid HAR"},
	} {
		path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".har.gz")
		if err := os.WriteFile(path, tc.data, 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := ReadFile(context.Background(), path, Options{})
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: error %v, want %q", tc.name, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if len(c.Requests) < tc.requests || len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0], tc.warn) {
			t.Errorf("%s: %d requests, warnings %q", tc.name, len(c.Requests), c.Warnings)
		}
	}
}

func TestPlaywright(t *testing.T) {
	t.Parallel()
	c := readTestdata(t, "playwright.har", Options{})
	if c.Creator != "Playwright 1.44.0" || c.Browser != "chromium 125.0.6422.26" || len(c.Pages) != 1 || len(c.Requests) != 2 {
		t.Fatalf("capture %+v", c)
	}
	// A body saved beside the HAR (_file) is not in it: no body, size unknown.
	if r := c.Requests[0].Response; r.Body != nil || r.BodySize != -1 || c.Requests[0].ResourceType != "document" {
		t.Errorf("document %+v", r)
	}
	if c.Pages[0].URL != "https://signup.example/" {
		t.Errorf("page URL %q", c.Pages[0].URL)
	}
	post := c.Requests[1]
	if string(post.Body) != "email=jane%40example.com&phone=5550100" || post.Params != nil || string(post.Response.Body) != `{"id":4711}` {
		t.Errorf("post %+v", post)
	}
	if ck := post.Response.Cookies[0]; !ck.HTTPOnly || ck.SameSite != "Lax" || !ck.Expires.Equal(ts("2024-07-10T08:00:01Z")) {
		t.Errorf("cookie %+v", ck)
	}
	assertRoundTrip(t, c, Options{Name: "playwright.har"})
}

func TestSafari(t *testing.T) {
	t.Parallel()
	c := readTestdata(t, "safari.har", Options{})
	if c.Creator != "WebKit Web Inspector 1.0" || len(c.Requests) != 2 || c.Pages[0].URL != "https://blog.example/" {
		t.Fatalf("capture %+v", c)
	}
	if r := c.Requests[1]; r.ResourceType != "image" || len(r.Response.Body) != 43 || !bytes.HasPrefix(r.Response.Body, []byte("GIF89a")) {
		t.Errorf("pixel %+v", r.Response)
	}
	assertRoundTrip(t, c, Options{Name: "safari.har"})
}
