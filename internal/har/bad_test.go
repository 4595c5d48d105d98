package har

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

const okEntry = `{"request":{"method":"GET","url":"https://ok.example/"},"response":{"status":200}}`

func entries(es ...string) string {
	return `{"log":{"version":"1.2","entries":[` + strings.Join(es, ",") + `]}}`
}

func TestBadInput(t *testing.T) {
	t.Parallel()
	huge := strings.Repeat("x", 5<<20)
	for _, tc := range []struct {
		name     string
		in       string
		err      string // error substring; "" means no error
		warn     string // substring of the only warning; "" means none
		requests []int  // indexes delivered
	}{
		{"empty", "", "read HAR bad.har: invalid HAR: file is empty", "", nil},
		{"not JSON", "hello world", "read HAR bad.har: invalid HAR: not valid JSON at byte 1", "", nil},
		{"HTML", "<!doctype html><html>", "not valid JSON", "", nil},
		{"top-level array", `[1,2]`, "the top-level JSON value is an array, want an object", "", nil},
		{"top-level huge string", `"` + huge + `"`, "the top-level JSON value is a string", "", nil},
		{"no log", `{"entries":[]}`, `not a HAR: no "log" object`, "", nil},
		{"log is a string", `{"log":"x"}`, `"log" is a string, want an object`, "", nil},
		{"no entries", `{"log":{"version":"1.2","pages":[]}}`, `no "entries" array`, "", nil},
		{"entries is an object", `{"log":{"entries":{}}}`, "log.entries is an object, want an array", "", nil},
		{"entries is null", `{"log":{"entries":null}}`, "log.entries is null, want an array", "", nil},
		{"UTF-16", "\xff\xfe{\x00", "UTF-16", "", nil},
		{"truncated before entries", `{"log":{"version":"1.2","pages":[{"id":`, "truncated before the entries array", "", nil},
		{"broken JSON mid-entries", entries(okEntry, `{"request":{"url": x}}`), "read HAR bad.har: entry 1: invalid HAR: not valid JSON", "", []int{0}},
		{"headers as object", entries(okEntry, `{"request":{"method":"GET","url":"https://a/","headers":{"a":"b"}}}`, okEntry),
			"", "bad.har: entry 1: skipped: request.headers: want array, got object", []int{0, 2}},
		{"number for a string", entries(`{"request":{"method":"GET","url":42}}`, okEntry),
			"", "entry 0: skipped: request.url: want string, got number", []int{1}},
		{"header value number", entries(`{"request":{"method":"GET","url":"https://a/","headers":[{"name":"a","value":1}]}}`),
			"", "entry 0: skipped: request.headers.value: want string, got number", nil},
		{"entry is a number", entries(okEntry, `42`, okEntry), "", "entry 1: skipped: want object, got number", []int{0, 2}},
		{"entry is null", entries(`null`, okEntry), "", "entry 0: skipped: no request", []int{1}},
		{"empty url", entries(`{"request":{"method":"GET","url":""}}`), "", "entry 0: skipped: request.url is empty", nil},
		{"unparseable url", entries(`{"request":{"method":"GET","url":"http://a b.example/%zz"}}`),
			"", "entry 0: request.url cannot be parsed (kept as is)", []int{0}},
		{"invalid base64", entries(`{"request":{"method":"GET","url":"https://a/"},"response":{"status":200,"content":{"mimeType":"image/png","encoding":"base64","text":"!!not base64!!"}}}`),
			"", "entry 0: response.content.text: invalid base64, kept as text", []int{0}},
		{"unknown encoding", entries(`{"request":{"method":"GET","url":"https://a/"},"response":{"status":200,"content":{"encoding":"rot13","text":"uryyb"}}}`),
			"", `entry 0: response.content.encoding "rot13" unknown`, []int{0}},
		{"bad startedDateTime", entries(`{"startedDateTime":"yesterday","request":{"method":"GET","url":"https://a/"}}`),
			"", `entry 0: startedDateTime: cannot parse "yesterday"`, []int{0}},
		{"bad _initiator", entries(`{"_initiator":{"type":5},"request":{"method":"GET","url":"https://a/"}}`),
			"", "entry 0: _initiator:", []int{0}},
		{"_webSocketMessages is an object", entries(`{"_webSocketMessages":{"a":1},"request":{"method":"GET","url":"wss://a/"}}`),
			"", "entry 0: _webSocketMessages ignored: json: cannot unmarshal object", []int{0}},
		{"vendor fields of odd types", entries(`{"_resourceType":7,"_initiator_line":[1],"_frameId":{},"_initiator_detail":5,"request":{"method":"GET","url":"https://a/","cookies":[{"name":"c","value":"v","httpOnly":"maybe","secure":{}}]}}`),
			"", "entry 0: _initiator_detail is not an initiator object", []int{0}},
		{"creator is a string", `{"log":{"creator":"me","entries":[` + okEntry + `]}}`, "", "bad.har: log.creator: want object, got string", []int{0}},
		{"bad page", `{"log":{"pages":[5],"entries":[]}}`, "", "bad.har: page 0: want object, got number", nil},
		{"multi-megabyte url", entries(`{"request":{"method":"GET","url":"https://a.example/?q=` + huge + `"}}`), "", "", []int{0}},
		{"multi-megabyte header", entries(`{"request":{"method":"GET","url":"https://a/","headers":[{"name":"x","value":"` + huge + `"}]}}`), "", "", []int{0}},
		{"truncated", entries(okEntry, okEntry)[:len(entries(okEntry, okEntry))-len(okEntry)+10], "",
			"bad.har: file is truncated after entry 0 (1 complete entries read)", []int{0}},
		{"truncated in first entry", entries(okEntry)[:40], "", "file is truncated inside the first entry; no entries read", nil},
		{"truncated after entries", entries(okEntry)[:len(entries(okEntry))-1], "", "file is truncated after the entries array (all 1 entries read)", []int{0}},
		{"trailing garbage ignored", entries(okEntry) + "garbage", "", "", []int{0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var v countingVisitor
			err := Stream(context.Background(), strings.NewReader(tc.in), Options{Name: "bad.har"}, &v)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				if !errors.Is(err, ErrInvalid) {
					t.Errorf("error %v does not wrap ErrInvalid", err)
				}
			} else if err != nil {
				t.Fatalf("unexpected error %v", err)
			} else if v.ends != 1 {
				t.Fatalf("End called %d times", v.ends)
			}
			if fmt.Sprint(v.indexes) != fmt.Sprint(tc.requests) {
				t.Errorf("delivered %v, want %v", v.indexes, tc.requests)
			}
			if tc.warn == "" && len(v.Capture.Warnings) > 0 || tc.warn != "" && (len(v.Capture.Warnings) != 1 || !strings.Contains(v.Capture.Warnings[0], tc.warn)) {
				t.Errorf("warnings %q, want %q", v.Capture.Warnings, tc.warn)
			}
		})
	}
}

