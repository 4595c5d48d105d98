package har

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
)

// Open opens a HAR file for reading: path "-" is standard input, and gzip
// content (a .har.gz) is decompressed transparently, detected by its magic
// bytes rather than by the file name. A Playwright .har.zip is passed on as
// it is: Stream and Read recognise it, also by its magic bytes.
func Open(path string) (io.ReadCloser, error) {
	var f *os.File
	if path == "-" {
		f = os.Stdin
	} else {
		var err error
		if f, err = os.Open(path); err != nil {
			return nil, err // *PathError names the file
		}
	}
	br := bufio.NewReaderSize(f, 64<<10)
	r, err := decompress(br)
	if err != nil {
		if path != "-" {
			f.Close()
		}
		return nil, fmt.Errorf("open HAR %s: %w", path, err)
	}
	rc := &readCloser{Reader: r}
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && r == io.Reader(br) {
		rc.ra, rc.size = f, st.Size() // a .har.zip is read in place
	}
	if path != "-" {
		rc.close = f.Close
	}
	return rc, nil
}

type readCloser struct {
	io.Reader
	close func() error
	// ra and size give random access to the file behind Reader, which a
	// zip needs; nil when there is none (a pipe, gzip content).
	ra   io.ReaderAt
	size int64
}

func (r *readCloser) Close() error {
	if c, ok := r.Reader.(io.Closer); ok {
		c.Close()
	}
	if r.close != nil {
		return r.close()
	}
	return nil
}

var gzipMagic = []byte{0x1f, 0x8b}

// decompress returns a reader of br's content, gunzipping it when it starts
// with the gzip magic bytes.
func decompress(br *bufio.Reader) (io.Reader, error) {
	head, err := br.Peek(2)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	if !bytes.Equal(head, gzipMagic) {
		return br, nil
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, fmt.Errorf("gzip: %w", err)
	}
	return zr, nil
}

var (
	bomUTF8    = []byte{0xef, 0xbb, 0xbf}
	bomUTF16LE = []byte{0xff, 0xfe}
	bomUTF16BE = []byte{0xfe, 0xff}
)

// skipBOM drops a UTF-8 byte order mark and rejects UTF-16 text, which
// encoding/json cannot read, with a message that says what it is.
func skipBOM(br *bufio.Reader) error {
	head, _ := br.Peek(3)
	switch {
	case bytes.HasPrefix(head, bomUTF8):
		_, err := br.Discard(3)
		return err
	case bytes.HasPrefix(head, bomUTF16LE), bytes.HasPrefix(head, bomUTF16BE):
		return fmt.Errorf("%w: file is UTF-16 text; convert it to UTF-8", ErrInvalid)
	}
	return nil
}

// OpenReader wraps an already open stream, such as standard input, the way
// Open does a file: gzip content is decompressed transparently.
func OpenReader(r io.Reader) (io.ReadCloser, error) {
	d, err := decompress(bufio.NewReaderSize(r, 64<<10))
	if err != nil {
		return nil, err
	}
	return &readCloser{Reader: d}, nil
}
