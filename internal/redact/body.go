package redact

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"
)

// maxDecoded caps a decompressed body; bigger ones are redacted as sent.
const maxDecoded = 32 << 20

// codec is one Content-Encoding.
type codec struct {
	reader func(io.Reader) (io.Reader, error)
	writer func(io.Writer) (io.WriteCloser, error)
}

var codecs = map[string]codec{
	"gzip": {
		func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) },
		func(w io.Writer) (io.WriteCloser, error) { return gzip.NewWriter(w), nil },
	},
	"deflate": {
		func(r io.Reader) (io.Reader, error) { return flate.NewReader(r), nil },
		func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.DefaultCompression) },
	},
	"br": {
		func(r io.Reader) (io.Reader, error) { return brotli.NewReader(r), nil },
		func(w io.Writer) (io.WriteCloser, error) { return brotli.NewWriter(w), nil },
	},
	"zstd": {
		func(r io.Reader) (io.Reader, error) {
			d, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1))
			if err != nil {
				return nil, err
			}
			return d.IOReadCloser(), nil
		},
		func(w io.Writer) (io.WriteCloser, error) { return zstd.NewWriter(w, zstd.WithEncoderConcurrency(1)) },
	},
}

// decodeBody undoes a Content-Encoding. ok is false when the body is not
// encoded that way (or the encoding is unknown), and the caller falls back
// to the raw bytes.
func decodeBody(body []byte, encoding string) (decoded []byte, c codec, ok bool) {
	enc := strings.ToLower(strings.TrimSpace(encoding))
	if (enc == "" || enc == "identity") && bytes.HasPrefix(body, []byte{0x1f, 0x8b, 0x08}) {
		// Gzip without a header saying so: some recorders keep a response
		// body as it came off the wire.
		if out, c, ok := decodeBody(body, "gzip"); ok {
			return out, c, true
		}
	}
	if enc == "" || enc == "identity" {
		return body, codec{}, true
	}
	c, known := codecs[enc]
	if !known || len(body) == 0 {
		return body, codec{}, false
	}
	r, err := c.reader(bytes.NewReader(body))
	if err != nil {
		return body, codec{}, false
	}
	out, err := io.ReadAll(io.LimitReader(r, maxDecoded+1))
	if err != nil || len(out) > maxDecoded {
		return body, codec{}, false
	}
	return out, c, true
}

// body redacts a request body, through its Content-Encoding when it has
// one, and re-encodes it the same way when anything changed.
func (r *redactor) body(body []byte, encoding string) []byte {
	if body == nil {
		return nil
	}
	dec, c, ok := decodeBody(body, encoding)
	if !ok {
		return r.bytes(body)
	}
	red := r.bytes(dec)
	if c.writer == nil || bytes.Equal(red, dec) {
		if c.writer == nil {
			return red
		}
		return bytes.Clone(body)
	}
	var buf bytes.Buffer
	w, err := c.writer(&buf)
	if err != nil {
		return red
	}
	w.Write(red)
	if err := w.Close(); err != nil {
		return red
	}
	return buf.Bytes()
}

// bytes redacts a body: text gets every rule, binary data only the literal
// secrets and token shapes (field syntax means nothing in it).
func (r *redactor) bytes(b []byte) []byte {
	s := string(b)
	if utf8.ValidString(s) {
		return []byte(r.text(s))
	}
	return []byte(tokens(r.rep.Replace(s)))
}
