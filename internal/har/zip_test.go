package har

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// member is one file of a test zip.
type member struct {
	name string
	data []byte
}

// buildZip writes a zip the way Playwright's HarRecorder does: the
// attachments by their content name, then the HAR as har.har, deflated.
func buildZip(t testing.TB, ms ...member) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, m := range ms {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: m.name, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(m.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var (
	pwBeacon = []byte{0x1f, 0x8b, 0x08, 0x00, 'e', 'm', 0xff, 0x00}
	pwForm   = []byte("email=jane%40example.com&plan=pro")
	pwJSON   = []byte(`{"id":4711,"email":"jane@example.com"}`)
	pwFrames = []byte(`{"type":"send","time":1720000000123.5,"opcode":1,"data":"{\"email\":\"jane@example.com\"}"}` + "\n" + `{"type":"receive","time":1720000000200,"opcode":2,"data":"AP8="}` + "\n")
	pwHAR    = `{"log":{"version":"1.2","creator":{"name":"Playwright","version":"1.56.0"},"browser":{"name":"chromium","version":"141.0"},
 "pages":[{"startedDateTime":"2024-07-03T09:46:40.000Z","id":"page@1","title":"Signup","pageTimings":{"onContentLoad":-1,"onLoad":-1}}],
 "entries":[
  {"pageref":"page@1","startedDateTime":"2024-07-03T09:46:40.100Z","time":5,"request":{"method":"POST","url":"https://t.example/collect","httpVersion":"HTTP/1.1","cookies":[],"headers":[{"name":"content-type","value":"application/octet-stream"}],"queryString":[],"headersSize":-1,"bodySize":8,
    "postData":{"mimeType":"application/octet-stream","text":"","params":[],"_file":"b1.dat"}},
   "response":{"status":204,"statusText":"No Content","httpVersion":"HTTP/1.1","cookies":[],"headers":[],"content":{"size":0,"mimeType":"x-unknown"},"headersSize":-1,"bodySize":0,"redirectURL":""},
   "serverIPAddress":"203.0.113.7","_serverPort":443,"cache":{},"timings":{"send":0,"wait":1,"receive":1}},
  {"pageref":"page@1","startedDateTime":"2024-07-03T09:46:40.200Z","time":5,"request":{"method":"POST","url":"https://signup.example/api","httpVersion":"HTTP/2.0","cookies":[],"headers":[],"queryString":[],"headersSize":-1,"bodySize":33,
    "postData":{"mimeType":"application/x-www-form-urlencoded","text":"","params":[{"name":"email","value":"jane@example.com"},{"name":"plan","value":"pro"}],"_file":"f1.form"}},
   "response":{"status":200,"statusText":"OK","httpVersion":"HTTP/2.0","cookies":[],"headers":[],"content":{"size":38,"mimeType":"application/json","_file":"r1.json"},"headersSize":-1,"bodySize":38,"redirectURL":""},
   "serverIPAddress":"[2001:db8::1]","_serverPort":8443,"cache":{},"timings":{"send":0,"wait":1,"receive":1}},
  {"pageref":"page@1","startedDateTime":"2024-07-03T09:46:40.300Z","time":-1,"_resourceType":"websocket","request":{"method":"GET","url":"wss://live.example/socket","httpVersion":"HTTP/1.1","cookies":[],"headers":[],"queryString":[],"headersSize":-1,"bodySize":-1},
   "response":{"status":101,"statusText":"Switching Protocols","httpVersion":"HTTP/1.1","cookies":[],"headers":[],"content":{"size":-1,"mimeType":"x-unknown","_file":"0a1b.jsonl"},"headersSize":-1,"bodySize":-1,"redirectURL":""},"cache":{},"timings":{"send":-1,"wait":-1,"receive":-1}},
  {"pageref":"page@1","startedDateTime":"2024-07-03T09:46:40.400Z","time":-1,"request":{"method":"GET","url":"https://blocked.example/p.gif","httpVersion":"HTTP/1.1","cookies":[],"headers":[],"queryString":[],"headersSize":-1,"bodySize":0},
   "response":{"status":-1,"statusText":"","httpVersion":"HTTP/1.1","cookies":[],"headers":[],"content":{"size":-1,"mimeType":"x-unknown"},"headersSize":-1,"bodySize":-1,"redirectURL":"","_failureText":"net::ERR_BLOCKED_BY_CLIENT"},"cache":{},"timings":{"send":-1,"wait":-1,"receive":-1}}
 ]}}`
)

func playwrightZip(t testing.TB) []byte {
	return buildZip(t, member{"b1.dat", pwBeacon}, member{"f1.form", pwForm}, member{"r1.json", pwJSON},
		member{"0a1b.jsonl", pwFrames}, member{"har.har", []byte(pwHAR)})
}

func TestPlaywrightZip(t *testing.T) {
	t.Parallel()
	c, err := Read(context.Background(), bytes.NewReader(playwrightZip(t)), Options{Name: "x.har.zip"})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Warnings) > 0 || len(c.Requests) != 4 || c.Creator != "Playwright 1.56.0" {
		t.Fatalf("warnings %q, %d requests, creator %q", c.Warnings, len(c.Requests), c.Creator)
	}
	beacon, form, ws, blocked := c.Requests[0], c.Requests[1], c.Requests[2], c.Requests[3]
	if !bytes.Equal(beacon.Body, pwBeacon) || beacon.Response.RemoteIP != "203.0.113.7" || beacon.Response.RemotePort != 443 {
		t.Errorf("beacon body %q, response %+v", beacon.Body, beacon.Response)
	}
	if !bytes.Equal(form.Body, pwForm) || form.Params != nil || !bytes.Equal(form.Response.Body, pwJSON) || form.Response.BodySize != 38 {
		t.Errorf("form %+v, response %+v", form, form.Response)
	}
	if form.Response.RemoteIP != "2001:db8::1" || form.Response.RemotePort != 8443 {
		t.Errorf("form address %q %d", form.Response.RemoteIP, form.Response.RemotePort)
	}
	t0 := time.UnixMilli(1720000000123).Add(500 * time.Microsecond).UTC()
	want := []traffic.WebSocketFrame{{Time: t0, Sent: true, Opcode: 1, Data: []byte(`{"email":"jane@example.com"}`)},
		{Time: time.UnixMilli(1720000000200).UTC(), Opcode: 2, Data: []byte{0, 0xff}}}
	if !reflectDeepEqual(ws.WebSocket, want) || ws.Response.Body != nil {
		t.Errorf("frames %+v, response %+v", ws.WebSocket, ws.Response)
	}
	if blocked.Error != "net::ERR_BLOCKED_BY_CLIENT" || blocked.Response.Status != 0 {
		t.Errorf("blocked %+v %+v", blocked, blocked.Response)
	}
	assertRoundTrip(t, c, Options{Name: "x.har.zip"})
}

// TestZipAnyName reads the zip whatever the file is called, from a file,
// from standard input that is a file, and from a pipe (spooled).
func TestZipAnyName(t *testing.T) {
	t.Parallel()
	raw := playwrightZip(t)
	path := filepath.Join(t.TempDir(), "capture.json")
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	pr, pw := io.Pipe()
	go func() { pw.Write(raw); pw.Close() }()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rc, err := OpenReader(pr)
	if err != nil {
		t.Fatal(err)
	}
	readers := map[string]func() (*traffic.Capture, error){
		"ReadFile": func() (*traffic.Capture, error) { return ReadFile(context.Background(), path, Options{}) },
		"os.File":  func() (*traffic.Capture, error) { return Read(context.Background(), f, Options{}) },
		"pipe":     func() (*traffic.Capture, error) { return Read(context.Background(), rc, Options{}) },
		"io.Reader": func() (*traffic.Capture, error) {
			return Read(context.Background(), struct{ io.Reader }{bytes.NewReader(raw)}, Options{})
		},
	}
	for name, read := range readers {
		c, err := read()
		if err != nil || len(c.Requests) != 4 || !bytes.Equal(c.Requests[0].Body, pwBeacon) {
			t.Errorf("%s: %v, %+v", name, err, c)
		}
	}
}

func TestZipHostile(t *testing.T) {
	t.Parallel()
	bomb := make([]byte, 8<<20) // 8 MiB of zeros deflate to a few KiB
	tests := []struct {
		name    string
		zip     []byte
		opts    Options
		wantErr string // "" for none
		warning string
	}{
		{name: "no har member", zip: buildZip(t, member{"a.txt", []byte("x")}), wantErr: "no .har member"},
		{name: "empty zip", zip: buildZip(t), wantErr: "no .har member"},
		{name: "not a zip after the magic", zip: []byte("PK\x03\x04garbage"), wantErr: "not a readable zip"},
		{name: "har member over budget", zip: buildZip(t, member{"har.har", append([]byte(pwHAR), bomb...)}),
			opts: Options{MaxUnzipped: 1 << 20}, wantErr: "uncompressed budget"},
		{name: "attachment over budget", zip: buildZip(t, member{"b1.dat", bomb}, member{"har.har", []byte(pwHAR)}),
			opts: Options{MaxUnzipped: 1 << 20, MaxString: 16 << 20}, warning: "uncompressed budget"},
		{name: "attachment over MaxString", zip: buildZip(t, member{"b1.dat", bomb}, member{"har.har", []byte(pwHAR)}),
			opts: Options{MaxString: 1 << 20}, warning: "over the string budget"},
		{name: "missing attachment", zip: buildZip(t, member{"har.har", []byte(pwHAR)}), warning: `"r1.json" is missing`},
		{name: "two hars", zip: buildZip(t, member{"b.har", []byte(pwHAR)}, member{"har.har", []byte(pwHAR)}), warning: "har.har read"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := Read(context.Background(), bytes.NewReader(tt.zip), tt.opts)
			if tt.wantErr != "" {
				if err == nil || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want ErrInvalid with %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !hasWarning(c.Warnings, tt.warning) {
				t.Errorf("warnings %q, want %q", c.Warnings, tt.warning)
			}
		})
	}
}

// TestZipResponseCap keeps an attached response body to MaxResponseBody,
// its size still known.
func TestZipResponseCap(t *testing.T) {
	t.Parallel()
	big := bytes.Repeat([]byte("a"), 100)
	raw := buildZip(t, member{"r1.json", big}, member{"har.har", []byte(strings.Replace(pwHAR, `"size":38`, `"size":-1`, 1))})
	c, err := Read(context.Background(), bytes.NewReader(raw), Options{MaxResponseBody: 50})
	if err != nil {
		t.Fatal(err)
	}
	if r := c.Requests[1].Response; r.Body != nil || r.BodySize != 100 {
		t.Errorf("response %+v", r)
	}
}

// TestWriteBinaryPostData checks that a binary request body is written the
// way HAR 1.2 allows (no postData.encoding, text valid UTF-8) and exactly in
// _base64.
func TestWriteBinaryPostData(t *testing.T) {
	t.Parallel()
	body := []byte("a\xff\x00b\xc3")
	c := &traffic.Capture{Requests: []*traffic.Request{{URL: "https://t.example/", Method: "POST", Body: body, BodyMIME: "application/octet-stream"}}}
	var buf bytes.Buffer
	if err := Write(&buf, c, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Log struct {
			Entries []struct {
				Request struct{ PostData map[string]any }
			}
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	pd := doc.Log.Entries[0].Request.PostData
	if _, ok := pd["encoding"]; ok || pd["text"] != "a\uFFFD\x00b\uFFFD" || pd["_base64"] != base64.StdEncoding.EncodeToString(body) {
		t.Errorf("postData %q", pd)
	}
	got, err := Read(context.Background(), &buf, Options{})
	if err != nil || !bytes.Equal(got.Requests[0].Body, body) {
		t.Errorf("read back %v %q", err, got.Requests[0].Body)
	}
}

func TestParseFrameTime(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]time.Time{
		"1720000000.5":     time.Unix(1720000000, 5e8).UTC(),
		"1720000000500":    time.Unix(1720000000, 5e8).UTC(),
		"1720000000500.25": time.Unix(1720000000, 500250000).UTC(),
		"1.7200000005e12":  time.Unix(1720000000, 5e8).UTC(),
		"-1":               {},
	} {
		if got, _ := parseFrameTime(in); !got.Equal(want) {
			t.Errorf("%s: %v, want %v", in, got, want)
		}
	}
}

func FuzzZip(f *testing.F) {
	f.Add(playwrightZip(f))
	f.Add(buildZip(f, member{"har.har", []byte(`{"log":{"entries":[{"request":{"url":"https://a/","postData":{"_file":"har.har"}},"response":{"content":{"_file":"x.jsonl"}},"_resourceType":"websocket"}]}}`)}, member{"x.jsonl", []byte("{}\n[")}))
	f.Add([]byte("PK\x05\x06" + strings.Repeat("\x00", 18)))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, opts := range []Options{{}, {MaxUnzipped: 4096, MaxString: 64, MaxEntry: 1024, MaxItems: 3, MaxResponseBody: 16}} {
			var v countingVisitor
			if err := Stream(context.Background(), bytes.NewReader(data), opts, &v); err != nil && !errors.Is(err, ErrInvalid) {
				t.Fatalf("error does not wrap ErrInvalid: %v", err)
			}
		}
	})
}
