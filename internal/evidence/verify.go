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

// bundleEntry is one file of a bundle, in a zip or in a directory.
type bundleEntry struct {
	// size is what the zip or the file system records, known before
	// reading; open's reader never yields more than this.
	size uint64
	open func() (io.ReadCloser, error)
	// notFile says why the entry cannot be a bundle's file (a symbolic
	// link, a device); empty for a regular file.
	notFile string
}

// entrySet is a bundle's entries by name; a zip may hold a name twice.
type entrySet map[string][]bundleEntry

// Verify checks the bundle at path, a zip or the directory it was
// unpacked into, against its manifest (and its signature: see
// VerifyOptions.Key). The error is for a path that is not a readable bundle
// at all (or a zip built to exhaust the reader, or a cancelled ctx);
// anything changed, missing, extra or unsigned is reported in the Result.
func Verify(ctx context.Context, path string, opts VerifyOptions) (*Result, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("verify: %w", err)
	}
	var res *Result
	if st.IsDir() {
		res, err = verifyDir(ctx, path, opts)
	} else {
		res, err = verifyZipFile(ctx, path, opts)
	}
	if err != nil {
		return nil, fmt.Errorf("verify %s: %w", path, err)
	}
	return res, nil
}

func verifyZipFile(ctx context.Context, path string, opts VerifyOptions) (*Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	return VerifyReader(ctx, f, st.Size(), opts)
}

// VerifyReader checks a bundle zip held in r. Before reading any content
// it checks the zip's layout (see VerifyOptions); each file is then read
// by its size in the zip, never by what the manifest claims.
func VerifyReader(ctx context.Context, r io.ReaderAt, size int64, opts VerifyOptions) (*Result, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, fmt.Errorf("not a readable zip file: %w", err)
	}
	zr.RegisterDecompressor(zip.Deflate, flate.NewReader)
	if err := checkLayout(zr.File, size, opts.maxTotal()); err != nil {
		return nil, err
	}
	entries := entrySet{}
	for _, zf := range zr.File {
		entries[zf.Name] = append(entries[zf.Name], bundleEntry{size: zf.UncompressedSize64, open: zf.Open})
	}
	return verifyEntries(ctx, entries, opts)
}

// verifyEntries checks a bundle's entries against its manifest, the
// manifest against its digest and signature, and that the bundle holds
// its report.
func verifyEntries(ctx context.Context, entries entrySet, opts VerifyOptions) (*Result, error) {
	mdata, err := readEntry(entries[ManifestName], maxManifest)
	if err != nil {
		return nil, fmt.Errorf("not an evidence bundle: %s: %w", ManifestName, err)
	}
	m, err := ParseManifest(mdata)
	if err != nil {
		return nil, err
	}
	res := &Result{Manifest: m}
	res.checkDigest(entries[DigestName], mdata)
	res.checkSignature(entries[SignatureName], mdata, opts.Key)
	res.checkContents(m)
	listed := map[string]bool{ManifestName: true, DigestName: true, SignatureName: true}
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

// checkContents fails a bundle that lists no files, or no report: such a
// bundle is evidence of nothing, however intact.
func (res *Result) checkContents(m *Manifest) {
	if len(m.Files) == 0 {
		res.problem(ManifestName, Empty, "the manifest lists no files: an empty bundle is evidence of nothing")
	}
	for _, f := range m.Files {
		if f.Name == ReportName {
			return
		}
	}
	res.problem(ReportName, Missing, "the manifest does not list the report: a bundle without "+ReportName+" is not evidence of a finding")
}

// checkExtra names the entries the manifest does not list, and the listed
// names the bundle holds more than once.
func (res *Result) checkExtra(entries entrySet, listed map[string]bool) {
	var extra, dups []string
	for name, es := range entries {
		if !listed[name] {
			extra = append(extra, name)
		} else if len(es) > 1 {
			dups = append(dups, name)
		}
	}
	sort.Strings(dups)
	for _, name := range dups {
		res.problem(name, Duplicate, fmt.Sprintf("the bundle holds %d entries with this name", len(entries[name])))
	}
	sort.Strings(extra)
	for _, name := range extra {
		detail := "in the bundle but not in the manifest"
		if nf := entries[name][0].notFile; nf != "" {
			detail += " (" + nf + ")"
		}
		res.problem(name, Extra, detail)
	}
}

// checkDigest compares the manifest with manifest.sha256.
func (res *Result) checkDigest(es []bundleEntry, mdata []byte) {
	if len(es) == 0 {
		res.problem(DigestName, Missing, "the manifest's digest is not in the bundle")
		return
	}
	data, err := readEntry(es, 4096)
	if err != nil {
		res.problem(DigestName, Changed, err.Error())
		return
	}
	want, err := parseDigest(data)
	if err != nil {
		res.problem(DigestName, Changed, err.Error())
		return
	}
	sum := sha256.Sum256(mdata)
	if got := hex.EncodeToString(sum[:]); got != want {
		detail := fmt.Sprintf("%s has sha256 %s but %s records %s: one of the two was edited", ManifestName, got, DigestName, want)
		res.problem(ManifestName, Changed, detail)
		res.problem(DigestName, Changed, detail)
	}
}

// checkFile hashes one listed file and compares it with the manifest. The
// size the bundle records is checked first, without reading: the file is
// read only when it matches the manifest, and then by that size.
func (res *Result) checkFile(ctx context.Context, mf ManifestFile, es []bundleEntry) {
	if len(es) == 0 {
		res.problem(mf.Name, Missing, "listed in the manifest but not in the bundle")
		return
	}
	e := es[0]
	if e.notFile != "" {
		res.problem(mf.Name, Changed, "not a regular file: "+e.notFile)
		return
	}
	if e.size != uint64(mf.Size) {
		res.problem(mf.Name, Changed, fmt.Sprintf("size in the bundle is %d bytes, manifest says %d", e.size, mf.Size))
		return
	}
	rc, err := e.open()
	if err != nil {
		res.problem(mf.Name, Changed, "cannot be read: "+err.Error())
		return
	}
	defer rc.Close()
	h := sha256.New()
	n, err := io.Copy(h, io.LimitReader(ctxReader{ctx, rc}, mf.Size+1))
	if err != nil {
		res.problem(mf.Name, Changed, "cannot be read: "+err.Error())
		return
	}
	got := hex.EncodeToString(h.Sum(nil))
	switch {
	case n > mf.Size:
		res.problem(mf.Name, Changed, fmt.Sprintf("larger than the %d bytes the manifest records", mf.Size))
	case got != mf.SHA256:
		res.problem(mf.Name, Changed, fmt.Sprintf("sha256 is %s (%d bytes), manifest says %s (%d bytes)", got, n, mf.SHA256, mf.Size))
	case n != mf.Size:
		res.problem(mf.Name, Changed, fmt.Sprintf("size is %d bytes, manifest says %d", n, mf.Size))
	default:
		res.Checked++
	}
}

// readEntry reads the single entry in es, up to limit bytes.
func readEntry(es []bundleEntry, limit int64) ([]byte, error) {
	switch {
	case len(es) == 0:
		return nil, errors.New("missing")
	case len(es) > 1:
		return nil, fmt.Errorf("the bundle holds %d entries with this name", len(es))
	case es[0].notFile != "":
		return nil, errors.New("not a regular file: " + es[0].notFile)
	case es[0].size > uint64(limit):
		return nil, fmt.Errorf("larger than %d bytes", limit)
	}
	rc, err := es[0].open()
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
