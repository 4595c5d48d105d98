package hargen

import (
	"compress/gzip"
	"fmt"
	"io"
	"slices"
)

// Shape is one adversarial input: a HAR built to make an analyser blow up
// in time or memory. Each is sized by one number N, in Unit.
type Shape struct {
	Name string
	// Doc says what the file holds at size N.
	Doc string
	// Unit is what N counts.
	Unit string
	// Full is the size the issue names; Test a size that analyses in
	// seconds and still trips the budget the shape aims at.
	Full, Test int64
	// Budget says an analysis must warn that it stopped somewhere (a
	// decoding cap, a nesting limit, a skipped entry) at the Test size.
	Budget bool
	write  func(h *rawHAR, n int64, email string)
}

// AdversarialOptions tune an adversarial file.
type AdversarialOptions struct {
	// N is the shape's size in its Unit; 0 means Full.
	N    int64
	Seed int64
	// Email is the persona value the shapes carry; empty means
	// DensePersona's.
	Email string
}

// Shapes returns the adversarial shapes, in a fixed order.
func Shapes() []Shape {
	return []Shape{
		{Name: "amplify", Unit: "parameters", Full: 5000, Test: 5000, write: writeAmplify,
			Doc: "20 identical GETs, each URL with N parameters holding the same email and N*40 bytes of padding (200 KB at 5,000)"},
		{Name: "huge-body", Unit: "bytes", Full: 500 << 20, Test: 48 << 20, Budget: true, write: writeHugeBody,
			Doc: "one POST whose body is a single N-byte string of base64 characters with the email in the middle"},
		{Name: "huge-url", Unit: "bytes", Full: 300 << 20, Test: 40 << 20, Budget: true, write: writeHugeURL,
			Doc: "one GET whose URL is N bytes: one query value of random characters with the email in the middle"},
		{Name: "tiny-entries", Unit: "entries", Full: 2_000_000, Test: 200_000, write: writeTinyEntries,
			Doc: "N minimal entries, half of them to a third party"},
		{Name: "many-hosts", Unit: "hosts", Full: 300_000, Test: 30_000, write: writeManyHosts,
			Doc: "N entries, each to a distinct third-party registrable domain"},
		{Name: "many-headers", Unit: "headers", Full: 1_000_000, Test: 100_000, write: writeManyHeaders,
			Doc: "one third-party GET with N request headers, one of them carrying the email"},
		{Name: "deep-json-body", Unit: "levels", Full: 100_000, Test: 100_000, Budget: true, write: writeDeepBody,
			Doc: "one POST whose JSON body nests N objects deep with the email at the bottom"},
		{Name: "deep-har", Unit: "levels", Full: 100_000, Test: 100_000, Budget: true, write: writeDeepHAR,
			Doc: "an entry whose _deep field, and a log whose _deep field, nest N arrays deep, between entries carrying the email"},
		{Name: "websocket-frames", Unit: "frames", Full: 500_000, Test: 50_000, write: writeWebSocket,
			Doc: "one WebSocket entry with N frames, one in a thousand sending the email"},
		{Name: "gzip-bomb", Unit: "expanded bytes", Full: 1 << 30, Test: 64 << 20, Budget: true, write: writeGzipBomb,
			Doc: "one POST with Content-Encoding: gzip whose body (base64 in the HAR) inflates about 1,000x to N bytes, the email first"},
		{Name: "base64-gzip-chain", Unit: "expanded bytes", Full: 1 << 30, Test: 64 << 20, Budget: true, write: writeBase64Chain,
			Doc: "one POST whose text body is base64 of gzip of base64 of N bytes (the email first): about 1,000x"},
		{Name: "cookie-prefixes", Unit: "requests", Full: 20_000, Test: 2_000, write: writeCookiePrefixes,
			Doc: "N third-party requests with 40 cookies sharing long prefixes (checkout_..., GA1.2...., 13-digit numbers), 8 of them echoed in the request's own URL; no value goes to a second host"},
	}
}

// ShapeNames lists the shapes' names.
func ShapeNames() []string {
	var out []string
	for _, s := range Shapes() {
		out = append(out, s.Name)
	}
	return out
}

