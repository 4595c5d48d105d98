package leak

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/codec"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

func gzipBytes(b []byte) []byte {
	var out bytes.Buffer
	w := gzip.NewWriter(&out)
	w.Write(b)
	w.Close()
	return out.Bytes()
}

// TestDecompressionBomb: a body that inflates past the cap is cut, the
// scan says so, and what came before the cap is still searched.
func TestDecompressionBomb(t *testing.T) {
	t.Parallel()
	plain := append([]byte(`{"em":"alice.smith@example.com","pad":"`), bytes.Repeat([]byte("a"), MaxDecodedBody+1<<20)...)
	bomb := gzipBytes(plain)
	start := time.Now()
	res := alicePool.Scan(post("application/json", bomb, traffic.Header{Name: "Content-Encoding", Value: "gzip"}), ScanOptions{})
	if len(res.Warnings) == 0 || !strings.Contains(strings.Join(res.Warnings, "\n"), "--max-expansion") {
		t.Fatalf("no expansion warning: %q", res.Warnings)
	}
	expectMatch(t, res, "email", ChannelBody, "em", []string{"lowercase"})
	// With the ratio limit raised, the per-body cap cuts it instead.
	res = alicePool.Scan(post("application/json", bomb, traffic.Header{Name: "Content-Encoding", Value: "gzip"}), ScanOptions{Budgets: Budgets{MaxExpansion: 1 << 20}})
	if len(res.Warnings) == 0 || !strings.Contains(strings.Join(res.Warnings, "\n"), "cap per value") {
		t.Fatalf("no cap warning: %q", res.Warnings)
	}
	expectMatch(t, res, "email", ChannelBody, "em", []string{"lowercase"})
	if time.Since(start) > 20*time.Second {
		t.Errorf("bomb took %v", time.Since(start))
	}
	// The same bomb as base64 inside a JSON field: no panic, a warning.
	inner := base64.StdEncoding.EncodeToString(bomb)
	res = alicePool.Scan(post("application/json", []byte(`{"d":"`+inner+`"}`)), ScanOptions{})
	if len(res.Warnings) == 0 {
		t.Fatalf("no cap warning for the nested bomb")
	}
}

// TestBadInput: lying encodings, truncation and garbage never panic and
// never stop the rest of the request from being searched.
func TestBadInput(t *testing.T) {
	t.Parallel()
	b64 := base64.StdEncoding.EncodeToString
	cases := []struct {
		name string
		req  *traffic.Request
		warn string // substring of a warning, "" for none expected
		find string // location where the email must still be found, "" for none
	}{
		{"claims gzip", post("application/json", []byte(`{"em":"alice.smith@example.com"}`), traffic.Header{Name: "Content-Encoding", Value: "gzip"}), "Content-Encoding gzip", "em"},
		{"claims br", post("application/json", []byte(`{"em":"alice.smith@example.com"}`), traffic.Header{Name: "Content-Encoding", Value: "br"}), "Content-Encoding br", "em"},
		{"truncated gzip", post("application/json", gzipBytes([]byte(`{"em":"alice.smith@example.com","x":"` + strings.Repeat("y", 5000) + `"}`))[:60], traffic.Header{Name: "Content-Encoding", Value: "gzip"}), "gzip", ""},
		{"truncated base64", get("https://t.example/p?d=" + q(b64([]byte(`{"u":"alice.smith@example.com","more":"data here"}`))[:50])), "", "d > u"},
		{"truncated json", post("application/json", []byte(`{"a":{"em":"alice.smith@example.com","b":[1,2`)), "", "a.em"},
		{"binary garbage", post("application/octet-stream", bytes.Repeat([]byte{0xff, 0x00, 0x1f, 0x8b, 0x78, 0x9c}, 5000)), "", ""},
		{"bad multipart", post("multipart/form-data; boundary=zz", []byte("em=alice.smith%40example.com")), "", "em"},
		{"deep json", post("application/json", []byte(strings.Repeat("[", 100000)+`"alice.smith@example.com"`)), "", ""},
		{"bad percent", get("https://t.example/p?em=%zz%4"), "", ""},
		{"lz garbage", get("https://t.example/p?c=" + strings.Repeat("N4Ig", 200)), "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			res := alicePool.Scan(c.req, ScanOptions{Patterns: true})
			if c.warn != "" && !strings.Contains(strings.Join(res.Warnings, "\n"), c.warn) {
				t.Errorf("warnings %q lack %q", res.Warnings, c.warn)
			}
			if c.find != "" {
				if _, ok := findMatch(res, "email", res.chOf(c.find), c.find); !ok {
					t.Errorf("email not found at %q:%s", c.find, describe(res))
				}
			}
		})
	}
}

