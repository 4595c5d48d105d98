package reference

import (
	"bytes"
	"compress/gzip"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"strings"
	"testing"
)

var persona = []Value{{"email", "Jane.Doe@Example.com"}, {"phone", "+1 (415) 555-0134"}, {"last_name", "Whitfield"}}

func sha256Hex(s string) string { h := sha256.Sum256([]byte(s)); return hex.EncodeToString(h[:]) }

func gzipB64(s string) string {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(s))
	zw.Close()
	return base64.StdEncoding.EncodeToString(b.Bytes())
}

func TestSearchFinds(t *testing.T) {
	t.Parallel()
	md5Email := md5.Sum([]byte("jane.doe@example.com"))
	cases := []struct {
		name string
		req  Request
		key  string
	}{
		{"plain in URL", Request{URL: "https://t.example/p?e=" + url.QueryEscape("Jane.Doe@Example.com")}, "email"},
		{"sha256 of lowercase", Request{URL: "https://t.example/p?h=" + sha256Hex("jane.doe@example.com")}, "email"},
		{"md5 in a cookie", Request{Headers: []NameValue{{"Cookie", "a=1; em=" + hex.EncodeToString(md5Email[:])}}}, "email"},
		{"base64 of sha256 in a body", Request{Body: `{"x":"` + base64.StdEncoding.EncodeToString([]byte(sha256Hex("jane.doe@example.com"))) + `"}`}, "email"},
		{"base64 of gzip of JSON", Request{Body: "d=" + gzipB64(`{"email":"jane.doe@example.com"}`)}, "email"},
		{"phone digits, URL-encoded twice", Request{URL: "https://t.example/p?p=" + url.QueryEscape(url.QueryEscape("+14155550134"))}, "phone"},
		{"last name in a sent frame", Request{Frames: []string{`{"n":"Whitfield"}`}}, "last_name"},
	}
	p := NewPool(persona)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			leaks := p.Search(c.req)
			if len(leaks) == 0 || leaks[0].Key != c.key {
				t.Errorf("got %+v, want a %s leak", leaks, c.key)
			}
		})
	}
}

func TestSearchQuiet(t *testing.T) {
	t.Parallel()
	p := NewPool(persona)
	r := Request{URL: "https://t.example/p?uid=8f14e45fceea167a5a36dedd4bea2543&cb=1717405200000",
		Headers: []NameValue{{"Cookie", "_ga=GA1.2.1234567890.1717405200"}}, Body: "a=" + gzipB64("nothing to see")}
	if leaks := p.Search(r); len(leaks) > 0 {
		t.Errorf("leaks in clean traffic: %+v", leaks)
	}
}

func TestReadHAR(t *testing.T) {
	t.Parallel()
	har := `{"log":{"entries":[{"request":{"url":"https://a.example/?e=jane.doe%40example.com","headers":[{"name":"Cookie","value":"x=1"}],
	"postData":{"text":"` + base64.StdEncoding.EncodeToString([]byte("whitfield")) + `","encoding":"base64"}},
	"_webSocketMessages":[{"type":"send","data":"hi"},{"type":"receive","data":"no"}]}]}}`
	reqs, err := ReadHAR(strings.NewReader(har))
	if err != nil {
		t.Fatal(err)
	}
	if len(reqs) != 1 || reqs[0].Body != "whitfield" || len(reqs[0].Frames) != 1 || len(reqs[0].Headers) != 1 {
		t.Fatalf("%+v", reqs)
	}
	if leaks := NewPool(persona).SearchAll(reqs); len(leaks) != 2 {
		t.Errorf("got %+v, want the email in the URL and the last name in the body", leaks)
	}
	if _, err := ReadHAR(strings.NewReader("{")); err == nil {
		t.Error("broken JSON: want an error")
	}
}

// FuzzSearch: the yardstick never panics, whatever it reads.
func FuzzSearch(f *testing.F) {
	f.Add("https://t.example/p?e=jane.doe%40example.com", "em=a%ZZ", "H4sI")
	f.Add("%%%", "\x1f\x8b\x08", "78")
	p := NewPool(persona)
	f.Fuzz(func(t *testing.T, u, cookie, body string) {
		p.Search(Request{URL: u, Headers: []NameValue{{"Cookie", cookie}}, Body: body, Frames: []string{body}})
	})
}
