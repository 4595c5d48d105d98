package evidence

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/klauspost/compress/flate"
)

// Problem kinds.
const (
	Changed   = "changed"
	Missing   = "missing"
	Extra     = "extra"
	Duplicate = "duplicate"
)

// Problem is one thing wrong with a bundle.
type Problem struct {
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	Detail string `json:"detail"`
}

func (p Problem) String() string { return p.Name + ": " + p.Kind + ": " + p.Detail }

// Result is the outcome of verifying a bundle.
type Result struct {
	Manifest *Manifest `json:"manifest"`
	// Problems name every changed, missing, extra or duplicated file, the
	// manifest itself included; empty when the bundle is intact.
	Problems []Problem `json:"problems"`
	// Checked counts the files whose digest matched.
	Checked int `json:"checked"`
}

// OK reports whether the bundle is intact.
func (r *Result) OK() bool { return len(r.Problems) == 0 }

// WriteText writes a plain report of the verification.
func (r *Result) WriteText(w io.Writer) error {
	m := r.Manifest
	fmt.Fprintf(w, "bundle made by %s %s at %s\n", m.Tool, m.Version, m.Created)
	fmt.Fprintf(w, "command: %q\n", m.Command)
	if r.OK() {
		_, err := fmt.Fprintf(w, "OK: all %d files match the manifest\n", r.Checked)
		return err
	}
	fmt.Fprintf(w, "FAILED: %d problem(s), %d of %d files match\n", len(r.Problems), r.Checked, len(m.Files))
	for _, p := range r.Problems {
		if _, err := fmt.Fprintf(w, "  %s\n", p); err != nil {
			return err
		}
	}
	return nil
}

// Verify checks the bundle at path against its manifest. The error is for
// a file that is not a readable bundle at all (or a zip built to exhaust
// the reader, or a cancelled ctx); anything changed, missing or extra is
// reported in the Result.
func Verify(ctx context.Context, path string, opts VerifyOptions) (*Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("verify: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("verify %s: %w", path, err)
	}
	res, err := VerifyReader(ctx, f, st.Size(), opts)
	if err != nil {
		return nil, fmt.Errorf("verify %s: %w", path, err)
	}
	return res, nil
}

// VerifyReader checks a bundle held in r. Before reading any content it
// checks the zip's layout (see VerifyOptions); each file is then read by
// its size in the zip, never by what the manifest claims.
func VerifyReader(ctx context.Context, r io.ReaderAt, size int64, opts VerifyOptions) (*Result, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, fmt.Errorf("not a readable zip file: %w", err)
	}
	zr.RegisterDecompressor(zip.Deflate, flate.NewReader)
	if err := checkLayout(zr.File, size, opts.maxTotal()); err != nil {
		return nil, err
	}
	entries := map[string][]*zip.File{}
	for _, zf := range zr.File {
		entries[zf.Name] = append(entries[zf.Name], zf)
	}
	res := &Result{}
	mdata, err := readEntry(entries[ManifestName], maxManifest)
	if err != nil {
		return nil, fmt.Errorf("not an evidence bundle: %s: %w", ManifestName, err)
	}
	m, err := ParseManifest(mdata)
	if err != nil {
		return nil, err
	}
	res.Manifest = m
	res.checkDigest(entries[DigestName], mdata)
	listed := map[string]bool{ManifestName: true, DigestName: true}
	for _, mf := range m.Files {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("verify stopped: %w", err)
		}
		listed[mf.Name] = true
		res.checkFile(ctx, mf, entries[mf.Name])
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("verify stopped: %w", err)
	}
	res.checkExtra(entries, listed)
	return res, nil
}