// Adversarial writes the named shape to w, streaming.
func Adversarial(w io.Writer, shape string, opts AdversarialOptions) error {
	i := slices.IndexFunc(Shapes(), func(s Shape) bool { return s.Name == shape })
	if i < 0 {
		return fmt.Errorf("hargen: unknown shape %q (want one of %v)", shape, ShapeNames())
	}
	s := Shapes()[i]
	n := opts.N
	if n <= 0 {
		n = s.Full
	}
	email := opts.Email
	if email == "" {
		email = DensePersona()["email"]
	}
	h := newRawHAR(w, opts.Seed)
	s.write(h, n, email)
	var extra func()
	if shape == "deep-har" {
		extra = func() { h.s(`,"_deep":`); h.nest(n) }
	}
	return h.end(extra)
}

func writeAmplify(h *rawHAR, n int64, email string) {
	for range 20 {
		h.entry(entry{method: "GET", typ: "image", urlFn: func() {
			h.s("https://sync.amplify-tracker.com/p?")
			for k := range n {
				h.s("e" + itoa(k) + "=" + email + "&")
			}
			h.s("pad=")
			h.repeat("x", n*40)
		}})
	}
}

func writeHugeBody(h *rawHAR, n int64, email string) {
	h.entry(entry{method: "POST", typ: "xhr", url: "https://collect.hugebody-tracker.com/b", mime: "text/plain",
		body: func() {
			h.s("data=")
			h.random(n/2, alnum+"+/")
			h.s("&em=" + email + "&rest=")
			h.random(n/2, alnum+"+/")
		}})
}

func writeHugeURL(h *rawHAR, n int64, email string) {
	h.entry(entry{method: "GET", typ: "image", urlFn: func() {
		h.s("https://t.hugeurl-tracker.com/c?d=")
		h.random(n/2, alnum)
		h.s("&em=" + email + "&d2=")
		h.random(n/2, alnum)
	}})
}

func writeTinyEntries(h *rawHAR, n int64, _ string) {
	for i := range n {
		host := DenseSite
		if i%2 == 1 {
			host = "px.tiny-tracker.com"
		}
		if h.n > 0 {
			h.s(",")
		}
		h.n++
		h.s(`{"startedDateTime":"2024-06-03T09:00:00Z","request":{"method":"GET","url":"https://` + host + `/p?i=` + itoa(i) +
			`","headers":[]},"response":{"status":204}}`)
	}
}

func writeManyHosts(h *rawHAR, n int64, email string) {
	for i := range n {
		u := "https://px.h" + itoa(i) + "-" + randToken(h.rng, 6) + ".com/p?i=" + itoa(i)
		if i%1000 == 0 {
			u += "&em=" + email
		}
		h.entry(entry{method: "GET", typ: "image", url: u})
	}
}

func writeManyHeaders(h *rawHAR, n int64, email string) {
	h.entry(entry{method: "GET", typ: "image", url: "https://t.headers-tracker.com/p", headers: func() {
		for i := range n {
			if i > 0 {
				h.s(",")
			}
			v := randToken(h.rng, 8)
			if i == n/2 {
				v = email
			}
			h.s(`{"name":"x-h` + itoa(i) + `","value":"` + v + `"}`)
		}
	}})
}

func writeDeepBody(h *rawHAR, n int64, email string) {
	h.entry(entry{method: "POST", typ: "xhr", url: "https://t.deep-tracker.com/j", mime: "application/json", body: func() {
		h.repeat(`{\"u\":`, n)
		h.s(`\"` + email + `\"`)
		h.repeat("}", n)
	}})
}

// nest writes n nested arrays.
func (h *rawHAR) nest(n int64) {
	h.repeat("[", n)
	h.s("1")
	h.repeat("]", n)
}

func writeDeepHAR(h *rawHAR, n int64, email string) {
	leaky := entry{method: "GET", typ: "image", url: "https://t.deephar-tracker.com/p?em=" + email}
	h.entry(leaky)
	h.entry(entry{method: "GET", typ: "image", url: "https://t.deephar-tracker.com/deep", extra: func() {
		h.s(`,"_deep":`)
		h.nest(n)
	}})
	h.entry(leaky)
}

