package evidence

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"strings"
	"testing"
	"time"
)

// overlapZip builds the overlapping-entries zip bomb by hand: one deflated
// payload behind one local header, and n central-directory entries that
// all point at it.
func overlapZip(t *testing.T, n int, payload []byte) []byte {
	t.Helper()
	var comp bytes.Buffer
	fw, _ := flate.NewWriter(&comp, flate.BestCompression)
	fw.Write(payload)
	fw.Close()
	crc := crc32.ChecksumIEEE(payload)
	le := binary.LittleEndian
	var out bytes.Buffer
	name := []byte("a")
	head := make([]byte, 30)
	le.PutUint32(head[0:], 0x04034b50)
	le.PutUint16(head[4:], 20)
	le.PutUint16(head[8:], zip.Deflate)
	le.PutUint32(head[14:], crc)
	le.PutUint32(head[18:], uint32(comp.Len()))
	le.PutUint32(head[22:], uint32(len(payload)))
	le.PutUint16(head[26:], uint16(len(name)))
	out.Write(head)
	out.Write(name)
	out.Write(comp.Bytes())
	cdStart := out.Len()
	for i := range n {
		cname := []byte(fmt.Sprintf("f%05d", i))
		cd := make([]byte, 46)
		le.PutUint32(cd[0:], 0x02014b50)
		le.PutUint16(cd[4:], 20)
		le.PutUint16(cd[6:], 20)
		le.PutUint16(cd[10:], zip.Deflate)
		le.PutUint32(cd[16:], crc)
		le.PutUint32(cd[20:], uint32(comp.Len()))
		le.PutUint32(cd[24:], uint32(len(payload)))
		le.PutUint16(cd[28:], uint16(len(cname)))
		out.Write(cd)
		out.Write(cname)
	}
	eocd := make([]byte, 22)
	le.PutUint32(eocd[0:], 0x06054b50)
	le.PutUint16(eocd[8:], uint16(n))
	le.PutUint16(eocd[10:], uint16(n))
	le.PutUint32(eocd[12:], uint32(out.Len()-cdStart))
	le.PutUint32(eocd[16:], uint32(cdStart))
	out.Write(eocd)
	return out.Bytes()
}

func TestVerifyRejectsHostileZips(t *testing.T) {
	t.Parallel()
	good, err := bundleBytes(t)
	if err != nil {
		t.Fatal(err)
	}
	truncatedData := append([]byte(nil), good...)
	// Claim far more compressed data for the first entry than the file has.
	binary.LittleEndian.PutUint32(truncatedData[centralDir(t, truncatedData)+20:], 1<<30)
	for _, tc := range []struct {
		name string
		data []byte
		opts VerifyOptions
		want string
	}{
		{"overlapping entries", overlapZip(t, 10_000, make([]byte, 64<<20)), VerifyOptions{}, "share compressed data"},
		{"over the budget", good, VerifyOptions{MaxTotal: 100}, "unpack to more than 100 bytes"},
		{"data past the end", truncatedData, VerifyOptions{}, "past the end of the"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			_, err := VerifyReader(context.Background(), bytes.NewReader(tc.data), int64(len(tc.data)), tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("took %v to reject", d)
			}
		})
	}
}

// centralDir is the offset of the first central-directory header.
func centralDir(t *testing.T, data []byte) int {
	t.Helper()
	i := bytes.Index(data, []byte{0x50, 0x4b, 0x01, 0x02})
	if i < 0 {
		t.Fatal("no central directory")
	}
	return i
}

func bundleBytes(t *testing.T) ([]byte, error) {
	t.Helper()
	var buf bytes.Buffer
	b := Bundle{Files: []File{{Name: "report.json", Data: []byte(`{"a":1}`)}, {Name: "capture.har", Data: bytes.Repeat([]byte("x"), 4096)}},
		Tool: "leakwatch", Created: created}
	err := WriteTo(&buf, b)
	return buf.Bytes(), err
}

// TestVerifyClaimedSize: a manifest that claims a terabyte for a small
// file is a changed file, found without reading a terabyte.
func TestVerifyClaimedSize(t *testing.T) {
	t.Parallel()
	m := Manifest{Schema: Schema, Tool: "x", Files: []ManifestFile{{Name: "big", Size: 1 << 40, SHA256: strings.Repeat("0", 64)}}}
	data := zipWith(t, m, map[string][]byte{"big": []byte("small")})
	res, err := VerifyReader(context.Background(), bytes.NewReader(data), int64(len(data)), VerifyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.OK() || !strings.Contains(fmt.Sprint(res.Problems), "big: changed: size in the bundle is 5 bytes, manifest says 1099511627776") {
		t.Errorf("problems %v", res.Problems)
	}
}

// zipWith writes a zip of m (digest included) and files, unsealed.
func zipWith(t *testing.T, m Manifest, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range files {
		w, _ := zw.Create(name)
		w.Write(data)
	}
	w, _ := zw.Create(ManifestName)
	mdata := []byte(fmt.Sprintf(`{"schema":%q,"tool":%q,"version":"","command":[],"created":"","files":[{"name":%q,"size":%d,"sha256":%q}]}`,
		m.Schema, m.Tool, m.Files[0].Name, m.Files[0].Size, m.Files[0].SHA256))
	w.Write(mdata)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestVerifyStopsOnCancel(t *testing.T) {
	t.Parallel()
	data, err := bundleBytes(t)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = VerifyReader(ctx, bytes.NewReader(data), int64(len(data)), VerifyOptions{})
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "verify stopped") {
		t.Errorf("error %v, want verify stopped: context canceled", err)
	}
}
