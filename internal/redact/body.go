package redact

import (
	"bytes"
	"errors"
	"io"
	"unicode/utf8"

	"github.com/leakwatch/leakwatch/internal/codec"
)

// Limits of one decompression, as in the leak search: a stream may
// produce 200 times its size past a 64 KiB floor; past that it is a bomb
// and what it held is not searched.
const (
	maxExpansion   = 200
	expansionFloor = 64 << 10
)

func expansionLimit(n int) int { return max(expansionFloor, maxExpansion*n) }

// sniffCompression names the compression raw starts with: gzip's magic,
// a valid zlib header, or, in bytes that are not text, a raw deflate
// block that says it is Huffman-coded (never stored or reserved); "" for
// none.
func sniffCompression(raw []byte) string {
	switch {
	case codec.IsGzip(raw):
		return codec.Gzip
	case codec.IsZlib(raw) && len(raw) > 2:
		return codec.Zlib
	case len(raw) >= minDeflate && !utf8.Valid(raw) && (raw[0]>>1&3 == 1 || raw[0]>>1&3 == 2):
		return codec.Deflate
	}
	return ""
}

// minDeflate is the shortest binary data tried as raw deflate, which has
// no header to tell it by: short, as a password deflated alone is.
const minDeflate = 8

// decoders is what layer walks keep between runs and texts: a DEFLATE
// reader (its window is the costly part) and an output buffer reused by
// sniffed streams (most runs sniffed as raw deflate are random
// identifiers that break within a few bytes), and the runs and streams
// that decoded to no text (a capture and its report repeat the same
// identifiers; see layered.lzString and layered.compressed).
type decoders struct {
	in   codec.Inflater
	buf  bytes.Buffer
	dead *hashSet
}

// maxKeptBuffer is the largest output buffer a decoders keeps between
// calls.
const maxKeptBuffer = 64 << 10

// one undoes one sniffed coding up to limit bytes; errors as inflate's.
// The bytes returned are valid until the next call.
func (f *decoders) one(kind string, raw []byte, limit int) ([]byte, []string, error) {
	r, release, err := f.in.Reader(kind, raw, limit)
	defer release()
	if err != nil {
		return nil, nil, err
	}
	if f.buf.Cap() > maxKeptBuffer {
		f.buf = bytes.Buffer{}
	}
	f.buf.Reset()
	_, err = f.buf.ReadFrom(io.LimitReader(r, int64(limit)+1))
	out, codings := f.buf.Bytes(), []string{kind}
	switch {
	case len(out) > limit:
		return out[:limit], codings, errors.New("over the decoding budget")
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return out, codings, errors.New("truncated")
	case err != nil:
		// Most runs sniffed as raw deflate are random identifiers that
		// break at once: the error is made only when it is read.
		return out, codings, brokenStream(kind)
	}
	return out, codings, nil
}

// brokenStream is the error of a stream of its coding that breaks off
// with an error of its own.
type brokenStream string

func (b brokenStream) Error() string { return "broken " + string(b) + " stream" }

// inflate undoes the codings of a Content-Encoding header (or one sniffed
// coding) up to limit bytes. A stream that breaks off (truncated) or
// passes limit returns what came out, the codings, and an error.
func inflate(header string, raw []byte, limit int) ([]byte, []string, error) {
	dec, codings, err := codec.Decode(header, raw, codec.Limits{MaxOutput: limit})
	switch {
	case err == nil:
		return dec, codings, nil
	case errors.Is(err, codec.ErrOutputLimit):
		return dec, codings, errors.New("over the decoding budget")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return dec, codings, errors.New("truncated")
	case codec.Partial(err):
		return dec, codings, err
	}
	return nil, nil, err
}

// body redacts a request body through its Content-Encoding when it has
// one (undone and done again when anything changed), and through every
// layer inside it.
func (r *redactor) body(body []byte, encoding string) []byte {
	if body == nil {
		return nil
	}
	if len(codec.Codings(encoding)) == 0 || len(body) == 0 {
		return r.bytes(body)
	}
	out, changed, mark, ok := r.layered().compressed(body, encoding, "body", false, 0)
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
	if len(codec.Codings(encoding)) == 0 || len(body) == 0 {
		return body
	}
	if dec, _, err := inflate(encoding, body, min(layerBudget, expansionLimit(len(body)))); len(dec) > 0 || err == nil {
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
		if out, changed, mark, ok := r.layered().compressed(b, kind, "data", true, 0); ok {
			switch {
			case mark != "":
				return []byte(mark)
			case changed:
				return out
			}
			// Nothing inside changed (or the bytes only looked
			// compressed): the literal secrets and token shapes still
			// go from the bytes as they are.
		}
	}
	return []byte(tokens(r.rep.Replace(s)))
}
