package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"

	"github.com/klauspost/compress/zstd"

	"github.com/leakwatch/leakwatch/internal/codec"
)

// Blob kinds of a scan.
const (
	kindReport = "report"
	kindHAR    = "har"
)

// maxBlob bounds one blob's plain size (and so what a damaged row can make
// a read allocate).
const maxBlob = 1 << 30

// blob is a compressed payload with the size and SHA-256 of its plain
// bytes, checked when it is read back.
type blob struct {
	kind   string
	coding string
	size   int64
	sum    []byte
	data   []byte
}

// blobCodec compresses blobs with zstd: a HAR's repeated headers and
// bodies shrink about tenfold and decode at memory speed. Frames carry
// their content size, so a read allocates the output once and no 8 MiB
// window. Both halves are safe for concurrent use.
type blobCodec struct {
	enc *zstd.Encoder
	dec *zstd.Decoder
}

func newBlobCodec() (*blobCodec, error) {
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1))
	if err != nil {
		return nil, fmt.Errorf("zstd encoder: %w", err)
	}
	dec, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(0), zstd.WithDecoderMaxMemory(maxBlob))
	if err != nil {
		return nil, fmt.Errorf("zstd decoder: %w", err)
	}
	return &blobCodec{enc: enc, dec: dec}, nil
}

func (c *blobCodec) close() { c.dec.Close() }

func (c *blobCodec) encode(kind string, raw []byte) (blob, error) {
	if len(raw) > maxBlob {
		return blob{}, fmt.Errorf("%w: %s of %d bytes is over the %d-byte limit", ErrInvalid, kind, len(raw), maxBlob)
	}
	sum := sha256.Sum256(raw)
	data := c.enc.EncodeAll(raw, make([]byte, 0, len(raw)/8+64))
	return blob{kind: kind, coding: codec.Zstd, size: int64(len(raw)), sum: sum[:], data: data}, nil
}

func (c *blobCodec) result(r Result) ([]blob, error) {
	rep, err := c.encode(kindReport, r.Report)
	if err != nil {
		return nil, err
	}
	out := []blob{rep}
	if len(r.HAR) > 0 {
		har, err := c.encode(kindHAR, r.HAR)
		if err != nil {
			return nil, err
		}
		out = append(out, har)
	}
	return out, nil
}

// decode returns a blob's plain bytes, checking size and checksum. Blobs
// in another coding (none yet) go through internal/codec.
func (c *blobCodec) decode(b blob) ([]byte, error) {
	if b.size < 0 || b.size > maxBlob {
		return nil, fmt.Errorf("%s is corrupt: size %d", b.kind, b.size)
	}
	var (
		raw []byte
		err error
	)
	switch b.coding {
	case "":
		raw = b.data
	case codec.Zstd:
		raw, err = c.dec.DecodeAll(b.data, make([]byte, 0, b.size))
	default:
		raw, _, err = codec.Decode(b.coding, b.data, codec.Limits{MaxOutput: int(max(b.size, 16<<20))})
	}
	if err != nil {
		return nil, fmt.Errorf("decompress %s: %w", b.kind, err)
	}
	sum := sha256.Sum256(raw)
	if int64(len(raw)) != b.size || !bytes.Equal(sum[:], b.sum) {
		return nil, fmt.Errorf("%s is corrupt: %d bytes, checksum %x, stored as %d bytes, %x", b.kind, len(raw), sum[:8], b.size, b.sum)
	}
	return raw, nil
}

// insertBlobs stores a scan's blobs once each and returns how many were new.
func (s *sqlStore) insertBlobs(ctx context.Context, tx *sql.Tx, scanID int64, blobs []blob) (int64, error) {
	var n int64
	for _, b := range blobs {
		res, err := tx.ExecContext(ctx, s.d.q(`INSERT INTO scan_blobs (scan_id, kind, coding, size, sha256, data)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (scan_id, kind) DO NOTHING`), scanID, b.kind, b.coding, b.size, b.sum, b.data)
		if err != nil {
			return n, fmt.Errorf("store %s: %w", b.kind, err)
		}
		k, err := res.RowsAffected()
		if err != nil {
			return n, err
		}
		n += k
	}
	return n, nil
}

func (s *sqlStore) readBlob(ctx context.Context, scanID int64, kind string) ([]byte, error) {
	b := blob{kind: kind}
	err := s.db.QueryRowContext(ctx, s.d.q("SELECT coding, size, sha256, data FROM scan_blobs WHERE scan_id = ? AND kind = ?"),
		scanID, kind).Scan(&b.coding, &b.size, &b.sum, &b.data)
	if err != nil {
		return nil, s.wrap(fmt.Sprintf("%s of scan %d", kind, scanID), err)
	}
	raw, err := s.blobs.decode(b)
	return raw, s.wrap(fmt.Sprintf("%s of scan %d", kind, scanID), err)
}

func (s *sqlStore) Report(ctx context.Context, scanID int64) ([]byte, error) {
	return s.readBlob(ctx, scanID, kindReport)
}

func (s *sqlStore) HAR(ctx context.Context, scanID int64) ([]byte, error) {
	return s.readBlob(ctx, scanID, kindHAR)
}
