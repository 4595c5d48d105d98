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
