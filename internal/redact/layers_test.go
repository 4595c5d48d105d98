package redact

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/audit"
	"github.com/leakwatch/leakwatch/internal/codec"
	"github.com/leakwatch/leakwatch/internal/har"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// encoding is one way a page may wrap what it sends, with its inverse, so
// a test can open the redacted output the way an analyst would.
type encoding struct {
	name string
	enc  func([]byte) []byte
	dec  func([]byte) ([]byte, error)
	// header is the Content-Encoding the body is sent with, if any.
	header string
}

func zl(b []byte) []byte {
	var buf bytes.Buffer
	w := zlib.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func rawDeflate(b []byte) []byte {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func readAll(r io.Reader, err error) ([]byte, error) {
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

// b64 encodes with e and decodes as browsers' atob and most servers do,
// with or without padding: an unpadded run whose length is a multiple of
// four cannot tell whether its encoder pads, and is written back padded.
func b64(e *base64.Encoding) (func([]byte) []byte, func([]byte) ([]byte, error)) {
	return func(b []byte) []byte { return []byte(e.EncodeToString(b)) },
		func(b []byte) ([]byte, error) {
			return e.WithPadding(base64.NoPadding).DecodeString(strings.TrimRight(string(b), "="))
		}
}

func then(f, g func([]byte) []byte) func([]byte) []byte {
	return func(b []byte) []byte { return g(f(b)) }
}

func thenDec(g, f func([]byte) ([]byte, error)) func([]byte) ([]byte, error) {
	return func(b []byte) ([]byte, error) {
		x, err := g(b)
		if err != nil {
			return nil, err
		}
		return f(x)
	}
}

var (
	stdEnc, stdDec   = b64(base64.StdEncoding)
	rawEnc, rawDec   = b64(base64.RawStdEncoding)
	urlEnc, urlDec   = b64(base64.URLEncoding)
	rurlEnc, rurlDec = b64(base64.RawURLEncoding)
	gzDec            = func(b []byte) ([]byte, error) { return readAll(gzipReader(b)) }
	zlDec            = func(b []byte) ([]byte, error) { return readAll(zlib.NewReader(bytes.NewReader(b))) }
	flDec            = func(b []byte) ([]byte, error) { return io.ReadAll(flate.NewReader(bytes.NewReader(b))) }
	gzEnc            = func(b []byte) []byte { return gz(string(b)) }
	hexLower         = func(b []byte) []byte { return []byte(hex.EncodeToString(b)) }
	hexUpper         = func(b []byte) []byte { return []byte(strings.ToUpper(hex.EncodeToString(b))) }
	hexDec           = func(b []byte) ([]byte, error) { return hex.DecodeString(string(b)) }
	pctEnc           = func(b []byte) []byte { return []byte(url.QueryEscape(string(b))) }
	pctDec           = func(b []byte) ([]byte, error) { s, err := url.QueryUnescape(string(b)); return []byte(s), err }
	jsonEnc          = func(b []byte) []byte { q, _ := json.Marshal(string(b)); return []byte(`{"data":` + string(q) + `}`) }
	jsonDec          = func(b []byte) ([]byte, error) {
		var v struct{ Data string }
		err := json.Unmarshal(b, &v)
		return []byte(v.Data), err
	}
)

var encodings = []encoding{
	{"plain", func(b []byte) []byte { return b }, func(b []byte) ([]byte, error) { return b, nil }, ""},
	{"base64 std padded", stdEnc, stdDec, ""},
	{"base64 std raw", rawEnc, rawDec, ""},
	{"base64url padded", urlEnc, urlDec, ""},
	{"base64url raw", rurlEnc, rurlDec, ""},
	{"hex lower", hexLower, hexDec, ""},
	{"hex upper", hexUpper, hexDec, ""},
	{"URL-encoded", pctEnc, pctDec, ""},
	{"URL-encoded twice", then(pctEnc, pctEnc), thenDec(pctDec, pctDec), ""},
	{"JSON string", jsonEnc, jsonDec, ""},
	{"JSON string of base64", then(stdEnc, jsonEnc), thenDec(jsonDec, stdDec), ""},
	{"gzip Content-Encoding", gzEnc, gzDec, "gzip"},
	{"gzip sniffed", gzEnc, gzDec, ""},
	{"deflate Content-Encoding (zlib)", zl, zlDec, "deflate"},
	{"deflate Content-Encoding (raw)", rawDeflate, flDec, "deflate"},
	{"base64 of gzip", then(gzEnc, stdEnc), thenDec(stdDec, gzDec), ""},
	{"base64url of zlib", then(zl, rurlEnc), thenDec(rurlDec, zlDec), ""},
	{"base64 of raw deflate", then(rawDeflate, stdEnc), thenDec(stdDec, flDec), ""},
	{"hex of gzip", then(gzEnc, hexLower), thenDec(hexDec, gzDec), ""},
	{"URL-encoded base64 of gzip", then(then(gzEnc, stdEnc), pctEnc), thenDec(thenDec(pctDec, stdDec), gzDec), ""},
}

func gzipReader(b []byte) (io.Reader, error) {
	return gzip.NewReader(bytes.NewReader(b))
}

// secretKinds are what a body may hold that must go, each found by a
// different rule.
var secretKinds = []struct {
	name, payload, secret string
	opts                  Options
}{
	{"typed password", `{"note":"keep me please","x":"Hunter2Typed!"}`, "Hunter2Typed!", Options{Secrets: []string{"Hunter2Typed!"}}},
	{"short typed password alone", `Pw0rd!xy`, "Pw0rd!xy", Options{Secrets: []string{"Pw0rd!xy"}}},
	{"password field", `{"note":"keep me please","password":"FieldPass!77"}`, "FieldPass!77", Options{}},
	{"form password", `note=keep+me+please&user=erika&pwd=FormPass_88`, "FormPass_88", Options{}},
	{"provider key", `{"note":"keep me please","k":"AKIAIOSFODNN7EXAMPLE"}`, "AKIAIOSFODNN7EXAMPLE", Options{}},
	{"JWT", `note=keep me please; t=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlMTIz`,
		"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlMTIz", Options{}},
}

// TestLayersRoundTrip sends each secret kind in each encoding as a request
// body and a URL parameter: after redaction no decoded form of the output
// holds the secret, the output still decodes the same way, and what was
// around the secret is still there.
func TestLayersRoundTrip(t *testing.T) {
	t.Parallel()
	for _, sk := range secretKinds {
		for _, e := range encodings {
			t.Run(sk.name+"/"+e.name, func(t *testing.T) {
				t.Parallel()
				body := e.enc([]byte(sk.payload))
				q := &traffic.Request{Index: 1, Method: "POST", URL: "https://t.example/c", Body: body}
				if e.header != "" {
					q.Headers = traffic.Headers{{Name: "Content-Encoding", Value: e.header}}
				}
				c := &traffic.Capture{Requests: []*traffic.Request{q}}
				if e.header == "" && utf8Text(body) {
					q.URL = "https://t.example/c?d=" + url.QueryEscape(string(body)) + "&v=1"
				}
				if e.header == "" && strings.HasPrefix(e.name, "base64url") {
					q.URL = "https://t.example/v1/collect/" + string(body) + "/x?v=1"
				}
				out := Capture(c, sk.opts).Requests[0]
				dec, err := e.dec(out.Body)
				if err != nil {
					t.Fatalf("redacted body no longer decodes as %s: %v\n%q", e.name, err, out.Body)
				}
				checkOpened(t, "body", string(dec), sk.secret, sk.payload)
				if strings.Contains(out.URL, "/v1/collect/") {
					seg := strings.Split(strings.TrimPrefix(out.URL, "https://t.example/v1/collect/"), "/")[0]
					dec, err := e.dec([]byte(seg))
					if err != nil {
						t.Fatalf("redacted path segment no longer decodes as %s: %v\n%q", e.name, err, out.URL)
					}
					checkOpened(t, "URL path", string(dec), sk.secret, sk.payload)
				}
				if strings.Contains(out.URL, "?d=") {
					u, err := url.Parse(out.URL)
					if err != nil {
						t.Fatal(err)
					}
					dec, err := e.dec([]byte(u.Query().Get("d")))
					if err != nil {
						t.Fatalf("redacted URL parameter no longer decodes as %s: %v\n%q", e.name, err, out.URL)
					}
					checkOpened(t, "URL", string(dec), sk.secret, sk.payload)
				}
			})
		}
	}
}

func checkOpened(t *testing.T, where, dec, secret, payload string) {
	t.Helper()
	if strings.Contains(dec, secret) {
		t.Fatalf("%s: secret %q survives: %q", where, secret, dec)
	}
	if !strings.Contains(dec, Placeholder) {
		t.Errorf("%s: no placeholder where the secret was: %q", where, dec)
	}
	if strings.Contains(payload, "keep") && !strings.Contains(dec, "keep") {
		t.Errorf("%s: the evidence around the secret is gone: %q", where, dec)
	}
}

func utf8Text(b []byte) bool { return codec.PlausibleText(b) }

// TestLayersMarker: what cannot be encoded again after redaction is
// replaced whole by a marker that says why, and nothing of it survives.
func TestLayersMarker(t *testing.T) {
	t.Parallel()
	full := gz(`{"user":"erika","password":"MarkerPass!1","pad":"` + strings.Repeat("abcdefghij", 50) + `"}`)
	truncated := full[:len(full)-30]
	bomb := gz(`{"user":"erika","password":"MarkerPass!1","pad":"` + strings.Repeat(" ", 4<<20) + `"}`)
	tests := []struct {
		name, header string
		body         []byte
		want         string
	}{
		{"truncated gzip body", "gzip", truncated, "[redacted by leakwatch: gzip body held a password; not re-encodable (truncated)]"},
		{"truncated gzip sniffed", "", truncated, "[redacted by leakwatch: gzip data held a password; not re-encodable (truncated)]"},
		{"truncated gzip in base64", "", []byte("d=" + base64.StdEncoding.EncodeToString(truncated) + "&v=1"),
			"d=[redacted by leakwatch: gzip data in base64 held a password; not re-encodable (truncated)]&v=1"},
		{"gzip bomb in base64, cut by the expansion limit", "", []byte("d=" + base64.StdEncoding.EncodeToString(bomb) + "&v=1"),
			"d=[redacted by leakwatch: gzip data in base64 held a password; not re-encodable (over the decoding budget)]&v=1"},
		{"binary holding a typed secret, in hex", "", []byte("x=" + hex.EncodeToString([]byte("\x00\x01\x02\x03TypedSecret9\x00\xff\xfe")) + "&v=1"),
			"x=[redacted by leakwatch: hex binary data held a secret seen elsewhere in the capture; not re-encodable]&v=1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			q := &traffic.Request{Index: 1, Method: "POST", URL: "https://t.example/c", Body: tc.body}
			if tc.header != "" {
				q.Headers = traffic.Headers{{Name: "Content-Encoding", Value: tc.header}}
			}
			out := Capture(&traffic.Capture{Requests: []*traffic.Request{q}}, Options{Secrets: []string{"TypedSecret9"}})
			if got := string(out.Requests[0].Body); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

// TestLayersReport: a report's binary body evidence ("base64:" and gzip)
// is opened like a capture's.
func TestLayersReport(t *testing.T) {
	t.Parallel()
	body := "base64:" + base64.StdEncoding.EncodeToString(gz(`{"a":"keep","x":"RepTyped!42"}`))
	rep := &audit.Report{Requests: []audit.RequestDetail{{URL: "https://t.example/?h=" + hex.EncodeToString([]byte("RepTyped!42")), Body: body}}}
	Report(rep, Options{Secrets: []string{"RepTyped!42"}})
	d := rep.Requests[0]
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(d.Body, "base64:"))
	if err != nil {
		t.Fatal(err)
	}
	text, err := gzDec(raw)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(text), "RepTyped") || !strings.Contains(string(text), "keep") {
		t.Errorf("report body opened: %q", text)
	}
	if strings.Contains(d.URL, hex.EncodeToString([]byte("RepTyped!42"))) {
		t.Errorf("hex secret in the URL survives: %q", d.URL)
	}
}

// TestEscapingSplice: a rewrite inside an escaped text changes only the
// span it touched; the bytes around keep their escapes as sent.
func TestEscapingSplice(t *testing.T) {
	t.Parallel()
	tests := []struct {
		e         escaping
		in, want  string
		from, rep string
	}{
		{escapings[0], "a%2Fb%3Dc%26pw%3Dhunter22%26z%3D%7E", "a%2Fb%3Dc%26pw%3D[REDACTED]%26z%3D%7E", "hunter22", Placeholder},
		{escapings[0], "j%C3%B6hn.doe%40example.com", "j****%40example.com", "jöhn.doe", "j****"},
		{escapings[1], `{\"pw\":\"hunter22\",\"u\":\"\u00e9\"}`, `{\"pw\":\"[REDACTED]\",\"u\":\"\u00e9\"}`, "hunter22", Placeholder},
		{escapings[1], `x\u00e9y`, `xZy`, "é", "Z"},
		{escapings[2], "pw=hunter22&amp;e=john&#64;example.com", "pw=[REDACTED]&amp;e=john&#64;example.com", "hunter22", Placeholder},
		{escapings[2], "{&quot;e&quot;:&quot;john&#x40;example.com&quot;}", "{&quot;e&quot;:&quot;j****&#x40;example.com&quot;}", "john", "j****"},
	}
	for _, tc := range tests {
		d, ok := tc.e.unescape(tc.in)
		if !ok {
			t.Fatalf("%q: no escapes", tc.in)
		}
		got := tc.e.splice(tc.in, d, strings.Replace(d, tc.from, tc.rep, 1))
		if got != tc.want {
			t.Errorf("%s: splice(%q) = %q, want %q", tc.e.name, tc.in, got, tc.want)
		}
	}
}

// TestLayersKeepStructure: changes in several escaped values of one text
// leave the delimiters between them as they were: the query still parses
// to the same keys, the JSON document is still JSON.
func TestLayersKeepStructure(t *testing.T) {
	t.Parallel()
	q := "u=https%3A%2F%2Fx%2F%3Fpassword%3Dabc12345%26q%3D1&v=a+b&w=https%3A%2F%2Fy%2F%3Fpwd%3Ddef45678"
	doc := `{"a":"p\u00e9","d":"{\"password\":\"Secret!11\",\"n\":1}","b":"\u00e9\n","e":"{\"pwd\":\"Other!22\"}"}`
	r := newRedactor(Options{})
	r.finish()
	gotQ, gotDoc := r.text(q), r.text(doc)
	vals, err := url.ParseQuery(gotQ)
	if err != nil || len(vals) != 3 || vals.Get("v") != "a b" || strings.Contains(gotQ, "abc12345") || strings.Contains(gotQ, "def45678") {
		t.Errorf("query: %q (%v, %v)", gotQ, vals, err)
	}
	var m map[string]string
	if err := json.Unmarshal([]byte(gotDoc), &m); err != nil || len(m) != 4 || m["b"] != "é\n" ||
		strings.Contains(gotDoc, "Secret!11") || strings.Contains(gotDoc, "Other!22") {
		t.Errorf("JSON: %s (%v)", gotDoc, err)
	}
}

// TestHARFileLayers: the streamed HAR redaction (analyze --evidence) opens
// the layers too: a password in base64 and gzip bodies and a hex query
// value leaves no decoded form, and each body still decodes.
func TestHARFileLayers(t *testing.T) {
	t.Parallel()
	payload := `{"user":"erika","password":"HarPass!2024"}`
	c := &traffic.Capture{Requests: []*traffic.Request{
		{Index: 0, Method: "POST", URL: "https://t.example/a?h=" + hex.EncodeToString([]byte("TypedHar#99")), Body: stdEnc([]byte(payload))},
		{Index: 1, Method: "POST", URL: "https://t.example/b", Body: gz(payload),
			Headers: traffic.Headers{{Name: "Content-Encoding", Value: "gzip"}}},
	}}
	path := filepath.Join(t.TempDir(), "in.har")
	var in bytes.Buffer
	if err := har.Write(&in, c, har.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, in.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := HARFile(context.Background(), path, &out, Options{Secrets: []string{"TypedHar#99"}}); err != nil {
		t.Fatal(err)
	}
	red, err := har.Read(context.Background(), &out, har.Options{})
	if err != nil || len(red.Requests) != 2 {
		t.Fatalf("redacted HAR: %v", err)
	}
	b64, err := stdDec(red.Requests[0].Body)
	if err != nil {
		t.Fatal(err)
	}
	checkOpened(t, "base64 body", string(b64), "HarPass!2024", "")
	checkOpened(t, "gzip body", string(decodedBody(red.Requests[1].Body, red.Requests[1].Headers.Get("Content-Encoding"))), "HarPass!2024", "")
	if strings.Contains(red.Requests[0].URL, hex.EncodeToString([]byte("TypedHar#99"))) {
		t.Errorf("hex secret kept in %s", red.Requests[0].URL)
	}
}

// TestLayersLZString: lz-string (base64 or URI form) holding a secret is
// replaced by a marker (no encoder is kept); one holding none is left.
func TestLayersLZString(t *testing.T) {
	t.Parallel()
	const b64 = "N4IgpgtghglgNiAXCALmAzigAmzA6AYwHsIQAaEAmFATyRAFkwA7OIgAgAUoAnAaxABfIA==" // {"email":"test@test.com","city":"Menlo Park"}
	const uri = "N4IgpgtghglgNiAXCALmAzigAmzA6AYwHsIQAaEAmFATyRAFkwA7OIgAgAUoAnAaxABfIA"
	for _, tc := range []struct{ in, secret, want string }{
		{"d=" + b64 + "&v=1", "Menlo Park", "d=[redacted by leakwatch: lz-string data held a secret seen elsewhere in the capture; not re-encodable]&v=1"},
		{"d=" + uri, "Menlo Park", "d=[redacted by leakwatch: lz-string data held a secret seen elsewhere in the capture; not re-encodable]"},
		{"d=" + b64 + "&v=1", "Berlin-Mitte", "d=" + b64 + "&v=1"},
	} {
		r := newRedactor(Options{Secrets: []string{tc.secret}})
		r.finish()
		if got := r.text(tc.in); got != tc.want {
			t.Errorf("%q with secret %q:\n got  %q\n want %q", tc.in, tc.secret, got, tc.want)
		}
	}
}
