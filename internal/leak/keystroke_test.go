package leak

import (
	"bytes"
	"compress/zlib"
	"mime/multipart"
	"testing"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

func TestKeystrokePrefixes(t *testing.T) {
	t.Parallel()
	pool, _ := NewPool([]Persona{{Name: "Dana", Email: "dana.whitfield@example.com", City: "Menlo Park",
		Custom: map[string]string{"search": "pregnancy test"}}})
	tests := []struct {
		name, body string
		want       map[string]int // field → Partial (0 = whole value)
	}{
		{"typed e-mail cut short", `{"email":"dana.whitfield@example.c"}`, map[string]int{"email": 24}},
		{"each keystroke, the longest kept", `{"k":["dana.w","dana.whi","dana.whitf"]}`, map[string]int{"email": 10}},
		{"upper case as typed", `q=DANA.WHITFIELD%40EXA`, map[string]int{"email": 18}},
		{"the whole value wins", `{"v":"dana.whitfield@example.com"}`, map[string]int{"email": 0}},
		{"a complete word of the value is no keystroke", `{"city":"Menlo"}`, nil},
		{"a word inside a sentence is no prefix", `{"t":"Visit Menlo Park office"}`, map[string]int{"city": 0}},
		{"half a search", `{"q":"pregnancy te"}`, map[string]int{"custom.search": 12}},
		{"too short", `{"q":"dana"}`, nil},
		{"a prefix inside a longer text is not a field value", `{"t":"from dana.whitf to"}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := &traffic.Request{Method: "POST", URL: "https://t.example/c", Body: []byte(tt.body),
				BodyMIME: "application/json"}
			if tt.body[0] != '{' {
				r = &traffic.Request{Method: "GET", URL: "https://t.example/c?" + tt.body}
			}
			got := map[string]int{}
			for _, m := range pool.Scan(r, ScanOptions{}).Matches {
				if p, ok := got[m.Field]; ok && p != m.Partial {
					t.Errorf("%s found twice: partial %d and %d", m.Field, p, m.Partial)
				}
				got[m.Field] = m.Partial
			}
			if len(got) != len(tt.want) {
				t.Fatalf("matches %v, want %v", got, tt.want)
			}
			for f, p := range tt.want {
				if gp, ok := got[f]; !ok || gp != p {
					t.Errorf("%s: partial %d (found %v), want %d", f, gp, ok, p)
				}
			}
		})
	}
}

func TestCompressedPartsSniffed(t *testing.T) {
	t.Parallel()
	pool, _ := NewPool([]Persona{{Email: "dana.whitfield@example.com", Street: "1427 Juniper Hollow Rd"}})
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write([]byte(`{"records":[{"type":3,"data":{"text":"1427 Juniper Hollow Rd","email":"dana.whitfield@example.com"}}]}`))
	zw.Close()
	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	part, _ := mw.CreateFormFile("segment", "blob")
	part.Write(z.Bytes())
	mw.WriteField("event", `{"session":"abc"}`)
	mw.Close()
	tests := []struct {
		name string
		body []byte
		ct   string
	}{
		{"raw zlib in a multipart part (Datadog replay segment)", mp.Bytes(), mw.FormDataContentType()},
		{"raw zlib body without Content-Encoding", z.Bytes(), "application/octet-stream"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := &traffic.Request{Method: "POST", URL: "https://replay.example/api/v2/replay", Body: tt.body, BodyMIME: tt.ct}
			found := map[string][]string{}
			for _, m := range pool.Scan(r, ScanOptions{}).Matches {
				found[m.Field] = m.Encoding
			}
			for _, f := range []string{"email", "street"} {
				if enc, ok := found[f]; !ok || len(enc) == 0 || enc[0] != "zlib" {
					t.Errorf("%s: found %v with encoding %v, want it under zlib", f, ok, enc)
				}
			}
		})
	}
}
