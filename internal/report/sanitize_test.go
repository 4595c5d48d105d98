package report

import (
	"bytes"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// hostile drives a terminal every way a captured field could: OSC 0 window
// title, OSC 52 clipboard write, OSC 8 link, screen clear, DCS, an 8-bit
// CSI (raw and as a C1 rune), NEL, CR, NUL, DEL, a bidi override and
// isolate, and a newline starting a fake line.
const hostile = "\x1b]0;pwned\x07\x1b]52;c;ZWNobyBoaQ==\x07\x1b]8;;http://evil/\x1b\\click\x1b]8;;\x1b\\" +
	"\x1b[2J\x1b[H\x1bP1$qm\x1b\\\x9b31m\u009b\u0085\r\x00\x7f\u202egnp.exe\u2066\u200f\u061c\u2028" +
	"\nOK: all files match"

func TestSanitize(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want, line string }{
		{"plain https://a.example/?q=1", "plain https://a.example/?q=1", "plain https://a.example/?q=1"},
		{"ünïcödé 日本", "ünïcödé 日本", "ünïcödé 日本"},
		{"a\tb\nc", "a\tb\nc", "a b c"},
		{"\x1b]0;t\x07", `\x1b]0;t\x07`, `\x1b]0;t\x07`},
		{"\x1b[2J", `\x1b[2J`, `\x1b[2J`},
		{"x\ry", `x\x0dy`, `x\x0dy`},
		{"\x00\x7f", `\x00\x7f`, `\x00\x7f`},
		{"\u009b\u0085", `\x9b\x85`, `\x9b\x85`},
		{"\x9b\xff", `\x9b\xff`, `\x9b\xff`},
		{"abc\u202edef", `abc\u202edef`, `abc\u202edef`},
		{"\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069", `\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069`, `\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069`},
		{"\u200e\u200f\u061c\u2028\u2029", `\u200e\u200f\u061c\u2028\u2029`, `\u200e\u200f\u061c\u2028\u2029`},
		{"\u00a0\u00e9\u200b", "\u00a0\u00e9\u200b", "\u00a0\u00e9\u200b"},
	}
	for _, tt := range tests {
		if got := Sanitize(tt.in); got != tt.want {
			t.Errorf("Sanitize(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := SanitizeLine(tt.in); got != tt.line {
			t.Errorf("SanitizeLine(%q) = %q, want %q", tt.in, got, tt.line)
		}
	}
}

// poison appends the hostile payload to every settable string in v.
func poison(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		if v.CanSet() {
			v.SetString(v.String() + hostile)
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			poison(v.Elem())
		}
	case reflect.Struct:
		for i := range v.NumField() {
			poison(v.Field(i))
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			poison(v.Index(i))
		}
	}
}

var ansiColour = regexp.MustCompile("\x1b\\[[0-9;]*m")

// assertInert fails when out holds a control byte other than newline and
// (where allowed) tab, a C1 control, a bidi control or a byte that is not
// UTF-8. The colours the text report writes itself are removed first.
func assertInert(t *testing.T, name string, out []byte, colour bool) {
	t.Helper()
	s := string(out)
	if colour {
		s = ansiColour.ReplaceAllString(s, "")
	}
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		bad := (r == utf8.RuneError && n == 1) || (r < 0x20 && r != '\n' && r != '\t') ||
			(r >= 0x7f && r < 0xa0) || unsafeRune(r)
		if bad {
			lo, hi := max(0, i-40), min(len(s), i+40)
			t.Fatalf("%s: raw %q at byte %d: %q", name, s[i:i+n], i, s[lo:hi])
		}
		i += n
	}
	if strings.Contains(s, "\nOK: all files match") {
		t.Errorf("%s: a captured newline drew a line of its own", name)
	}
}

func TestRenderHostileCapture(t *testing.T) {
	t.Parallel()
	for _, format := range []string{"text", "markdown", "csv"} {
		for _, colour := range []bool{false, true} {
			t.Run(format, func(t *testing.T) {
				t.Parallel()
				r := shopReport()
				poison(reflect.ValueOf(r).Elem())
				var buf bytes.Buffer
				if err := Render(&buf, r, format, Options{Color: colour}); err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(buf.String(), `\x1b]0;pwned`) {
					t.Errorf("%s: the payload is not shown escaped", format)
				}
				assertInert(t, format, buf.Bytes(), colour && format == "text")
			})
		}
	}
}

func TestSanitizeAll(t *testing.T) {
	t.Parallel()
	type inner struct {
		Name string
		M    map[string]string
	}
	v := struct {
		A  string
		P  *inner
		S  []string
		hd string
	}{A: hostile, P: &inner{Name: hostile, M: map[string]string{hostile: hostile}}, S: []string{hostile}, hd: "\x1b"}
	SanitizeAll(&v)
	for k, e := range v.P.M {
		assertInert(t, "map", []byte(k+e), false)
	}
	assertInert(t, "all", []byte(v.A+v.P.Name+strings.Join(v.S, "")), false)
	if v.hd != "\x1b" {
		t.Errorf("unexported field changed")
	}
	SanitizeAll(v) // not a pointer: left alone, no panic
}

// FuzzSanitize checks that no input leaves a control, bidi control or
// invalid byte in the output, and that clean text passes unchanged.
func FuzzSanitize(f *testing.F) {
	for _, s := range []string{"", "plain", hostile, "\xff\xfe", "a\u202eb", "\t\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, line := range []bool{false, true} {
			got := sanitize(s, line)
			if !isClean(got, line) || !utf8.ValidString(got) {
				t.Fatalf("sanitize(%q, %v) = %q: not clean", s, line, got)
			}
			if isClean(s, line) && got != s {
				t.Fatalf("sanitize(%q, %v) changed clean text to %q", s, line, got)
			}
		}
	})
}
