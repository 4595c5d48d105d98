package har

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// funcVisitor keeps nothing: it calls request for each request.
type funcVisitor struct{ request func() }

func (*funcVisitor) Page(*traffic.Page) error         { return nil }
func (v *funcVisitor) Request(*traffic.Request) error { v.request(); return nil }
func (*funcVisitor) End(*traffic.Capture) error       { return nil }

// The budget tests build hostile HARs as streams, so the input itself costs
// no memory, and measure the reader's peak heap while it reads them. They
// do not call t.Parallel: the heap they measure must be their own.

// repeat is n copies of s, as a stream.
type repeat struct {
	s string
	n int
}

// synth streams the concatenation of strings and repeats.
func synth(parts ...any) io.Reader {
	var rs []io.Reader
	for _, p := range parts {
		switch p := p.(type) {
		case string:
			rs = append(rs, strings.NewReader(p))
		case repeat:
			rs = append(rs, &repeatReader{unit: []byte(p.s), left: int64(p.n) * int64(len(p.s))})
		}
	}
	return io.MultiReader(rs...)
}

type repeatReader struct {
	unit []byte
	off  int
	left int64
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.left == 0 {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && r.left > 0 {
		c := copy(p[n:min(len(p), n+int(min(r.left, int64(len(r.unit)-r.off))))], r.unit[r.off:])
		n += c
		r.off = (r.off + c) % len(r.unit)
		r.left -= int64(c)
	}
	return n, nil
}

// heapProbe is a reader that samples the heap as the input goes by.
type heapProbe struct {
	r    io.Reader
	seen int64
	next int64
	peak uint64
	base uint64
}

func newHeapProbe(r io.Reader) *heapProbe {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return &heapProbe{r: r, base: m.HeapAlloc}
}

func (h *heapProbe) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	h.seen += int64(n)
	if h.seen >= h.next {
		h.next = h.seen + 4<<20
		h.sample()
	}
	return n, err
}

func (h *heapProbe) sample() {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	h.peak = max(h.peak, m.HeapAlloc)
}

// peakMiB is the largest heap growth seen, in MiB.
func (h *heapProbe) peakMiB() int {
	h.sample()
	if h.peak < h.base {
		return 0
	}
	return int((h.peak - h.base) >> 20)
}

const (
	pre  = `{"log":{"version":"1.2","entries":[{"request":{"method":"GET","url":"https://a.example/?q=`
	post = `"}}]}}`
)