// chOf returns the channel of the first match at loc.
func (r Result) chOf(loc string) string {
	for _, m := range r.Matches {
		if m.Location == loc {
			return m.Channel
		}
	}
	return ""
}

// TestTruncatedJSONNoDuplicate: leaves parsed before the break are not
// reported again from the unparsed rest.
func TestTruncatedJSONNoDuplicate(t *testing.T) {
	t.Parallel()
	res := alicePool.Scan(post("application/json", []byte(`{"a":{"em":"alice.smith@example.com","b":[1,2`)), ScanOptions{})
	if len(res.Matches) != 1 || res.Matches[0].Location != "a.em" {
		t.Fatalf("want one match at a.em:%s", describe(res))
	}
}

// TestRequestDecodingBudget: many frames that each inflate a lot share one
// budget per request, so a hostile socket cannot stall the scan.
func TestRequestDecodingBudget(t *testing.T) {
	t.Parallel()
	frame := []byte(`{"d":"` + base64.StdEncoding.EncodeToString(gzipBytes(bytes.Repeat([]byte(" "), 30<<20))) + `"}`)
	r := &traffic.Request{URL: "wss://rec.example/s"}
	for i := 0; i < 8; i++ {
		r.WebSocket = append(r.WebSocket, traffic.WebSocketFrame{Sent: true, Data: frame})
	}
	res := alicePool.Scan(r, ScanOptions{Budgets: Budgets{MaxExpansion: 1 << 20}})
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "budget was spent") {
		t.Fatalf("warnings %q do not say the request budget was spent", res.Warnings)
	}
}

func TestPlausibleTextLarge(t *testing.T) {
	t.Parallel()
	big := bytes.Repeat([]byte("é"), 1<<20) // 2 MB: the first MB ends mid-rune unless cut right
	if !codec.PlausibleText(big) {
		t.Error("large UTF-8 text judged binary")
	}
	if codec.PlausibleText(append(bytes.Repeat([]byte{0}, 1<<20), big...)) {
		t.Error("binary start judged text")
	}
}

func TestPlausibleTextCutMidRune(t *testing.T) {
	t.Parallel()
	big := append([]byte("x"), bytes.Repeat([]byte("é"), 1<<20)...) // the first MB ends mid-rune
	if !codec.PlausibleText(big) {
		t.Error("text cut mid-rune judged binary")
	}
}

// TestTruncatedCompressed: a cut-off gzip body, plain or inside base64,
// is searched up to the cut.
func TestTruncatedCompressed(t *testing.T) {
	t.Parallel()
	var pad strings.Builder
	for i := 0; pad.Len() < 300<<10; i++ { // text that fills several deflate blocks
		fmt.Fprintf(&pad, "%x ", i*2654435761)
	}
	plain := []byte(`{"em":"alice.smith@example.com","pad":"` + pad.String() + `"}`)
	gz := gzipBytes(plain)
	cut := gz[:len(gz)/2]
	res := alicePool.Scan(post("application/json", cut, traffic.Header{Name: "Content-Encoding", Value: "gzip"}), ScanOptions{})
	expectMatch(t, res, "email", ChannelBody, "em", []string{"lowercase"})
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "before the cut") {
		t.Errorf("warnings %q", res.Warnings)
	}
	res = alicePool.Scan(post("text/plain", []byte(base64.StdEncoding.EncodeToString(cut))), ScanOptions{})
	expectMatch(t, res, "email", ChannelBody, "em", []string{"base64", "gzip", "lowercase"})
}
