package redact

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"
)

// Limits of one decompression, as in the leak search: a stream may
// produce 200 times its size past a 64 KiB floor; past that it is a bomb
// and what it held is not searched.
const (
	maxExpansion   = 200
	expansionFloor = 64 << 10
)

func expansionLimit(n int) int { return max(expansionFloor, maxExpansion*n) }

// errCut says a stream produced more than its limit.
var errCut = errors.New("over the decoding budget")

// compressor is one compression format, both ways.
type compressor struct {
	reader func(io.Reader) (io.Reader, error)
	writer func(io.Writer) (io.WriteCloser, error)
}

var compressors = map[string]compressor{
	"gzip": {
		func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) },
		func(w io.Writer) (io.WriteCloser, error) { return gzip.NewWriter(w), nil },
	},
	"zlib": {
		func(r io.Reader) (io.Reader, error) { return zlib.NewReader(r) },
		func(w io.Writer) (io.WriteCloser, error) { return zlib.NewWriter(w), nil },
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

// sniffCompression names the compression raw starts with: gzip's magic,
// a valid zlib header, or a raw deflate block that says it is
// Huffman-coded (never stored or reserved); "" for none.
func sniffCompression(raw []byte) string {
	switch {
	case len(raw) > 2 && raw[0] == 0x1f && raw[1] == 0x8b:
		return "gzip"
	case len(raw) > 2 && raw[0]&0x0f == 8 && raw[0]>>4 <= 7 && (int(raw[0])<<8|int(raw[1]))%31 == 0:
		return "zlib"
	case len(raw) >= 8 && !utf8.Valid(raw) && (raw[0]>>1&3 == 1 || raw[0]>>1&3 == 2):
		return "deflate"
	}
	return ""
}

// contentEncoding maps a Content-Encoding token to its compressor's name:
// HTTP's "deflate" is zlib, though some servers send raw deflate (told by
// its missing zlib header).
func contentEncoding(token string, body []byte) string {
	switch t := strings.ToLower(strings.TrimSpace(token)); t {
	case "x-gzip":
		return "gzip"
	case "deflate":
		if sniffCompression(body) == "zlib" {
			return "zlib"
		}
		return "deflate"
	default:
		return t
	}
}

// inflate decompresses raw up to limit bytes. A stream that breaks off
// (truncated) or passes limit returns what came out and an error.
func inflate(kind string, raw []byte, limit int) ([]byte, error) {
	c, ok := compressors[kind]
	if !ok {
		return nil, fmt.Errorf("unknown compression %q", kind)
	}
	r, err := c.reader(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", kind, err)
	}
	out, err := io.ReadAll(io.LimitReader(r, int64(limit)+1))
	if len(out) > limit {
		return out[:limit], errCut
	}
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return out, errors.New("truncated")
		}
		return out, fmt.Errorf("broken %s stream", kind)
	}
	return out, nil
}

// compress compresses text with the named compressor.
func compress(kind string, text []byte) ([]byte, error) {
	c, ok := compressors[kind]
	if !ok {
		return nil, fmt.Errorf("unknown compression %q", kind)
	}
	var buf bytes.Buffer
	w, err := c.writer(&buf)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", kind, err)
	}
	if _, err := w.Write(text); err != nil {
		return nil, fmt.Errorf("%s: %w", kind, err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("%s: %w", kind, err)
	}
	return buf.Bytes(), nil
}

// body redacts a request body through its Content-Encoding when it has
// one (undone and done again when anything changed), and through every
// layer inside it.
func (r *redactor) body(body []byte, encoding string) []byte {
	if body == nil {
		return nil
	}
	kind := contentEncoding(encoding, body)
	if _, known := compressors[kind]; !known || len(body) == 0 {
		return r.bytes(body)
	}
	l := r.layered()
	out, changed, mark, ok := l.compressed(body, kind, kind+" body", 0)
	switch {
	case !ok:
		return r.bytes(body) // not what the header says: the bytes as they are
	case mark != "":
		return []byte(mark)
	case changed:
		return out
	}
	return bytes.Clone(body)
}

// decodedBody undoes a body's Content-Encoding for learning; it returns
// the body as it is when that fails.
func decodedBody(body []byte, encoding string) []byte {
	kind := contentEncoding(encoding, body)
	if _, known := compressors[kind]; !known || len(body) == 0 {
		return body
	}
	if dec, err := inflate(kind, body, min(layerBudget, expansionLimit(len(body)))); err == nil || len(dec) > 0 {
		return dec
	}
	return body
}

// bytes redacts a body as it is: text gets every rule through every
// layer, compressed data is opened, and other binary data only loses the
// literal secrets and token shapes (field syntax means nothing in it).
func (r *redactor) bytes(b []byte) []byte {
	if len(b) == 0 {
		return bytes.Clone(b)
	}
	s := string(b)
	if utf8.ValidString(s) {
		return []byte(r.text(s))
	}
	if kind := sniffCompression(b); kind != "" {
		if out, changed, mark, ok := r.layered().compressed(b, kind, kind+" data", 0); ok {
			switch {
			case mark != "":
				return []byte(mark)
			case changed:
				return out
			}
			return bytes.Clone(b)
		}
	}
	return []byte(tokens(r.rep.Replace(s)))
}