func TestBudgetHostile(t *testing.T) {
	small := Options{MaxString: 1 << 20, MaxItems: 10_000, MaxEntry: 8 << 20}
	for _, tc := range []struct {
		name    string
		in      io.Reader
		opts    Options
		warn    string // substring of a warning
		maxHeap int    // MiB
		check   func(t *testing.T, v *countingVisitor)
	}{
		{"50 MB URL", synth(pre, repeat{"a", 50 << 20}, post), small,
			"bad.har: entry 0: request.url: 50 MiB string cut to its first 1 MiB (limit of 1 MiB per string)", 24,
			func(t *testing.T, v *countingVisitor) {
				u := v.Capture.Requests[0].URL
				if len(u) != 1<<20 || !strings.HasPrefix(u, "https://a.example/?q=aaa") {
					t.Errorf("URL of %d bytes %.40q, want the first MiB", len(u), u)
				}
			}},
		{"50 MB header value of multi-byte text", synth(`{"log":{"entries":[{"request":{"method":"GET","url":"https://a/","headers":[{"name":"x","value":"`,
			repeat{"é€", 10 << 20}, `"}]}}]}}`), small, "entry 0: request.headers[0].value: 50 MiB string cut", 24,
			func(t *testing.T, v *countingVisitor) {
				h := v.Capture.Requests[0].Headers
				if len(h) != 1 || len(h[0].Value) > 1<<20+3 || len(h[0].Value) < 1<<20-3 || !utf8.ValidString(h[0].Value) {
					t.Errorf("header cut badly: %d headers, %d bytes, last bytes %q", len(h), len(h[0].Value), h[0].Value[len(h[0].Value)-8:])
				}
			}},
		{"200k headers", synth(`{"log":{"entries":[{"request":{"method":"GET","url":"https://a/","headers":[`,
			repeat{`{"name":"x-h","value":"v"},`, 200_000}, `{"name":"last","value":"v"}]}}]}}`), Options{},
			"entry 0: request.headers: 200001 items, only the first 100000 kept", 96,
			func(t *testing.T, v *countingVisitor) {
				if n := len(v.Capture.Requests[0].Headers); n != DefaultMaxItems {
					t.Errorf("%d headers kept, want %d", n, DefaultMaxItems)
				}
			}},
		{"50k WebSocket frames", synth(`{"log":{"entries":[{"request":{"method":"GET","url":"wss://a/"},"_webSocketMessages":[`,
			repeat{`{"type":"send","time":1.5,"opcode":1,"data":"hello"},`, 50_000}, `{"type":"receive","time":2,"opcode":1,"data":"end"}]}]}}`),
			small, "entry 0: _webSocketMessages: 50001 items, only the first 10000 kept", 64,
			func(t *testing.T, v *countingVisitor) {
				if n := len(v.Capture.Requests[0].WebSocket); n != 10_000 {
					t.Errorf("%d frames kept, want 10000", n)
				}
			}},
		{"100k-deep initiator", synth(`{"log":{"entries":[{"_initiator":`, repeat{`{"parent":`, 100_000}, "1",
			repeat{"}", 100_000}, `,"request":{"method":"GET","url":"https://a/"}}]}}`), Options{},
			"nested deeper than 1000 levels", 16, nil},
		{"100k-deep arrays in an unknown field", synth(`{"x":`, repeat{"[", 100_000}, repeat{"]", 100_000},
			`,"log":{"creator":`, repeat{"[", 100_000}, repeat{"]", 100_000}, `,"entries":[`+okEntry+`]}}`), Options{},
			"log.creator: ", 16, nil},
		{"entry budget", synth(`{"log":{"entries":[{"request":{"method":"GET","url":"https://a/","headers":[`,
			repeat{`{"name":"x","value":"` + strings.Repeat("v", 100_000) + `"},`, 200}, `{"name":"y","value":"z"}]}},`+okEntry+`]}}`),
			small, "entry 0: request.headers[84]: over the budget of 8 MiB for one entry: the rest of entry 0 is dropped", 48,
			func(t *testing.T, v *countingVisitor) {
				if len(v.Capture.Requests) != 2 {
					t.Fatalf("%d requests, want 2", len(v.Capture.Requests))
				}
			}},
		{"huge key", synth(`{"log":{"entries":[{"`, repeat{"k", 10 << 20}, `":1,"request":{"method":"GET","url":"https://a/"}}]}}`),
			small, `entry 0: "kkkk`, 24, nil},
		{"huge number", synth(`{"log":{"entries":[{"time":`, repeat{"9", 10 << 20}, `,"request":{"method":"GET","url":"https://a/"}}]}}`),
			small, "entry 0: time: a number of 10485760 characters reads as 0", 16, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			probe := newHeapProbe(tc.in)
			var v countingVisitor
			tc.opts.Name = "bad.har"
			if err := Stream(context.Background(), probe, tc.opts, &v); err != nil {
				t.Fatal(err)
			}
			if peak := probe.peakMiB(); peak > tc.maxHeap {
				t.Errorf("peak heap grew by %d MiB, want at most %d", peak, tc.maxHeap)
			}
			if !hasWarning(v.Capture.Warnings, tc.warn) {
				t.Errorf("no warning with %q in %q", tc.warn, firstN(v.Capture.Warnings, 5))
			}
			if len(v.Capture.Requests) == 0 {
				t.Fatal("no request read")
			}
			if tc.check != nil {
				tc.check(t, &v)
			}
		})
	}
}

func hasWarning(ws []string, sub string) bool {
	for _, w := range ws {
		if strings.Contains(w, sub) {
			return true
		}
	}
	return false
}

func firstN(ws []string, n int) []string { return ws[:min(n, len(ws))] }

// TestBudgetGzipURL reads a small .har.gz that inflates to a 200 MB URL.
func TestBudgetGzipURL(t *testing.T) {
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestSpeed)
	if _, err := io.Copy(zw, synth(pre, repeat{"a", 200 << 20}, post)); err != nil {
		t.Fatal(err)
	}
	zw.Close()
	probe := newHeapProbe(bytes.NewReader(gz.Bytes()))
	var v countingVisitor
	opts := Options{Name: "big.har.gz", MaxString: 4 << 20}
	if err := Stream(context.Background(), probe, opts, &v); err != nil {
		t.Fatal(err)
	}
	if peak := probe.peakMiB(); peak > 48 {
		t.Errorf("peak heap grew by %d MiB reading a %d KiB gzip, want at most 48", peak, gz.Len()>>10)
	}
	if !hasWarning(v.Capture.Warnings, "big.har.gz: entry 0: request.url: 200 MiB string cut to its first 4 MiB") {
		t.Errorf("warnings %q", v.Capture.Warnings)
	}
}

// TestBudgetFullSize reads a 2 GiB URL with the default budgets; it takes
// a minute, so it runs only with LEAKWATCH_FULL_SIZE=1.
func TestBudgetFullSize(t *testing.T) {
	if os.Getenv("LEAKWATCH_FULL_SIZE") == "" {
		t.Skip("set LEAKWATCH_FULL_SIZE=1 to read a 2 GiB URL")
	}
	probe := newHeapProbe(synth(pre, repeat{strings.Repeat("a", 1<<16), 1 << 15}, post))
	var v countingVisitor
	if err := Stream(context.Background(), probe, Options{Name: "2g.har"}, &v); err != nil {
		t.Fatal(err)
	}
	t.Logf("peak heap growth %d MiB", probe.peakMiB())
	if !hasWarning(v.Capture.Warnings, "2 GiB string cut to its first 32 MiB") {
		t.Errorf("warnings %q", v.Capture.Warnings)
	}
}

