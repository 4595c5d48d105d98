package leak

import (
	"encoding/json"
	"os"
	"testing"
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
		}{"base64": {v.B64, lzFromBase64}, "uri": {v.URI, lzFromURI}, "utf16": {v.UTF16, lzFromUTF16}, "raw": {v.Raw, lzRaw}} {
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
		if got, err := lzFromBase64(in, 1<<20); err == nil && got != "" && plausibleText([]byte(got)) && len(got) > 8 {
			t.Errorf("lzFromBase64(%q) = %q, want an error or nothing readable", in, got)
		}
	}
	// A stream that repeats the last entry grows the output quadratically;
	// the limit must stop it.
	big, _ := lzFromBase64(vecBig, 1<<30)
	if _, err := lzFromBase64(vecBig, len(big)/2); err != errLZCap {
		t.Errorf("limit not enforced: %v", err)
	}
}

const vecBig = "BYUwNmD2AEoTcq3Eg7pATmAJkA=="
