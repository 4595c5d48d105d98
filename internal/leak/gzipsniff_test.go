package leak

import (
	"bytes"
	"compress/gzip"
	"slices"
	"testing"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// posthog-js (compression gzip-js) sends gzip bytes as text/plain with no
// Content-Encoding header; the body must still be searched, and the chain
// must say it was gzip.
func TestGzipBodyWithoutContentEncoding(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(`{"batch":[{"event":"$identify","properties":{"distinct_id":"rosalind.okafor@example.net"}}]}`))
	zw.Close()
	pool, _ := NewPool([]Persona{{Email: "rosalind.okafor@example.net"}})
	tests := []struct {
		name string
		body []byte
		want bool
	}{
		{"gzip, no header", buf.Bytes(), true},
		{"gzip magic but garbage", append([]byte{0x1f, 0x8b, 0x08}, bytes.Repeat([]byte{0xff}, 40)...), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := &traffic.Request{Method: "POST", URL: "https://eu.i.posthog.com/e/", Body: tt.body,
				Headers: traffic.Headers{{Name: "Content-Type", Value: "text/plain"}}}
			res := pool.Scan(r, ScanOptions{})
			if got := len(res.Matches) > 0; got != tt.want {
				t.Fatalf("found %v, want %v: %+v", got, tt.want, res.Matches)
			}
			if tt.want {
				m := res.Matches[0]
				if m.Channel != ChannelBody || !slices.Contains(m.Encoding, "gzip") || m.Location != "batch[].properties.distinct_id" {
					t.Errorf("match %+v: want body, gzip in the chain, location batch[].properties.distinct_id", m)
				}
			}
		})
	}
}