// TestStreamStopsOnCancel cancels a read in the middle of one huge string:
// it stops within the next buffer, not at the end of the string.
func TestStreamStopsOnCancel(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	in := synth(pre, repeat{"a", 4 << 30}, post)
	go func() {
		time.Sleep(50 * time.Millisecond)
		cancel()
	}()
	start := time.Now()
	var v countingVisitor
	err := Stream(ctx, in, Options{Name: "x.har"}, &v)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("stopped after %v", d)
	}
	// The visitor still gets its End, saying where reading stopped.
	if v.ends != 1 || !hasWarning(v.Capture.Warnings, "x.har: reading stopped after 0 entries: context canceled") {
		t.Errorf("%d ends, warnings %q", v.ends, v.Capture.Warnings)
	}
}

// TestManyEntries streams 200,000 tiny entries in bounded memory.
func TestManyEntries(t *testing.T) {
	probe := newHeapProbe(synth(`{"log":{"entries":[`, repeat{okEntry + ",", 200_000}, okEntry+`]}}`))
	n := 0
	v := &funcVisitor{request: func() { n++ }}
	if err := Stream(context.Background(), probe, Options{}, v); err != nil {
		t.Fatal(err)
	}
	if n != 200_001 {
		t.Errorf("%d requests, want 200001", n)
	}
	if peak := probe.peakMiB(); peak > 16 {
		t.Errorf("peak heap grew by %d MiB", peak)
	}
}

func TestFormatSize(t *testing.T) {
	t.Parallel()
	for n, want := range map[int64]string{17: "17 bytes", 1024: "1 KiB", 1536: "1.5 KiB", 64 << 20: "64 MiB", 2 << 30: "2 GiB"} {
		if got := FormatSize(n); got != want {
			t.Errorf("FormatSize(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestValidScalar(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"0", "-0", "1.5", "1e10", "-1.25E-3", "true", "false", "null", "123456789"} {
		if !validScalar([]byte(s)) {
			t.Errorf("%s: invalid", s)
		}
	}
	for _, s := range []string{"", "-", "01", "1.", ".5", "1e", "+1", "tru", "nul", "1.5.5", "0x10", "NaN"} {
		if validScalar([]byte(s)) {
			t.Errorf("%s: valid", s)
		}
	}
}

// TestBudgetStringAnywhere puts one 20 MB string in every kind of place of a
// HAR: wherever it is, it is cut with a warning naming the place, and the
// entry around it still reads.
func TestBudgetStringAnywhere(t *testing.T) {
	const req = `"request":{"method":"GET","url":"https://a.example/"}`
	for _, tc := range []struct{ pre, post, warn string }{
		{`{"x":"`, `","log":{"entries":[{` + req + `}]}}`, "bad.har: x: 20 MiB string cut"},
		{`{"log":{"creator":{"name":"`, `"},"entries":[{` + req + `}]}}`, "bad.har: log.creator: name: 20 MiB string cut"},
		{`{"log":{"pages":[{"id":"p","title":"`, `"}],"entries":[{` + req + `}]}}`, "bad.har: page 0: title: 20 MiB string cut"},
		{`{"log":{"entries":[{` + req + `,"response":{"status":200,"content":{"mimeType":"text/html","text":"`, `"}}}]}}`,
			"bad.har: entry 0: response.content.text: 20 MiB string cut"},
		{`{"log":{"entries":[{"request":{"method":"POST","url":"https://a.example/","postData":{"mimeType":"text/plain","text":"`, `"}}}]}}`,
			"bad.har: entry 0: request.postData.text: 20 MiB string cut"},
		{`{"log":{"entries":[{` + req + `,"_webSocketMessages":[{"type":"send","time":1,"opcode":1,"data":"`, `"}]}]}}`,
			"bad.har: entry 0: _webSocketMessages[0].data: 20 MiB string cut"},
		{`{"log":{"entries":[{` + req + `,"response":{"status":200,"cookies":[{"name":"c","value":"`, `"}]}}]}}`,
			"bad.har: entry 0: response.cookies[0].value: 20 MiB string cut"},
	} {
		probe := newHeapProbe(synth(tc.pre, repeat{"z", 20 << 20}, tc.post))
		var v countingVisitor
		if err := Stream(context.Background(), probe, Options{Name: "bad.har", MaxString: 1 << 20}, &v); err != nil {
			t.Fatalf("%s: %v", tc.warn, err)
		}
		if !hasWarning(v.Capture.Warnings, tc.warn) {
			t.Errorf("no warning with %q in %q", tc.warn, v.Capture.Warnings)
		}
		if len(v.Capture.Requests) != 1 {
			t.Errorf("%s: %d requests, want 1", tc.warn, len(v.Capture.Requests))
		}
		if peak := probe.peakMiB(); peak > 16 {
			t.Errorf("%s: peak heap grew by %d MiB", tc.warn, peak)
		}
	}
}
