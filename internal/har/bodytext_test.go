package har

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestUnquoteJSON(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		``, `plain`, `a\"b`, `\\\/\b\f\n\r\t`, `\u00e9\u4e2d`, `\ud83d\ude00`, `\ud83d`, `\ud83dx`, `\ud83d\u0041`,
		`\ude00`, `x\u0000y`, `<script>&amp;`, "caf\u00e9 \u2603",
	} {
		var want string
		if err := json.Unmarshal([]byte(`"`+in+`"`), &want); err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		got, err := unquoteJSON([]byte(in))
		if err != nil || string(got) != want {
			t.Errorf("unquote %q = %q, %v; want %q", in, got, err, want)
		}
	}
	// Bytes that are not UTF-8 are kept, not replaced.
	if got, _ := unquoteJSON([]byte("a\xffb\\n")); string(got) != "a\xffb\n" {
		t.Errorf("raw bytes: %q", got)
	}
}

// FuzzUnquoteJSON checks the body unquoter against encoding/json on every
// valid string literal with UTF-8 content.
func FuzzUnquoteJSON(f *testing.F) {
	for _, s := range []string{`a\"b`, `\ud83d\ude00`, `\u00e9`, `\\\n`, `\ud800\udc00`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		lit := append(append([]byte{'"'}, in...), '"')
		var want string
		if !utf8.Valid(in) || json.Unmarshal(lit, &want) != nil {
			return
		}
		var bt bodyText
		if err := bt.UnmarshalJSON(lit); err != nil || string(bt) != want {
			t.Fatalf("unquote %q = %q, %v; want %q", in, bt, err, want)
		}
	})
}

func TestBodyTextNotAString(t *testing.T) {
	t.Parallel()
	in := entries(`{"request":{"method":"POST","url":"https://a/","postData":{"mimeType":"application/json","text":{"email": "a@b.example"}}},
	"response":{"status":200,"content":{"mimeType":"application/json","text":[1, 2]}}}`)
	c, err := Read(context.Background(), strings.NewReader(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r := c.Requests[0]; string(r.Body) != `{"email":"a@b.example"}` || string(r.Response.Body) != "[1,2]" {
		t.Errorf("bodies %q %q", r.Body, r.Response.Body)
	}
}
