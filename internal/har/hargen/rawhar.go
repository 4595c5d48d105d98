package hargen

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"time"
)

// rawHAR writes a HAR as text, piece by piece, so that a single string of
// hundreds of megabytes (a URL, a body) streams through without being held:
// har.Writer encodes whole entries. Every string written through it is made
// of characters that need no JSON escaping.
type rawHAR struct {
	bw  *bufio.Writer
	rng *rand.Rand
	n   int // entries written
	t   time.Time
	err error
}

func newRawHAR(w io.Writer, seed int64) *rawHAR {
	h := &rawHAR{bw: bufio.NewWriterSize(w, 1<<20), t: time.Date(2024, 6, 3, 9, 0, 0, 0, time.UTC),
		rng: rand.New(rand.NewPCG(uint64(seed), uint64(seed)^0x2545f4914f6cdd1d))}
	h.s(`{"log":{"version":"1.2","creator":{"name":"leakwatch-hargen","version":"1"},"pages":[{"startedDateTime":"2024-06-03T09:00:00Z","id":"page_1","title":"https://` +
		DenseSite + `/","pageTimings":{}}],"entries":[`)
	return h
}

// s writes raw text.
func (h *rawHAR) s(text string) {
	if h.err == nil {
		_, h.err = h.bw.WriteString(text)
	}
}

// entry says what one entry holds; the func fields write parts that may be
// huge, straight to the output.
type entry struct {
	method, typ string
	url         string
	urlFn       func() // writes the URL's text when url is empty
	headers     func() // writes header objects, comma-separated
	mime        string
	body        func() // writes postData.text
	b64         bool   // postData.text is base64
	extra       func() // writes more entry fields, each starting with a comma
}

// entry writes one HAR entry.
func (h *rawHAR) entry(e entry) {
	if h.n > 0 {
		h.s(",")
	}
	h.n++
	h.t = h.t.Add(time.Millisecond)
	h.s(`{"pageref":"page_1","startedDateTime":"` + h.t.Format("2006-01-02T15:04:05.000Z") + `","time":1,"request":{"method":"` +
		e.method + `","url":"`)
	if e.urlFn != nil {
		e.urlFn()
	} else {
		h.s(e.url)
	}
	h.s(`","httpVersion":"http/2.0","headers":[{"name":"referer","value":"https://` + DenseSite + `/"}`)
	if e.headers != nil {
		h.s(",")
		e.headers()
	}
	h.s(`],"cookies":[],"queryString":[],"headersSize":-1,"bodySize":-1`)
	if e.body != nil {
		h.s(`,"postData":{"mimeType":"` + e.mime + `",`)
		if e.b64 {
			h.s(`"encoding":"base64",`)
		}
		h.s(`"text":"`)
		e.body()
		h.s(`"}`)
	}
	h.s(`},"response":{"status":204,"statusText":"","httpVersion":"http/2.0","headers":[],"cookies":[],"content":{"size":0,"mimeType":"text/plain"},"redirectURL":"","headersSize":-1,"bodySize":0},"cache":{},"timings":{"send":0,"wait":1,"receive":0},"_resourceType":"` +
		e.typ + `"`)
	if e.extra != nil {
		e.extra()
	}
	h.s("}")
}

// end closes the entries and the log; extra writes more log fields, each
// starting with a comma.
func (h *rawHAR) end(extra func()) error {
	h.s("]")
	if extra != nil {
		extra()
	}
	h.s("}}\n")
	if h.err == nil {
		h.err = h.bw.Flush()
	}
	if h.err != nil {
		return fmt.Errorf("hargen: %w", h.err)
	}
	return nil
}

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// random writes n random characters of alphabet, in chunks.
func (h *rawHAR) random(n int64, alphabet string) {
	buf := make([]byte, 64<<10)
	for n > 0 && h.err == nil {
		c := buf[:min(int64(len(buf)), n)]
		for i := range c {
			c[i] = alphabet[h.rng.Uint32()%uint32(len(alphabet))]
		}
		_, h.err = h.bw.Write(c)
		n -= int64(len(c))
	}
}

// repeat writes s n times.
func (h *rawHAR) repeat(s string, n int64) {
	for ; n > 0 && h.err == nil; n-- {
		h.s(s)
	}
}

// itoa is strconv.FormatInt for the int sizes the shapes count in.
func itoa[T int | int64](n T) string { return strconv.FormatInt(int64(n), 10) }

// base64Writer returns a writer that base64-encodes into the output; close
// it to flush the last quantum.
func (h *rawHAR) base64Writer() io.WriteCloser {
	return base64.NewEncoder(base64.StdEncoding, errWriter{h})
}

// errWriter writes to the HAR's buffer, keeping its sticky error.
type errWriter struct{ h *rawHAR }

func (w errWriter) Write(p []byte) (int, error) {
	if w.h.err != nil {
		return 0, w.h.err
	}
	n, err := w.h.bw.Write(p)
	w.h.err = err
	return n, err
}

// base64Encoder returns a streaming standard base64 encoder onto w.
func base64Encoder(w io.Writer) io.WriteCloser { return base64.NewEncoder(base64.StdEncoding, w) }
