package har

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/sharedtest"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// readBoth reads data with the one-pass reader and with encoding/json's
// decoder and fails unless both give the same capture, warnings and error.
func readBoth(t *testing.T, name string, data []byte, opts Options) {
	t.Helper()
	read := func(std bool) (*traffic.Capture, string) {
		var c traffic.Collector
		err := stream(context.Background(), bytes.NewReader(data), opts, &c, std)
		msg := ""
		if err != nil {
			msg = err.Error()
		}
		return &c.Capture, msg
	}
	got, gotErr := read(false)
	want, wantErr := read(true)
	if gotErr != wantErr {
		t.Fatalf("%s: error %q, encoding/json %q", name, gotErr, wantErr)
	}
	if !reflect.DeepEqual(got.Warnings, want.Warnings) {
		t.Fatalf("%s: warnings differ:\n got %q\nwant %q", name, got.Warnings, want.Warnings)
	}
	if len(got.Requests) != len(want.Requests) {
		t.Fatalf("%s: %d requests, encoding/json %d", name, len(got.Requests), len(want.Requests))
	}
	for i := range got.Requests {
		if !reflect.DeepEqual(got.Requests[i], want.Requests[i]) {
			t.Fatalf("%s: request %d differs:\n got %+v\nwant %+v", name, i, got.Requests[i], want.Requests[i])
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: captures differ (pages, cookies, storage or consent)", name)
	}
}

// tightOptions cut strings, entries, arrays and nesting, so that every
// budget path is read both ways too.
var tightOptions = Options{Name: "x.har", MaxResponseBody: 1 << 16, MaxString: 16, MaxEntry: 1024, MaxItems: 3, MaxDepth: 8}

func TestTokensReadLikeEncodingJSON(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob("testdata/*.har")
	shared := sharedtest.Dir(t)
	more, _ := filepath.Glob(filepath.Join(shared, "har", "*.har"))
	files = append(files, more...)
	gz, _ := filepath.Glob(filepath.Join(shared, "realworld", "*.har.gz"))
	files = append(files, gz...)
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			readBoth(t, path, data, Options{Name: "x.har"})
			readBoth(t, path+" (tight)", data, tightOptions)
		})
	}
}

// entryCases are entries in shapes the one-pass decoder hands back to
// encoding/json, or takes itself in a way that must agree with it.
var entryCases = []string{
	`{"request":{"method":"GET","url":"https://a.example/"},"response":{"status":200}}`,
	`{"request":{"method":"GET","URL":"https://a.example/"}}`,
	`{"request":{"method":"GET","url":"https://a.example/","url":null}}`,
	`{"request":{"method":"GET","url":"https://a.example/"},"request":{"method":"POST"}}`,
	`{"request":{"method":"GET","url":"https://a.example/","headers":[{"name":"a","value":"b"}],"headers":[{"name":"c"}]}}`,
	`{"request":{"method":"GET","url":"https://a.example/","headers":[null,{"name":"x","value":"\u00e9\ud800"}]}}`,
	`{"request":{"method":"GET","url":"https://a.example/\u0041","cookies":[]}}`,
	`{"request":{"method":7,"url":"https://a.example/"}}`,
	`{"request":{"method":"GET","url":"https://a.example/","headers":{}}}`,
	`{"request":{"method":"GET","url":"https://a.example/","headers":["x"]}}`,
	`{"request":"x"}`, `{"request":null}`, `42`, `"x"`, `null`, `[]`,
	`{"request":{"method":"GET","url":"https://a.example/","postData":{"mimeType":"a","text":{"a":1},"params":[{"name":"n","value":{"b":2}}]}}}`,
	`{"request":{"method":"GET","url":"https://a.example/","postData":{"text":"a\"b","params":7}}}`,
	`{"request":{"method":"GET","url":"https://a.example/"},"response":{"status":"abc"}}`,
	`{"request":{"method":"GET","url":"https://a.example/"},"response":{"status":"204","content":{"size":null,"text":"x","encoding":"base64"}}}`,
	`{"request":{"method":"GET","url":"https://a.example/"},"response":{"_fetchedViaServiceWorker":"yes"}}`,
	`{"request":{"method":"GET","url":"https://a.example/"},"response":{"_fetchedViaServiceWorker":true,"content":{"size":"12","mimeType":null}}}`,
	`{"request":{"method":"GET","url":"https://a.example/","cookies":[{"name":"a","value":"b","expires":12,"httpOnly":"true","secure":1,"sameSite":"Lax"}]}}`,
	`{"request":{"method":"GET","url":"https://a.example/"},"_initiator":{"type":"script","stack":{"callFrames":[]}},"_initiator_line":"12","_webSocketMessages":[{"type":"send","time":1.5,"opcode":1,"data":"x"}]}`,
	`{"request":{"method":"GET","url":"https://a.example/"},"_webSocketMessages":{"a":1},"_resourceType":7,"_serverPort":"x","_target":[1]}`,
	`{"request":{"method":"GET","url":"https://a.example/"},"\u0070ageref":"p","Pageref":"q"}`,
	`{"request":{"method":"GET","url":"https://a.example/"},"pageref":"p","_unknown":{"deep":[1,2,{"x":"\""}]},"time":"slow"}`,
	"{\"request\":{\"method\":\"GET\",\"url\":\"https://a.example/\xff\xfe\"}}",
	"{\"request\":{\"method\":\"GET\",\"url\":\"https://a.example/\"},\"pageref\":\"\u212a\",\"\u212aey\":1}",
	`{"request":{"method":"GET","url":"https://a.example/"},"startedDateTime":"2024-01-02T03:04:05Z","serverIPAddress":"1.2.3.4"}`,
}