// countingVisitor collects and checks the visitor protocol.
type countingVisitor struct {
	traffic.Collector
	indexes []int
	ends    int
}

func (v *countingVisitor) Request(r *traffic.Request) error {
	if v.ends > 0 {
		return errors.New("Request after End")
	}
	if n := len(v.indexes); n > 0 && r.Index <= v.indexes[n-1] {
		return fmt.Errorf("index %d after %d", r.Index, v.indexes[n-1])
	}
	v.indexes = append(v.indexes, r.Index)
	return v.Collector.Request(r)
}

func (v *countingVisitor) End(c *traffic.Capture) error {
	v.ends++
	return v.Collector.End(c)
}

func TestVisitorErrorStops(t *testing.T) {
	t.Parallel()
	stop := errors.New("stop")
	err := Stream(context.Background(), strings.NewReader(entries(okEntry, okEntry)), Options{Name: "v.har"}, failingVisitor{stop})
	if !errors.Is(err, stop) || !strings.Contains(err.Error(), "read HAR v.har") {
		t.Errorf("error %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Stream(ctx, strings.NewReader(entries(okEntry)), Options{}, &traffic.Collector{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

type failingVisitor struct{ err error }

func (f failingVisitor) Page(*traffic.Page) error       { return f.err }
func (f failingVisitor) Request(*traffic.Request) error { return f.err }
func (f failingVisitor) End(*traffic.Capture) error     { return f.err }

// TestTruncatedShared cuts shared HARs at many offsets: every entry that
// ends before the cut is delivered, and a warning says where the file ends.
func TestTruncatedShared(t *testing.T) {
	t.Parallel()
	for _, file := range []string{"health-shop-mylabbox.har", "pagexray-http2-firefox.har", "harviewer-ie11-fiddler.har"} {
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			raw, err := os.ReadFile(sharedPath(t, file))
			if err != nil {
				t.Fatal(err)
			}
			start, ends := entryOffsets(t, raw)
			cuts := []int64{start + 1, ends[0] - 1, ends[0], ends[0] + 1, ends[len(ends)-1], int64(len(raw)) - 3}
			for i := 1; i < 12; i++ {
				cuts = append(cuts, start+(int64(len(raw))-start)*int64(i)/12)
			}
			for _, cut := range cuts {
				want := 0
				for _, e := range ends {
					if e <= cut {
						want++
					}
				}
				c, err := Read(context.Background(), bytes.NewReader(raw[:cut]), Options{Name: file})
				if err != nil {
					t.Fatalf("cut at %d: %v", cut, err)
				}
				if len(c.Requests) != want || len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0], "truncated") {
					t.Errorf("cut at %d: %d requests, want %d; warnings %q", cut, len(c.Requests), want, c.Warnings)
				}
				if want > 0 && want < len(ends) && !strings.Contains(c.Warnings[0], fmt.Sprintf("after entry %d (", want-1)) {
					t.Errorf("cut at %d: warning %q, want after entry %d", cut, c.Warnings[0], want-1)
				}
			}
		})
	}
}

