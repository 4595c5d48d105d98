package leak

import (
	"bytes"
	"compress/flate"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
)

// deflateMayStart passes every stream compress/flate writes, and refuses
// only data from which a decoder reads nothing.
func TestDeflateMayStartAgreesWithDecoder(t *testing.T) {
	t.Parallel()
	text := []byte(strings.Repeat(`{"email":"alice.smith@example.com","page":"/checkout?step=2"}`, 20))
	for level := flate.HuffmanOnly; level <= flate.BestCompression; level++ {
		for _, n := range []int{1, 30, 200, len(text)} {
			var buf bytes.Buffer
			w, _ := flate.NewWriter(&buf, level)
			w.Write(text[:n])
			w.Close()
			if !deflateMayStart(buf.Bytes()) {
				t.Errorf("level %d, %d bytes: a real stream refused", level, n)
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	refused := 0
	for range 20000 {
		b := make([]byte, 24+rng.IntN(100))
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		if deflateMayStart(b) {
			continue
		}
		refused++
		if out, _ := io.ReadAll(flate.NewReader(bytes.NewReader(b))); len(out) > 0 {
			t.Fatalf("refused %x, but a decoder read %d bytes of it", b, len(out))
		}
	}
	if refused < 4500 { // a quarter say BTYPE 10, and nearly all of those fail
		t.Errorf("only %d of 20000 random inputs refused", refused)
	}
}

// scanFeaturesOracle is scanFeatures as first written, byte by byte with
// branches: the branch-free loop is held to it.
func scanFeaturesOracle(v []byte, text bool) features {
	var f features
	if len(v) < 16 {
		return scanFeatures(v, text) // the short path is unchanged
	}
	b64, hx, digits := 0, 0, 0
	var seen uint8
	for _, c := range v {
		k := featureClass[c]
		seen |= k
		if k&fRun != 0 {
			b64++
			f.b64 = max(f.b64, b64)
		} else {
			b64 = 0
		}
		if k&fHex != 0 {
			hx++
			f.hex = max(f.hex, hx)
		} else {
			hx = 0
		}
		f.high += int(k >> 7)
		if !text {
			continue
		}
		if k&fDigit != 0 {
			f.class.digits++
			digits++
			continue
		}
		f.class.run = max(f.class.run, digits)
		digits = 0
		f.class.has |= anchorBits[c]
	}
	f.pct, f.amp, f.esc = seen&fPct != 0, seen&fAmp != 0, seen&fEsc != 0
	if text {
		f.text = true
		f.class.run = max(f.class.run, digits)
	}
	return f
}

// FuzzScanFeatures: the branch-free scanFeatures reads every value as
// the byte-by-byte one did.
func FuzzScanFeatures(f *testing.F) {
	for _, s := range []string{"", "abc", "0123456789abcdefABCDEF%&\\", "user@example.com 12345 +1-555",
		"H4sIAAAAAAAA/+xWTW8TMRD9K1bOJXJCkx6KVKkSEhdAcAQOjj2bWOuPlT1Ok1b579ibbrJpE1UIJA6cspp5fm/me8ZZfKTFgTcrjaWUsbq0vKDovjWsBo3PUTuqWKL0Y2mwMfGmDNVVmkcj3A0spIGhhYkIX4RzYmwbPgyQfE8rJ1UYGoIV+g4r91xAzyLvlkIMG1ZrWDC3NqmAAvasWcm2INGV9zhTq/s+sLrH1rT6HnSzf8="} {
		f.Add([]byte(s), true)
		f.Add([]byte(s), false)
	}
	f.Fuzz(func(t *testing.T, v []byte, text bool) {
		if got, want := scanFeatures(v, text), scanFeaturesOracle(v, text); got != want {
			t.Fatalf("scanFeatures(%q, %v) = %+v, want %+v", v, text, got, want)
		}
	})
}