// checkExtra names the zip's entries the manifest does not list, and the
// listed names the zip holds more than once.
func (res *Result) checkExtra(entries map[string][]*zip.File, listed map[string]bool) {
	var extra, dups []string
	for name, zfs := range entries {
		if !listed[name] {
			extra = append(extra, name)
		} else if len(zfs) > 1 {
			dups = append(dups, name)
		}
	}
	sort.Strings(dups)
	for _, name := range dups {
		res.Problems = append(res.Problems, Problem{name, Duplicate, fmt.Sprintf("the zip holds %d entries with this name", len(entries[name]))})
	}
	sort.Strings(extra)
	for _, name := range extra {
		res.Problems = append(res.Problems, Problem{name, Extra, "in the zip but not in the manifest"})
	}
}

// checkDigest compares the manifest with manifest.sha256.
func (res *Result) checkDigest(zfs []*zip.File, mdata []byte) {
	if len(zfs) == 0 {
		res.Problems = append(res.Problems, Problem{DigestName, Missing, "the manifest's digest is not in the bundle"})
		return
	}
	data, err := readEntry(zfs, 4096)
	if err != nil {
		res.Problems = append(res.Problems, Problem{DigestName, Changed, err.Error()})
		return
	}
	want, err := parseDigest(data)
	if err != nil {
		res.Problems = append(res.Problems, Problem{DigestName, Changed, err.Error()})
		return
	}
	sum := sha256.Sum256(mdata)
	if got := hex.EncodeToString(sum[:]); got != want {
		detail := fmt.Sprintf("%s has sha256 %s but %s records %s: one of the two was edited", ManifestName, got, DigestName, want)
		res.Problems = append(res.Problems, Problem{ManifestName, Changed, detail}, Problem{DigestName, Changed, detail})
	}
}

// checkFile hashes one listed file and compares it with the manifest. The
// size the zip records is checked first, without reading: the file is read
// only when it matches the manifest, and then by that size (archive/zip
// refuses data past it).
func (res *Result) checkFile(ctx context.Context, mf ManifestFile, zfs []*zip.File) {
	if len(zfs) == 0 {
		res.Problems = append(res.Problems, Problem{mf.Name, Missing, "listed in the manifest but not in the zip"})
		return
	}
	zf := zfs[0]
	if zf.UncompressedSize64 != uint64(mf.Size) {
		res.Problems = append(res.Problems, Problem{mf.Name, Changed,
			fmt.Sprintf("size in the zip is %d bytes, manifest says %d", zf.UncompressedSize64, mf.Size)})
		return
	}
	rc, err := zf.Open()
	if err != nil {
		res.Problems = append(res.Problems, Problem{mf.Name, Changed, "cannot be read: " + err.Error()})
		return
	}
	defer rc.Close()
	h := sha256.New()
	n, err := io.Copy(h, io.LimitReader(ctxReader{ctx, rc}, mf.Size+1))
	if err != nil {
		res.Problems = append(res.Problems, Problem{mf.Name, Changed, "cannot be read: " + err.Error()})
		return
	}
	got := hex.EncodeToString(h.Sum(nil))
	switch {
	case n > mf.Size:
		res.Problems = append(res.Problems, Problem{mf.Name, Changed, fmt.Sprintf("larger than the %d bytes the manifest records", mf.Size)})
	case got != mf.SHA256:
		res.Problems = append(res.Problems, Problem{mf.Name, Changed,
			fmt.Sprintf("sha256 is %s (%d bytes), manifest says %s (%d bytes)", got, n, mf.SHA256, mf.Size)})
	case n != mf.Size:
		res.Problems = append(res.Problems, Problem{mf.Name, Changed, fmt.Sprintf("size is %d bytes, manifest says %d", n, mf.Size)})
	default:
		res.Checked++
	}
}

// readEntry reads the single entry in zfs, up to limit bytes.
func readEntry(zfs []*zip.File, limit int64) ([]byte, error) {
	switch {
	case len(zfs) == 0:
		return nil, errors.New("missing")
	case len(zfs) > 1:
		return nil, fmt.Errorf("the zip holds %d entries with this name", len(zfs))
	}
	rc, err := zfs[0].Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("larger than %d bytes", limit)
	}
	return data, nil
}