// entryOffsets finds, with a plain decoder walk independent of Stream, the
// offset where log.entries begins and the end offset of each entry.
func entryOffsets(t *testing.T, raw []byte) (int64, []int64) {
	t.Helper()
	var doc struct {
		Log map[string]json.RawMessage `json:"log"`
	}
	if err := json.Unmarshal(bytes.TrimPrefix(raw, bomUTF8), &doc); err != nil {
		t.Fatal(err)
	}
	arr := doc.Log["entries"]
	start := int64(bytes.Index(raw, arr))
	if start < 0 {
		t.Fatal("entries not found verbatim")
	}
	dec := json.NewDecoder(bytes.NewReader(arr))
	dec.Token()
	var ends []int64
	for dec.More() {
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
		ends = append(ends, start+dec.InputOffset())
	}
	return start, ends
}

func TestWarningsBounded(t *testing.T) {
	t.Parallel()
	bad := `{"request":{"method":"GET","url":"https://a/","headers":{}}}`
	es := make([]string, MaxWarnings+50)
	for i := range es {
		es[i] = bad
	}
	c, err := Read(context.Background(), strings.NewReader(entries(es...)), Options{Name: "many.har"})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Warnings) != MaxWarnings+1 || c.Warnings[MaxWarnings] != "many.har: 50 more warnings not shown" {
		t.Errorf("%d warnings, last %q", len(c.Warnings), c.Warnings[len(c.Warnings)-1])
	}
	// Cut off too: the truncation warning is kept past the limit.
	in := entries(es...)
	c, err = Read(context.Background(), strings.NewReader(in[:len(in)-10]), Options{Name: "many.har"})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(c.Warnings); n != MaxWarnings+2 || !strings.Contains(c.Warnings[n-2], "truncated after entry 1048") {
		t.Errorf("%d warnings, last two %q", n, c.Warnings[n-2:])
	}
}

func TestManyPagesBounded(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString(`{"log":{"pages":[`)
	for i := range maxPending + 5 {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"id":"p%d"}`, i)
	}
	b.WriteString(`],"entries":[{"pageref":"p3","request":{"method":"GET","url":"https://a/"}}]}}`)
	var v recorder
	if err := Stream(context.Background(), strings.NewReader(b.String()), Options{}, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Capture.Pages) != maxPending+5 || v.Capture.Pages[0].ID != "p0" || v.Capture.Pages[maxPending+4].ID != fmt.Sprintf("p%d", maxPending+4) {
		t.Errorf("%d pages", len(v.Capture.Pages))
	}
}
