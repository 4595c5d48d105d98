package consent

import (
	"strconv"
	"strings"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// bitWriter builds base64 bit strings for tests: hostile and edge-case
// inputs the published examples do not cover.
type bitWriter struct{ bits []byte }

// put appends v as n bits, most significant first.
func (w *bitWriter) put(v uint64, n int) *bitWriter {
	for i := n - 1; i >= 0; i-- {
		w.bits = append(w.bits, byte(v>>i)&1)
	}
	return w
}

// String renders the bits as URL-safe base64 without padding.
func (w *bitWriter) String() string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	var b strings.Builder
	for i := 0; i < len(w.bits); i += 6 {
		v := 0
		for j := 0; j < 6; j++ {
			v <<= 1
			if i+j < len(w.bits) {
				v |= int(w.bits[i+j])
			}
		}
		b.WriteByte(alphabet[v])
	}
	return b.String()
}

// tcHead writes a valid TCF v2 core segment up to PublisherCC: version 2,
// CMP 28 version 3, language EN, vendor list 100, policy 4, purposes 1
// and 3 consented, PublisherCC DE.
func tcHead() *bitWriter {
	w := &bitWriter{}
	w.put(2, 6).put(16000000000, 36).put(16000000000, 36).put(28, 12).put(3, 12).put(1, 6)
	w.put(4, 6).put(13, 6).put(100, 12).put(4, 6).put(0, 1).put(0, 1).put(0, 12)
	w.put(0b101<<21, 24).put(0, 24).put(0, 1).put(3, 6).put(4, 6)
	return w
}

// headers builds a header list from name, value pairs.
func headers(kv ...string) traffic.Headers {
	var h traffic.Headers
	for i := 0; i+1 < len(kv); i += 2 {
		h = append(h, traffic.Header{Name: kv[i], Value: kv[i+1]})
	}
	return h
}

// itoa formats an int.
func itoa(n int) string { return strconv.Itoa(n) }
