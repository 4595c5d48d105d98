package evidence

import (
	"archive/zip"
	"context"
	"crypto/ed25519"
	"fmt"
	"io"
	"sort"
)

// DefaultMaxTotal is the most a bundle's files may unpack to (or, in a
// folder, add up to), all together, when VerifyOptions.MaxTotal is 0.
const DefaultMaxTotal = 8 << 30

// VerifyOptions bound the work of a verification.
type VerifyOptions struct {
	// MaxTotal is the most the zip's entries may unpack to, all together,
	// by the sizes the zip records (archive/zip refuses data past them). 0
	// means DefaultMaxTotal; negative is no limit.
	MaxTotal int64
	// Key is the public key the bundle must be signed by. With it, an
	// unsigned bundle, a bad signature and a signature by any other key
	// are problems; without it a good signature is reported but not
	// trusted, and an unsigned bundle passes on its digests alone.
	Key ed25519.PublicKey
}

func (o VerifyOptions) maxTotal() uint64 {
	switch {
	case o.MaxTotal == 0:
		return DefaultMaxTotal
	case o.MaxTotal < 0:
		return ^uint64(0)
	}
	return uint64(o.MaxTotal)
}

// checkLayout rejects, before anything is decompressed, a zip built to
// exhaust its reader: entries whose data overlap (the overlapping-entries
// zip bomb: thousands of entries unpacking the same compressed gigabyte),
// entries whose data run past the end of the file, and entries that unpack
// to more than the budget all together.
func checkLayout(files []*zip.File, size int64, budget uint64) error {
	type span struct {
		start, end int64
		name       string
	}
	spans := make([]span, 0, len(files))
	var total uint64
	for _, zf := range files {
		off, err := zf.DataOffset()
		if err != nil {
			return fmt.Errorf("zip entry %q: %w", zf.Name, err)
		}
		if zf.CompressedSize64 > uint64(size) || off+int64(zf.CompressedSize64) > size {
			return fmt.Errorf("zip entry %q claims %d compressed bytes, past the end of the %d-byte file", zf.Name, zf.CompressedSize64, size)
		}
		spans = append(spans, span{off, off + int64(zf.CompressedSize64), zf.Name})
		if total += zf.UncompressedSize64; total < zf.UncompressedSize64 {
			total = ^uint64(0)
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	for i := 1; i < len(spans); i++ {
		if prev := spans[i-1]; spans[i].start < prev.end {
			return fmt.Errorf("zip entries %q and %q share compressed data (overlapping entries, as in a zip bomb): not an evidence bundle",
				prev.name, spans[i].name)
		}
	}
	if total > budget {
		return fmt.Errorf("the zip's entries unpack to more than %d bytes (the budget; a zip bomb?)", budget)
	}
	return nil
}

// ctxReader stops reading when ctx ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
