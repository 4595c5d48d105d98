package leak

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"testing"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// kvSplitter is a made-up vendor format for the Splitter hook:
// "kv|name:value|name:value", a part without ':' unnamed. (Google's tv.1
// splitter lives in pixel; audit's tests check it wired.)
var kvSplitter = Splitter{Prefix: "kv|", Split: func(v []byte, part func(name, value []byte)) {
	for _, tok := range bytes.Split(v, []byte("|"))[1:] {
		if k, val, ok := bytes.Cut(tok, []byte(":")); ok {
			part(k, val)
		} else {
			part(nil, tok)
		}
	}
}}

// A value a splitter reads is searched part by part, each finding named by
// its part; without the splitter the same values are found in the field.
func TestSplitterNamesParts(t *testing.T) {
	t.Parallel()
	sum := sha256.Sum256([]byte("dana.whitfield@example.com"))
	v := "kv|em:" + base64.RawURLEncoding.EncodeToString(sum[:]) + "|zip:62704|US"
	r := &traffic.Request{Method: "GET", URL: "https://t.example/p?d=" + url.QueryEscape(v)}
	pool, _ := NewPool([]Persona{{Email: "dana.whitfield@example.com", Zip: "62704"}})
	for _, c := range []struct {
		splitters []Splitter
		want      map[string]string
	}{
		{[]Splitter{kvSplitter}, map[string]string{"email": "d > em", "zip": "d > zip"}},
		{nil, map[string]string{"email": "d", "zip": "d"}},
	} {
		got := map[string]string{}
		for _, m := range pool.Scan(r, ScanOptions{Splitters: c.splitters}).Matches {
			got[m.Field] = m.Location
		}
		for field, loc := range c.want {
			if got[field] != loc {
				t.Errorf("splitters %d: %s found at %q, want %q (all: %v)", len(c.splitters), field, got[field], loc, got)
			}
		}
	}
	pool2, _ := NewPool([]Persona{{Email: "someone@example.org", Zip: "10001"}})
	if ms := pool2.Scan(r, ScanOptions{Splitters: []Splitter{kvSplitter}}).Matches; len(ms) != 0 {
		t.Errorf("values never sent were found: %+v", ms)
	}
}
