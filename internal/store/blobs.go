package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"

	"github.com/leakwatch/leakwatch/internal/codec"
)

// Blob kinds of a scan.
const (
	kindReport = "report"
	kindHAR    = "har"
)

// blobCoding is how blobs are compressed: zstd keeps a HAR's repeated
// headers and bodies small and decodes fast.
const blobCoding = codec.Zstd

// blob is a compressed payload with the size and SHA-256 of its plain
// bytes, checked when it is read back.
type blob struct {
	kind   string
	coding string
	size   int64
	sum    []byte
	data   []byte
}

func encodeBlob(kind string, raw []byte) (blob, error) {
	data, err := codec.Encode([]string{blobCoding}, raw)
	if err != nil {
		return blob{}, fmt.Errorf("compress %s: %w", kind, err)
	}
	sum := sha256.Sum256(raw)
	return blob{kind: kind, coding: blobCoding, size: int64(len(raw)), sum: sum[:], data: data}, nil
}

func encodeResult(r Result) ([]blob, error) {
	rep, err := encodeBlob(kindReport, r.Report)
	if err != nil {
		return nil, err
	}
	out := []blob{rep}
	if len(r.HAR) > 0 {
		har, err := encodeBlob(kindHAR, r.HAR)
		if err != nil {
			return nil, err
		}
		out = append(out, har)
	}
	return out, nil
}

// decode returns the plain bytes, checking size and checksum.
func (b blob) decode() ([]byte, error) {
	raw := b.data
	if b.coding != "" {
		var err error
		raw, _, err = codec.Decode(b.coding, b.data, codec.Limits{MaxOutput: int(max(b.size, 1))})
		if err != nil {
			return nil, fmt.Errorf("decompress %s: %w", b.kind, err)
		}
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
	raw, err := b.decode()
	return raw, s.wrap(fmt.Sprintf("%s of scan %d", kind, scanID), err)
}

func (s *sqlStore) Report(ctx context.Context, scanID int64) ([]byte, error) {
	return s.readBlob(ctx, scanID, kindReport)
}

func (s *sqlStore) HAR(ctx context.Context, scanID int64) ([]byte, error) {
	return s.readBlob(ctx, scanID, kindHAR)
}
