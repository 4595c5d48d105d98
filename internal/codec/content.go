package codec

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"
)

// The codings this package reads and writes, by their resolved names:
// "deflate" is raw DEFLATE (RFC 1951) and "zlib" the zlib wrapping of it
// (RFC 1950) that HTTP's "deflate" means but some servers leave out.
const (
	Gzip    = "gzip"
	Zlib    = "zlib"
	Deflate = "deflate"
	Brotli  = "br"
	Zstd    = "zstd"
)

var (
	// ErrUnknownCoding names a Content-Encoding this package cannot undo.
	ErrUnknownCoding = errors.New("unknown content coding")
	// ErrOutputLimit says decoded output passed Limits.MaxOutput.
	ErrOutputLimit = errors.New("decoded output over the size limit")
	// ErrExpansion says decoded output passed Limits.MaxRatio times the
	// input: a decompression bomb, or a body too repetitive to be worth it.
	ErrExpansion = errors.New("decoded output over the expansion limit")
)

// DefaultMaxOutput is the output limit when Limits.MaxOutput is zero.
const DefaultMaxOutput = 32 << 20

// Limits bound one decoding.
type Limits struct {
	MaxOutput int  // bytes of output in all; 0 means DefaultMaxOutput
	MaxRatio  int  // output bytes per input byte, each layer; 0 means none
	SniffGzip bool // a body with no coding named but gzip's magic is gunzipped
}

func (l Limits) output() int {
	if l.MaxOutput <= 0 {
		return DefaultMaxOutput
	}
	return l.MaxOutput
}

// Codings parses a Content-Encoding header into the codings in the order
// they were applied ("gzip, br": gzip first). Names are lower-cased,
// "x-gzip" is "gzip", and "identity" and empty items are dropped.
func Codings(header string) []string {
	var out []string
	for _, c := range strings.Split(header, ",") {
		switch c = strings.ToLower(strings.TrimSpace(c)); c {
		case "", "identity":
		case "x-gzip":
			out = append(out, Gzip)
		default:
			out = append(out, c)
		}
	}
	return out
}

// Resolve is the coding data is really in: "deflate" becomes "zlib" when
// data starts with a zlib header.
func Resolve(coding string, data []byte) string {
	if coding == Deflate && IsZlib(data) {
		return Zlib
	}
	if coding == "x-gzip" {
		return Gzip
	}
	return coding
}

// IsZlib reports whether b starts with a valid zlib header (deflate method,
// header checksum divisible by 31).
func IsZlib(b []byte) bool {
	return len(b) > 1 && b[0]&0x0f == 8 && b[0]>>4 <= 7 && (int(b[0])<<8|int(b[1]))%31 == 0
}

// IsGzip reports whether b starts with gzip's magic bytes and method.
func IsGzip(b []byte) bool {
	return len(b) > 2 && b[0] == 0x1f && b[1] == 0x8b && b[2] == 8
}

// Inflater makes decompressing readers, reusing a DEFLATE reader between
// calls (its window is the costly part). The zero value is ready; it is
// not safe for concurrent use.
type Inflater struct {
	flate io.ReadCloser
}

// Reader returns a reader of data decoded from one coding, taken as named
// ("deflate" is raw: call Resolve first for an HTTP header's "deflate") and a function that releases it. maxMem bounds a zstd
// decoder's window.
func (in *Inflater) Reader(coding string, data []byte, maxMem int) (io.Reader, func(), error) {
	src := bytes.NewReader(data)
	noop := func() {}
	switch coding {
	case Gzip, "x-gzip":
		r, err := gzip.NewReader(src)
		if err != nil {
			return nil, noop, fmt.Errorf("gzip: %w", err)
		}
		return r, noop, nil
	case Zlib:
		r, err := zlib.NewReader(src)
		if err != nil {
			return nil, noop, fmt.Errorf("zlib: %w", err)
		}
		return r, noop, nil
	case Deflate:
		if in.flate == nil {
			in.flate = flate.NewReader(src)
		} else if err := in.flate.(flate.Resetter).Reset(src, nil); err != nil {
			return nil, noop, fmt.Errorf("deflate: %w", err)
		}
		return in.flate, noop, nil
	case Brotli:
		return brotli.NewReader(src), noop, nil
	case Zstd:
		z, err := zstd.NewReader(src, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(uint64(max(maxMem, 1<<20))))
		if err != nil {
			return nil, noop, fmt.Errorf("zstd: %w", err)
		}
		return z, z.Close, nil
	}
	return nil, noop, fmt.Errorf("%w %q", ErrUnknownCoding, coding)
}

// NewWriter returns a writer that encodes into dst in one coding.
func NewWriter(coding string, dst io.Writer) (io.WriteCloser, error) {
	switch coding {
	case Gzip, "x-gzip":
		return gzip.NewWriter(dst), nil
	case Zlib:
		return zlib.NewWriter(dst), nil
	case Deflate:
		return flate.NewWriter(dst, flate.DefaultCompression)
	case Brotli:
		return brotli.NewWriter(dst), nil
	case Zstd:
		return zstd.NewWriter(dst, zstd.WithEncoderConcurrency(1))
	}
	return nil, fmt.Errorf("%w %q", ErrUnknownCoding, coding)
}
