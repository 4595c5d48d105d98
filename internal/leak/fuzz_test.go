package leak

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// fuzzSeeds are inputs that reach every decoder.
var fuzzSeeds = []string{
	"em=alice.smith%40example.com",
	`{"a":{"b":["x",1,{"c":"alice.smith\u0040example.com"}]}}`,
	"YWxpY2Uuc21pdGhAZXhhbXBsZS5jb20=",
	"H4sIAAAAAAAA/6tWSs7PS8lMBwAAAP//AwBDvwX0DQAAAA==",
	lzAliceB64, lzAliceURI, lzAliceUTF16,
	"616c6963652e736d697468406578616d706c652e636f6d",
	"alice.smith&#64;example.com &amp; &#x40;",
	"tv.1~em.McVUPBc00lxyBvX9WRUl0Clb7G_oT_gvlGo0_pcKHmY~co0.us",
	"https://x.example/a;b=c?d=e#f=g",
	"9400 1118 9922 3197 4284 97 EC123456785US 1Z999AA10123456784 4111-1111-1111-1111 078-05-1120",
	"1600 Amphitheatre Parkway, Mountain View, CA 94043 (415) 555-0134 +14155550134",
	"\x1f\x8b\x08\x00garbage", "{\"unterminated", "[[[[[[[[[[", "\\u", "%", "=====", "",
}

// FuzzScanValue runs every decoding layer and matcher on arbitrary text.
func FuzzScanValue(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s := newScanner(alicePool, ScanOptions{Patterns: true}, 0)
		s.surface("fuzz", func() { s.field("", data, nil, 0, 0) })
		for _, m := range s.res.Matches {
			if len(m.Evidence) > 200 || m.Channel != "" {
				t.Fatalf("bad match %+v", m)
			}
		}
	})
}

// FuzzParsePersonas: any input gives personas or an error, never a panic.
func FuzzParsePersonas(f *testing.F) {
	for _, s := range []string{"email: a@b.com", "- zip: 1\n- city: x", "personas: [{custom: {a: b}}]",
		`{"tracking_numbers":["1",2]}`, "x: y", "[", "&a [*a, *a]", "email: !!binary aGk="} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ps, err := ParsePersonas(data, "fuzz")
		if err == nil && len(ps) == 0 {
			t.Fatal("no error and no persona")
		}
		for _, p := range ps {
			p.Validate()
		}
		NewPool(ps)
	})
}

// FuzzScanRequest builds requests from arbitrary parts: URL, content type,
// content encoding, body, a header and a WebSocket frame.
func FuzzScanRequest(f *testing.F) {
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write([]byte(`{"em":"alice.smith@example.com"}`))
	w.Close()
	f.Add("https://t.example/a;u1=x/b?c=d#e", "application/json", "gzip", gz.Bytes(), "a=b; c=d")
	f.Add("https://t.example/", "multipart/form-data; boundary=X", "", []byte("--X\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--X--"), "")
	f.Add("wss://x", "application/x-www-form-urlencoded", "br", []byte("a=%zz&b"), "%")
	f.Add("", "text/plain", "zstd, gzip", []byte("\x28\xb5\x2f\xfd"), "")
	f.Add("://?&&==##", "multipart/mixed", "deflate", []byte{0x78, 0x9c, 0xff}, "\x00")
	f.Fuzz(func(t *testing.T, u, ct, ce string, body []byte, cookie string) {
		r := &traffic.Request{URL: u, Method: "POST", Body: body, BodyMIME: ct,
			Headers:   traffic.Headers{{Name: "Content-Encoding", Value: ce}, {Name: "Cookie", Value: cookie}, {Name: "Referer", Value: u}},
			WebSocket: []traffic.WebSocketFrame{{Sent: true, Data: body}},
			Response:  &traffic.Response{Headers: traffic.Headers{{Name: "Location", Value: u}, {Name: "Set-Cookie", Value: cookie}}},
		}
		a := alicePool.Scan(r, ScanOptions{Patterns: true})
		b := alicePool.Scan(r, ScanOptions{Patterns: true})
		if describe(a) != describe(b) || len(a.Patterns) != len(b.Patterns) {
			t.Fatal("Scan is not deterministic")
		}
	})
}

// budgetSeeds are the adversarial shapes the budgets exist for.
func budgetSeeds() [][]byte {
	var amp strings.Builder
	for i := 0; i < 300; i++ {
		fmt.Fprintf(&amp, "e%d=alice.smith%%40example.com&", i%40)
	}
	chain := base64.StdEncoding.EncodeToString(gzipBytes([]byte(base64.StdEncoding.EncodeToString(gzipBytes(bytes.Repeat([]byte("alice.smith@example.com "), 4000))))))
	return [][]byte{
		[]byte(amp.String()),
		[]byte(`{"d":"` + chain + `"}`),
		[]byte(lzBomb(400)),
		[]byte(strings.Repeat("cb=0.4494358242955059&ord=4454885028824&", 50)),
		bytes.Repeat([]byte("Alice Smith <alice.smith@example.com> (212) 555-1212; "), 200),
		[]byte(base64.StdEncoding.EncodeToString(gzipBytes(bytes.Repeat([]byte{' '}, 1<<20)))),
	}
}

// FuzzScanBudgets runs a scan under small, arbitrary budgets (and a stop
// that may already be closed) and checks what the budgets promise.
func FuzzScanBudgets(f *testing.F) {
	for i, s := range budgetSeeds() {
		f.Add(s, uint8(i%4), uint8(1+i*7), uint8(5+i))
	}
	f.Fuzz(func(t *testing.T, data []byte, depth, expansion, findings uint8) {
		b := Budgets{MaxDecodedBytes: 1 << 20, MaxDepth: int(depth % 6), MaxExpansion: int(expansion), MaxFindings: int(findings % 64)}
		opts := ScanOptions{Patterns: true, Budgets: b}
		if len(data) > 0 && data[0]&1 == 1 {
			stop := make(chan struct{})
			close(stop)
			opts.Stop = stop
		}
		s := newScanner(alicePool, opts, 0)
		s.surface("fuzz", func() { s.field("", data, nil, 0, 0) })
		res := s.finish()
		if n := len(res.Matches) + len(res.Patterns); n > s.b.MaxFindings {
			t.Fatalf("%d findings over the budget of %d", n, s.b.MaxFindings)
		}
		if len(res.Warnings) > maxWarnings+3 || len(res.Dropped) > s.b.MaxFindings {
			t.Fatalf("%d warnings, %d dropped", len(res.Warnings), len(res.Dropped))
		}
		for _, m := range res.Matches {
			if m.Count < 1 || len(m.Evidence) > 200 {
				t.Fatalf("bad match %+v", m)
			}
		}
		for _, p := range res.Patterns {
			if p.Count < 1 || p.Reason == "" || (p.Confidence != ConfidenceHigh && p.Confidence != ConfidenceMedium && p.Confidence != ConfidenceLow) {
				t.Fatalf("bad pattern %+v", p)
			}
		}
	})
}
