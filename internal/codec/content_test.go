package codec

import (
	"bytes"
	"errors"
	"io"
	"net/url"
	"strings"
	"testing"
)

func encode(t testing.TB, codings []string, body string) []byte {
	t.Helper()
	b, err := Encode(codings, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecodeRoundTrip(t *testing.T) {
	t.Parallel()
	const body = `{"email":"jane.doe@example.com","padding":"` + "abcabcabc" + `"}`
	for _, c := range []struct {
		header  string
		codings []string // as written
		want    []string // as Decode resolves them
	}{
		{"gzip", []string{Gzip}, []string{Gzip}},
		{"x-gzip", []string{Gzip}, []string{Gzip}},
		{"deflate", []string{Zlib}, []string{Zlib}},       // HTTP deflate: zlib-wrapped
		{"deflate", []string{Deflate}, []string{Deflate}}, // sent raw by some servers
		{"br", []string{Brotli}, []string{Brotli}},
		{"zstd", []string{Zstd}, []string{Zstd}},
		{"gzip, br", []string{Gzip, Brotli}, []string{Gzip, Brotli}},
		{" GZIP ,identity, deflate", []string{Gzip, Zlib}, []string{Gzip, Zlib}},
		{"identity", nil, []string{}},
		{"", nil, []string{}},
	} {
		enc := encode(t, c.codings, body)
		got, applied, err := Decode(c.header, enc, Limits{})
		if err != nil || string(got) != body {
			t.Errorf("Decode(%q) = %q, %v", c.header, got, err)
			continue
		}
		if strings.Join(applied, ",") != strings.Join(c.want, ",") {
			t.Errorf("Decode(%q) codings %q, want %q", c.header, applied, c.want)
		}
		again, err := Encode(applied, got)
		if err != nil {
			t.Fatal(err)
		}
		if back, _, err := Decode(c.header, again, Limits{}); err != nil || string(back) != body {
			t.Errorf("%q: re-encoded body decodes to %q, %v", c.header, back, err)
		}
	}
}

func TestDecodeFailures(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("a", 1<<20)
	gz := encode(t, []string{Gzip}, big)
	cut := encode(t, []string{Gzip}, "jane.doe@example.com and more text that is cut off")
	cut = cut[:len(cut)-12]
	for _, c := range []struct {
		name, header string
		body         []byte
		lim          Limits
		wantErr      error // nil: no error
		wantLen      int   // -1: the body as given
	}{
		{"unknown coding", "compress", []byte("x"), Limits{}, ErrUnknownCoding, -1},
		{"not gzip", "gzip", []byte("plain text"), Limits{}, nil, -1},
		{"bomb by ratio", "gzip", gz, Limits{MaxRatio: 100}, ErrExpansion, len(gz) * 100},
		{"over the output limit", "gzip", gz, Limits{MaxOutput: 4096}, ErrOutputLimit, 4096},
		{"truncated stream", "gzip", cut, Limits{}, io.ErrUnexpectedEOF, 0},
		{"sniffed gzip", "", encode(t, []string{Gzip}, "hello"), Limits{SniffGzip: true}, nil, 5},
		{"gzip magic not sniffed unless asked", "", encode(t, []string{Gzip}, "hello"), Limits{}, nil, -1},
	} {
		got, _, err := Decode(c.header, c.body, c.lim)
		switch {
		case c.wantErr == nil && c.name == "not gzip":
			if err == nil {
				t.Errorf("%s: no error", c.name)
			}
		case c.wantErr == nil && err != nil, c.wantErr != nil && !errors.Is(err, c.wantErr):
			t.Errorf("%s: error %v, want %v", c.name, err, c.wantErr)
		}
		switch {
		case c.wantLen == -1 && !bytes.Equal(got, c.body):
			t.Errorf("%s: got %d bytes, want the body as given", c.name, len(got))
		case c.wantLen > 0 && len(got) != c.wantLen:
			t.Errorf("%s: got %d bytes, want %d", c.name, len(got), c.wantLen)
		case c.wantLen == 0 && !strings.HasPrefix("jane.doe@example.com and more text that is cut off", string(got)):
			t.Errorf("%s: partial output %q is not a prefix", c.name, got)
		}
	}
}

func TestCodings(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"": "", "identity": "", "gzip": "gzip", "X-Gzip, BR": "gzip,br", " , deflate ,": "deflate",
	} {
		if got := strings.Join(Codings(in), ","); got != want {
			t.Errorf("Codings(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzDecode: any header and body decode without panic, within the limit.
func FuzzDecode(f *testing.F) {
	f.Add("gzip", []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff})
	f.Add("deflate", []byte{0x78, 0x9c, 1, 0, 0, 0xff, 0xff})
	f.Add("br, gzip", []byte("\x0b\x02\x80hi\x03"))
	f.Add("zstd", []byte{0x28, 0xb5, 0x2f, 0xfd, 0, 0x58, 0x19, 0, 0})
	f.Fuzz(func(t *testing.T, header string, body []byte) {
		lim := Limits{MaxOutput: 1 << 16, MaxRatio: 50, SniffGzip: true}
		out, applied, err := Decode(header, body, lim)
		if len(out) > lim.MaxOutput && len(applied) > 0 {
			t.Fatalf("%d bytes out, over the %d limit", len(out), lim.MaxOutput)
		}
		if err == nil && len(applied) > 0 {
			if _, err := Encode(applied, out); err != nil {
				t.Fatalf("re-encode %q: %v", applied, err)
			}
		}
	})
}

// FuzzUnescapeQuery: UnescapeQuery is url.QueryUnescape, and
// QueryUnescape returns its input where that fails.
func FuzzUnescapeQuery(f *testing.F) {
	for _, s := range []string{"a%20b+c", "%", "%4", "%4g", "abc%41", "+++", "%zz%41", "100%", "a%2B%2b%E2%82%AC"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := url.QueryUnescape(s)
		got, ok := UnescapeQuery(s)
		if ok != (err == nil) || got != want {
			t.Fatalf("UnescapeQuery(%q) = %q, %v; want %q, %v", s, got, ok, want, err)
		}
		if err != nil {
			want = s
		}
		if got := QueryUnescape(s); got != want {
			t.Fatalf("QueryUnescape(%q) = %q, want %q", s, got, want)
		}
	})
}