func TestTokensDecodeEntriesLikeEncodingJSON(t *testing.T) {
	t.Parallel()
	for i, e := range entryCases {
		doc := fmt.Sprintf(`{"log":{"pages":[{"id":"p","title":"https://a.example/"}],"entries":[%s,%s]}}`, e, e)
		readBoth(t, fmt.Sprintf("case %d", i), []byte(doc), Options{Name: "x.har"})
		readBoth(t, fmt.Sprintf("case %d (tight)", i), []byte(doc), tightOptions)
		// Cut at every point, as a truncated file would be.
		for cut := 0; cut < len(doc); cut += 7 {
			readBoth(t, fmt.Sprintf("case %d cut at %d", i, cut), []byte(doc[:cut]), Options{Name: "x.har"})
		}
	}
}

// FuzzTokens holds the one-pass reader to encoding/json's on any input,
// with default and tight budgets.
func FuzzTokens(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.har")
	for _, p := range seeds {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	for _, e := range entryCases {
		f.Add([]byte(`{"log":{"entries":[` + e + `]}}`))
	}
	f.Add([]byte(`{"log":{"entries":[],"pages":null,"_cookies":[{"name":"a"}],"creator":{"name":1}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<20 || strings.Contains(string(data), "PK\x03\x04") {
			return
		}
		readBoth(t, "fuzz", data, Options{Name: "x.har", MaxResponseBody: 1 << 16})
		readBoth(t, "fuzz (tight)", data, tightOptions)
		sameInitiator(t, data)
	})
}

// sameInitiator fails unless decodeInitiator reads raw (any JSON, compacted
// first as the guard compacts it) as encoding/json does.
func sameInitiator(t *testing.T, raw []byte) {
	t.Helper()
	var buf bytes.Buffer
	if json.Compact(&buf, raw) != nil {
		return
	}
	var got, want harInitiator
	gotErr, wantErr := decodeInitiator(buf.Bytes(), &got), json.Unmarshal(buf.Bytes(), &want)
	if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) || !reflect.DeepEqual(got, want) {
		t.Fatalf("initiator %s:\n got %+v, %v\nwant %+v, %v", raw, got, gotErr, want, wantErr)
	}
}

func TestInitiatorLikeEncodingJSON(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{
		`{"type":"script","stack":{"callFrames":[{"functionName":"f","scriptId":"1","url":"https://a.example/a.js","lineNumber":3,"columnNumber":"4"}],"parent":{"description":"await","callFrames":[]}}}`,
		`{"type":"parser","url":"https://a.example/","lineNumber":12.5}`,
		`{"type":"script","stack":{"callFrames":null,"parent":null}}`,
		`{"type":"script","stack":{"callFrames":[null,{"URL":"x"}]}}`,
		`{"type":"script","stack":{"callFrames":[{"lineNumber":"x"}]}}`,
		`{"type":"script","stack":{"callFrames":[]},"stack":{"description":"x"}}`,
		`{"type":7}`, `{"Type":"other","url":"\u00e9"}`, `null`, `[]`, `"x"`,
	} {
		sameInitiator(t, []byte(raw))
	}
	// Every initiator of the real captures.
	files, _ := filepath.Glob(filepath.Join(sharedtest.Dir(t), "har", "*.har"))
	for _, path := range append(files, "testdata/devtools.har") {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Log struct {
				Entries []struct {
					Initiator json.RawMessage `json:"_initiator"`
				} `json:"entries"`
			} `json:"log"`
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			continue
		}
		for _, e := range doc.Log.Entries {
			if len(e.Initiator) > 0 {
				sameInitiator(t, e.Initiator)
			}
		}
	}
}

func TestPlainRun(t *testing.T) {
	t.Parallel()
	for c := range 256 {
		for pos := range 20 {
			b := bytes.Repeat([]byte("a\xc3\xa9"), 10)[:24]
			b[pos] = byte(c)
			want := 0
			for want < len(b) && !strSpecial[b[want]] {
				want++
			}
			if got := plainRun(b); got != want {
				t.Fatalf("byte %#x at %d: %d, want %d", c, pos, got, want)
			}
		}
	}
}
