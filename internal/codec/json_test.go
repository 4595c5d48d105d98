package codec

import (
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
		got, err := UnquoteJSON([]byte(in))
		if err != nil || string(got) != want {
			t.Errorf("unquote %q = %q, %v; want %q", in, got, err, want)
		}
	}
	// Bytes that are not UTF-8 are kept, not replaced.
	if got, _ := UnquoteJSON([]byte("a\xffb\\n")); string(got) != "a\xffb\n" {
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
		got, err := UnquoteJSON(in)
		if err != nil || string(got) != want {
			t.Fatalf("unquote %q = %q, %v; want %q", in, got, err, want)
		}
		if lenient := UnescapeJSON(in); string(lenient) != want {
			t.Fatalf("lenient unescape %q = %q; want %q", in, lenient, want)
		}
	})
}

func TestUnescapeJSONLenient(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in, want  string
		strictErr bool // UnquoteJSON rejects it
	}{
		{`a\qb`, `a\qb`, true}, // unknown escape kept as written
		{`\u12`, `\u12`, true}, // cut-off \u
		{`tail\`, `tail\`, true},
		{`x\u0041y`, `xAy`, false},
		{`\ud83d\ude00!`, "\U0001F600!", false},
	} {
		if got := string(UnescapeJSON([]byte(c.in))); got != c.want {
			t.Errorf("UnescapeJSON(%q) = %q, want %q", c.in, got, c.want)
		}
		if _, err := UnquoteJSON([]byte(c.in)); (err != nil) != c.strictErr {
			t.Errorf("UnquoteJSON(%q): error %v, want error %v", c.in, err, c.strictErr)
		}
	}
}

func TestPlausibleText(t *testing.T) {
	t.Parallel()
	big := []byte(strings.Repeat("é", 1<<20)) // the 1 MiB cut lands inside a rune
	for _, c := range []struct {
		in   []byte
		want bool
	}{
		{[]byte("hello world"), true},
		{[]byte("a"), false},
		{[]byte("\x00\x01\x02\x03 binary"), false},
		{[]byte{0xff, 0xfe, 'a', 'b'}, false},
		{[]byte("replacement \uFFFD char"), false},
		{big, true},
	} {
		if got := PlausibleText(c.in); got != c.want {
			t.Errorf("PlausibleText(%.20q) = %v, want %v", c.in, got, c.want)
		}
	}
}
