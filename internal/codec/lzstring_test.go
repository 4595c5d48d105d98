package codec

import (
	"encoding/json"
	"errors"
	"os"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

// testdata/lzstring-vectors.json was made with the lz-string 1.5.0 npm
// package (compressToBase64, compressToEncodedURIComponent,
// compressToUTF16, compress) on the inputs it lists.
func TestLZStringVectors(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("testdata/lzstring-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var vecs []struct{ In, B64, URI, UTF16, Raw string }
	if err := json.Unmarshal(data, &vecs); err != nil {
		t.Fatal(err)
	}
	for _, v := range vecs {
		for name, c := range map[string]struct {
			in string
			f  func(string, int) (string, error)
		}{"base64": {v.B64, LZFromBase64}, "uri": {v.URI, LZFromURI}, "utf16": {v.UTF16, LZFromUTF16}, "raw": {v.Raw, LZRaw}} {
			got, err := c.f(c.in, 1<<20)
			if err != nil || got != v.In {
				t.Errorf("%s(%q) = %q, %v; want %q", name, c.in, got, err, v.In)
			}
		}
	}
}

func TestLZStringRejectsGarbage(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"", "////", "hello world", "AAAAAAAAAAAAAAAAAAAA", "\x00\x01"} {
		if got, err := LZFromBase64(in, 1<<20); err == nil && len(got) > 8 && printable(got) {
			t.Errorf("LZFromBase64(%q) = %q, want an error or nothing readable", in, got)
		}
	}
	// A stream that repeats the last entry grows the output quadratically;
	// the limit must stop it.
	big, _ := LZFromBase64(vecBig, 1<<30)
	if _, err := LZFromBase64(vecBig, len(big)/2); err != ErrLZLimit {
		t.Errorf("limit not enforced: %v", err)
	}
}

const vecBig = "BYUwNmD2AEoTcq3Eg7pATmAJkA=="

// printable reports text with no control characters but whitespace.
func printable(s string) bool {
	for _, r := range s {
		if r < 0x20 && r != '\n' && r != '\t' && r != '\r' || r == utf8.RuneError {
			return false
		}
	}
	return true
}

// TestLZStringPixelVectors: the PostHog-style payloads a pixel decoder
// reads, made with the lz-string 1.5.0 npm package (compressToBase64).
func TestLZStringPixelVectors(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want string }{
		{"IZA=", "a"},
		{"BYS4NmD2AEDuBvAnMATahkAmgH4HYHuBjSFAU2kGRyaQFg3A8XekRIAcSBDAFxLQefc/qdYcUQA=",
			"héllo wörld – ünïcode ✓ 𝄞 repeated repeated repeated"},
		{"NobwRApgbhB2AuYBcYAkAHAhgc2gSwgHcwAaMdAJwHt0IL4CBnZceKgazmXIAsBjAPoAVAKIBlIaTAATPIwaw+8AXmncArozoBaAIxTUfdRQpxlxgDbce8eOkZIA9I8Y8aAOggAPTAFt0FhCOmHx8VOoIAPwQvph4FgC8mAACAEbufAZaiEjgMXFWKABWmLAQyd5+ARAZVL5gAL5NALpAA==",
			`[{"event":"$pageview","properties":{"token":"phc_TEST","distinct_id":"user-1",` +
				`"$current_url":"https://shop.example/account?email=a@b.c","$set":{"email":"jane@example.com"}}}]`},
	} {
		if got, err := LZFromBase64(c.in, 1<<20); err != nil || got != c.want {
			t.Errorf("LZFromBase64(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
}

// FuzzLZString runs the four lz-string decoders on arbitrary input: no
// panic, and never more output than the limit.
func FuzzLZString(f *testing.F) {
	for _, s := range []string{"IZA=", vecBig, "", "A", "Q", "////////", "\u0100\u0020"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		const limit = 1 << 16
		for _, fn := range []func(string, int) (string, error){LZFromBase64, LZFromURI, LZFromUTF16, LZRaw} {
			out, _ := fn(in, limit)
			if n := len(utf16.Encode([]rune(out))); n > limit {
				t.Fatalf("output of %d code units over the limit %d", n, limit)
			}
		}
	})
}

// LZMayStart rejects exactly the runs the decoder rejects at its first
// code: whatever follows, a run it refuses fails without output or work.
func TestLZMayStartAgreesWithDecoder(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name   string
		uri    bool
		decode func(string, int) (string, error)
	}{
		{"base64", false, LZFromBase64},
		{"uri", true, LZFromURI},
	} {
		for first := range 256 {
			for _, tail := range []string{"AAAAAAAAAAAAAAAAAAAA", "N4IgLgpgThDGD2A7ALQEYQC5", "zzzzzzzzzzzzzzzzzzzz"} {
				run := string(rune(first)) + tail
				if first >= 0x80 {
					run = string([]byte{byte(first)}) + tail
				}
				_, err := c.decode(run, 1<<20)
				var fail *LZError
				atOnce := errors.Is(err, ErrLZ) && !errors.As(err, &fail)
				if !LZMayStart([]byte(run), c.uri) && !atOnce {
					t.Errorf("%s %q: refused, but the decoder got past the first code (%v)", c.name, run, err)
				}
			}
		}
	}
}

// FuzzLZDecoder: the reusing decoder gives what LZFromBase64 and
// LZFromURI give (output, error, code units made), call after call on
// one decoder, whatever the input and limit.
func FuzzLZDecoder(f *testing.F) {
	for _, s := range []string{"IZA=", vecBig, "", "A", "Q", "////////", "N4Ig", "a b$c-+", "\xff\xfe"} {
		f.Add(s, 1<<16)
		f.Add(s, 3)
	}
	var d LZDecoder
	f.Fuzz(func(t *testing.T, in string, limit int) {
		limit = max(0, limit%(1<<20))
		for _, uri := range []bool{false, true} {
			fn := LZFromBase64
			if uri {
				fn = LZFromURI
			}
			want, werr := fn(in, limit)
			got, units, err := d.Base64([]byte(in), uri, limit)
			var fail *LZError
			wantUnits := -1
			switch {
			case errors.As(werr, &fail):
				wantUnits = fail.Units
			case werr == nil || errors.Is(werr, ErrLZLimit):
				wantUnits = len(utf16.Encode([]rune(want)))
			}
			if string(got) != want || !errors.Is(err, ErrLZ) && !errors.Is(err, ErrLZLimit) && err != nil ||
				(err == nil) != (werr == nil) || errors.Is(err, ErrLZLimit) != errors.Is(werr, ErrLZLimit) {
				t.Fatalf("uri %v: Base64(%q, %d) = %q, %v; want %q, %v", uri, in, limit, got, err, want, werr)
			}
			if wantUnits >= 0 && units != wantUnits {
				t.Fatalf("uri %v: Base64(%q, %d) made %d units, want %d", uri, in, limit, units, wantUnits)
			}
		}
	})
}
