package hargen

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/har"
)

// small sizes every shape is checked at: valid JSON (nesting under the
// decoder's limit), read back with the planted email where it should be.
var smallN = map[string]int64{
	"amplify": 50, "huge-body": 10 << 10, "huge-url": 10 << 10, "tiny-entries": 100, "many-hosts": 100,
	"many-headers": 100, "deep-json-body": 50, "deep-har": 50, "websocket-frames": 2000, "gzip-bomb": 1 << 20,
	"base64-gzip-chain": 1 << 20, "cookie-prefixes": 50,
}

func adversarial(t *testing.T, shape string, n int64) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Adversarial(&buf, shape, AdversarialOptions{N: n, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestAdversarialShapesRead(t *testing.T) {
	t.Parallel()
	email := DensePersona()["email"]
	for _, s := range Shapes() {
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			n, ok := smallN[s.Name]
			if !ok {
				t.Fatalf("no small size for shape %s", s.Name)
			}
			raw := adversarial(t, s.Name, n)
			if !bytes.Equal(raw, adversarial(t, s.Name, n)) {
				t.Error("not deterministic")
			}
			if !json.Valid(raw) {
				t.Fatalf("not valid JSON: %.300s", raw)
			}
			c, err := har.Read(context.Background(), bytes.NewReader(raw), har.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(c.Warnings) > 0 || len(c.Requests) == 0 {
				t.Fatalf("%d requests, warnings %q", len(c.Requests), c.Warnings)
			}
			var text strings.Builder
			for _, r := range c.Requests {
				text.WriteString(r.URL)
				text.Write(r.Body)
				for _, h := range r.Headers {
					text.WriteString(h.Value)
				}
				for _, f := range r.WebSocket {
					text.Write(f.Data)
				}
			}
			if s.Name != "tiny-entries" && !strings.Contains(text.String()+expand(t, s.Name, c.Requests[0].Body), email) {
				t.Error("the email is not planted")
			}
		})
	}
	if err := Adversarial(io.Discard, "no-such-shape", AdversarialOptions{}); err == nil {
		t.Error("unknown shape: want an error")
	}
}

// expand undoes the compression of the bomb shapes.
func expand(t *testing.T, shape string, body []byte) string {
	t.Helper()
	if shape == "base64-gzip-chain" {
		z, err := base64.StdEncoding.DecodeString(string(body))
		if err != nil {
			t.Fatal(err)
		}
		body = z
	}
	if shape != "gzip-bomb" && shape != "base64-gzip-chain" {
		return ""
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 1<<20 {
		t.Errorf("inflated to %d bytes", len(out))
	}
	if shape == "base64-gzip-chain" {
		inner, err := base64.StdEncoding.DecodeString(string(out))
		if err != nil {
			t.Fatal(err)
		}
		out = inner
	}
	return string(out[:100])
}

// TestBombsExpand: the bombs are about 1,000× smaller than what they
// expand to.
func TestBombsExpand(t *testing.T) {
	t.Parallel()
	for _, shape := range []string{"gzip-bomb", "base64-gzip-chain"} {
		raw := adversarial(t, shape, 64<<20)
		if ratio := float64(64<<20) / float64(len(raw)); ratio < 500 {
			t.Errorf("%s: %d bytes expand to 64 MB, only %.0f×", shape, len(raw), ratio)
		}
	}
}

func TestShapeSizes(t *testing.T) {
	t.Parallel()
	for _, s := range Shapes() {
		if s.Test <= 0 || s.Test > s.Full || s.Doc == "" || s.Unit == "" {
			t.Errorf("shape %s: test %d, full %d, doc %q, unit %q", s.Name, s.Test, s.Full, s.Doc, s.Unit)
		}
	}
	raw := adversarial(t, "huge-url", 1<<20)
	if len(raw) < 1<<20 || len(raw) > 1<<20+4096 {
		t.Errorf("huge-url of 1 MB wrote %d bytes", len(raw))
	}
}