func writeWebSocket(h *rawHAR, n int64, email string) {
	h.entry(entry{method: "GET", typ: "websocket", url: "wss://ws.replay-tracker.com/socket", extra: func() {
		h.s(`,"_webSocketMessages":[`)
		for i := range n {
			if i > 0 {
				h.s(",")
			}
			typ, data := "receive", "ack|"+itoa(i)
			if i%2 == 0 {
				typ, data = "send", "evt|"+itoa(i)+"|"+randToken(h.rng, 24)
			}
			if i%1000 == 0 {
				data += "|em=" + email
			}
			h.s(`{"type":"` + typ + `","time":` + itoa(1717405200+i/1000) + `.5,"opcode":1,"data":"` + data + `"}`)
		}
		h.s("]")
	}})
}

// inflating writes email then n-len(email) 'a' bytes through a gzip
// writer on top of out.
func inflating(out io.Writer, n int64, email string) error {
	zw, _ := gzip.NewWriterLevel(out, gzip.BestCompression)
	if _, err := io.WriteString(zw, email+"&pad="); err != nil {
		return err
	}
	chunk := make([]byte, 1<<20)
	for i := range chunk {
		chunk[i] = 'a'
	}
	for left := n; left > 0; left -= int64(len(chunk)) {
		if _, err := zw.Write(chunk[:min(int64(len(chunk)), left)]); err != nil {
			return err
		}
	}
	return zw.Close()
}

func writeGzipBomb(h *rawHAR, n int64, email string) {
	h.entry(entry{method: "POST", typ: "xhr", url: "https://t.gzip-tracker.com/g", mime: "text/plain", b64: true,
		headers: func() { h.s(`{"name":"content-encoding","value":"gzip"}`) },
		body: func() {
			b := h.base64Writer()
			if err := inflating(b, n, email); err != nil && h.err == nil {
				h.err = err
			}
			b.Close()
		}})
}

func writeBase64Chain(h *rawHAR, n int64, email string) {
	h.entry(entry{method: "POST", typ: "xhr", url: "https://t.chain-tracker.com/c", mime: "text/plain", body: func() {
		outer := h.base64Writer()
		zw, _ := gzip.NewWriterLevel(outer, gzip.BestCompression)
		if err := inflatingBase64(zw, n, email); err != nil && h.err == nil {
			h.err = err
		}
		zw.Close()
		outer.Close()
	}})
}

// inflatingBase64 writes base64 of the email and n 'a' bytes to w.
func inflatingBase64(w io.Writer, n int64, email string) error {
	enc := base64Encoder(w)
	if _, err := io.WriteString(enc, email+"&pad="); err != nil {
		return err
	}
	chunk := make([]byte, 3<<18) // a multiple of 3: no padding mid-stream
	for i := range chunk {
		chunk[i] = 'a'
	}
	for left := n; left > 0; left -= int64(len(chunk)) {
		if _, err := enc.Write(chunk[:min(int64(len(chunk)), left)]); err != nil {
			return err
		}
	}
	return enc.Close()
}

func writeCookiePrefixes(h *rawHAR, n int64, email string) {
	prefix := "checkout_" + randToken(h.rng, 180)
	ms := int64(1717405200000)
	for i := range n {
		var vals []string
		h.entry(entry{method: "GET", typ: "image", urlFn: func() {
			h.s("https://sync.prefix-tracker" + itoa(i%50) + ".com/sync?")
			for k := range int64(40) {
				vals = append(vals, cookieValue(prefix, i*40+k, ms))
			}
			for k, v := range vals[:8] {
				h.s("u" + itoa(k) + "=" + v + "&")
			}
			if i%100 == 0 {
				h.s("em=" + email + "&")
			}
			h.s("t=" + itoa(ms+i))
		}, headers: func() {
			h.s(`{"name":"cookie","value":"`)
			for k, v := range vals {
				if k > 0 {
					h.s("; ")
				}
				h.s("c" + itoa(k) + "=" + v)
			}
			h.s(`"}`)
		}})
	}
}

// cookieValue is the k-th cookie value: one of three families sharing long
// prefixes, but each value, and each dot-separated part of it, used once
// in the file. No identifier travels from one host to another: a
// cookie-sync finding on this shape is a false alarm.
func cookieValue(prefix string, k, ms int64) string {
	switch k % 3 {
	case 0:
		return prefix + "_" + itoa(k)
	case 1:
		return "GA1.2." + itoa(1000000000+k*7919%899999999) + "." + itoa(ms/1000+k)
	}
	return itoa(ms + k)
}
