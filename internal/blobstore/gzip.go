package blobstore

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/klauspost/compress/gzip"
)

// gzipMagic starts every gzip stream (RFC 1952).
var gzipMagic = []byte{0x1f, 0x8b}

// writeGzip copies r to w as one gzip stream: compressed here, or unchanged
// when it is gzip already (a .har.gz), so nothing is compressed twice. When
// size is not negative, r must hold exactly size bytes. It returns the bytes
// read from r.
func writeGzip(ctx context.Context, w io.Writer, r io.Reader, size int64) (int64, error) {
	src := &countingReader{stop: ctx.Err, r: r}
	var in io.Reader = src
	if size >= 0 {
		in = io.LimitReader(src, size+1)
	}
	br := bufio.NewReaderSize(in, 64<<10)
	head, err := br.Peek(len(gzipMagic))
	if err != nil && err != io.EOF {
		return src.n, fmt.Errorf("read: %w", err)
	}
	if bytes.Equal(head, gzipMagic) {
		_, err = io.Copy(w, br)
	} else {
		err = compress(w, br)
	}
	if err != nil {
		return src.n, err
	}
	if size >= 0 && src.n != size {
		return src.n, fmt.Errorf("read %d bytes, want %d: the input was cut short or is longer than its size", src.n, size)
	}
	return src.n, nil
}

func compress(w io.Writer, r io.Reader) error {
	zw, err := gzip.NewWriterLevel(w, gzip.DefaultCompression)
	if err != nil {
		return fmt.Errorf("gzip: %w", err)
	}
	if _, err := io.Copy(zw, r); err != nil {
		return fmt.Errorf("gzip: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("gzip: %w", err)
	}
	return nil
}

// countingReader counts what it reads and stops once stop (a context's Err)
// reports an error.
type countingReader struct {
	stop func() error
	r    io.Reader
	n    int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	if err := c.stop(); err != nil {
		return 0, err
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// gunzipReader reads a stored object as what was put: the gzip layer is
// removed and both the decompressor and the object are closed together.
type gunzipReader struct {
	*gzip.Reader
	obj io.Closer
}

func newGunzipReader(obj io.ReadCloser) (io.ReadCloser, error) {
	zr, err := gzip.NewReader(bufio.NewReaderSize(obj, 64<<10))
	if err != nil {
		_ = obj.Close()
		return nil, fmt.Errorf("not a gzip object: %w", err)
	}
	return &gunzipReader{Reader: zr, obj: obj}, nil
}

func (g *gunzipReader) Close() error {
	zerr := g.Reader.Close()
	if err := g.obj.Close(); err != nil {
		return err
	}
	return zerr
}
