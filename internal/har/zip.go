package har

import (
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// DefaultMaxUnzipped is the total of uncompressed bytes a read takes out of
// a .har.zip when Options.MaxUnzipped is 0: the HAR member and every
// attachment read, together (and at most zipRatio times the zip's size,
// past zipFloor).
const DefaultMaxUnzipped = 2 << 30

// Without an explicit MaxUnzipped, a zip may also yield no more than
// zipRatio times its own size, past zipFloor: real captures compress
// about tenfold, a bomb a thousandfold.
const (
	zipRatio = 100
	zipFloor = 256 << 20
)

// zipMagics start a zip archive: a local file header, or the end record of
// an empty archive.
var zipMagics = [][]byte{[]byte("PK\x03\x04"), []byte("PK\x05\x06")}

// errZipBudget marks a .har.zip whose content exceeds Options.MaxUnzipped.
var errZipBudget = errors.New("zip content exceeds the uncompressed budget (MaxUnzipped); a zip bomb?")

func isZip(head []byte) bool {
	for _, m := range zipMagics {
		if bytes.HasPrefix(head, m) {
			return true
		}
	}
	return false
}

// zipArchive is an open .har.zip: its members by name and what is left of
// the uncompressed budget.
type zipArchive struct {
	files map[string]*zip.File
	left  int64
	close func()
}

// openZip opens the zip that r (positioned at its start, br its buffer)
// holds and returns a reader of its HAR member. A stream without random
// access is spooled to a temporary file first, up to the budget.
func (s *streamer) openZip(r io.Reader, br *bufio.Reader) (io.Reader, error) {
	total := budget(int64(s.opts.MaxUnzipped), DefaultMaxUnzipped)
	za := &zipArchive{left: total, close: func() {}}
	ra, size, ok := randomAccess(r)
	if !ok {
		f, n, err := spool(br, total)
		if err != nil {
			return nil, err
		}
		za.close = func() { f.Close(); os.Remove(f.Name()) }
		ra, size = f, n
	}
	if s.opts.MaxUnzipped == 0 {
		za.left = min(za.left, max(zipFloor, zipRatio*size))
	}
	s.zip = za
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return nil, fmt.Errorf("%w: not a readable zip archive: %v", ErrInvalid, err)
	}
	za.files = make(map[string]*zip.File, len(zr.File))
	var hars []string
	for _, f := range zr.File {
		if _, dup := za.files[f.Name]; dup || f.FileInfo().IsDir() {
			continue
		}
		za.files[f.Name] = f
		if strings.HasSuffix(strings.ToLower(f.Name), ".har") {
			hars = append(hars, f.Name)
		}
	}
	name, err := harMember(hars)
	if err != nil {
		return nil, err
	}
	if len(hars) > 1 {
		s.warn(fmt.Sprintf("%s: zip holds %d .har members; %s read", s.name, len(hars), name))
	}
	rc, err := za.open(za.files[name])
	if err != nil {
		return nil, fmt.Errorf("%w: zip member %s: %w", ErrInvalid, name, err)
	}
	return rc, nil
}

// harMember picks the HAR of a zip: Playwright's har.har, else the first
// .har by name.
func harMember(hars []string) (string, error) {
	if len(hars) == 0 {
		return "", fmt.Errorf("%w: zip archive has no .har member (a Playwright trace.zip is not a HAR; record with recordHar)", ErrInvalid)
	}
	sort.Strings(hars)
	for _, h := range hars {
		if h == "har.har" {
			return h, nil
		}
	}
	return hars[0], nil
}

// open opens a member for reading within the budget: its declared size
// must fit what is left, and reading past it fails.
func (za *zipArchive) open(f *zip.File) (io.Reader, error) {
	if f.UncompressedSize64 > uint64(za.left) {
		return nil, fmt.Errorf("declares %s uncompressed: %w", FormatSize(int64(min(f.UncompressedSize64, 1<<62))), errZipBudget)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	return &budgetReader{r: rc, left: &za.left}, nil
}

// budgetReader counts what it reads against the archive's budget.
type budgetReader struct {
	r    io.Reader
	left *int64
}

func (b *budgetReader) Read(p []byte) (int, error) {
	if *b.left <= 0 {
		return 0, errZipBudget
	}
	if int64(len(p)) > *b.left {
		p = p[:*b.left]
	}
	n, err := b.r.Read(p)
	*b.left -= int64(n)
	return n, err
}

// attachment returns the bytes of the zip member name, if it is at most
// limit bytes; a larger one returns (nil, its size, nil).
func (s *streamer) attachment(name string, limit int64) ([]byte, int64, error) {
	if s.zip == nil {
		return nil, 0, fmt.Errorf("attachment %q is not in this file (read the .har.zip Playwright wrote, not the bare HAR)", name)
	}
	f, ok := s.zip.files[name]
	if !ok {
		return nil, 0, fmt.Errorf("attachment %q is missing from the zip", name)
	}
	size := int64(min(f.UncompressedSize64, 1<<62))
	if size > limit {
		return nil, size, nil
	}
	r, err := s.zip.open(f)
	if err != nil {
		return nil, 0, fmt.Errorf("attachment %q: %w", name, err)
	}
	b, err := io.ReadAll(io.LimitReader(r, size+1))
	if err == nil && int64(len(b)) != size {
		err = fmt.Errorf("%d bytes where the zip declares %d", len(b), size)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("attachment %q: %w", name, err)
	}
	return b, size, nil
}

// randomAccess finds the random access a zip needs behind r: a regular
// file, one opened by Open, or an in-memory reader.
func randomAccess(r io.Reader) (io.ReaderAt, int64, bool) {
	switch v := r.(type) {
	case *readCloser:
		if v.ra != nil {
			return v.ra, v.size, true
		}
	case *os.File:
		if st, err := v.Stat(); err == nil && st.Mode().IsRegular() {
			return v, st.Size(), true
		}
	case interface {
		io.ReaderAt
		Size() int64
	}:
		return v, v.Size(), true
	}
	return nil, 0, false
}

// spool copies a zip stream (standard input) to a temporary file, refusing
// one larger than max.
func spool(r io.Reader, max int64) (*os.File, int64, error) {
	f, err := os.CreateTemp("", "leakwatch-*.har.zip")
	if err != nil {
		return nil, 0, fmt.Errorf("spool zip: %w", err)
	}
	n, err := io.Copy(f, io.LimitReader(r, max+1))
	if err == nil && n > max {
		err = fmt.Errorf("%w: zip stream is larger than %s", errZipBudget, FormatSize(max))
	}
	if err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, 0, fmt.Errorf("spool zip: %w", err)
	}
	return f, n, nil
}
