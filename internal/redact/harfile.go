package redact

import (
	"context"
	"fmt"
	"io"

	"github.com/leakwatch/leakwatch/internal/har"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// HARFile writes a redacted copy of the HAR file at path to w as HAR 1.2,
// reading the file twice (learn, then filter) so memory stays bounded by the
// largest entry. A .har.gz is read transparently; "-" cannot be read twice
// and is refused.
func HARFile(ctx context.Context, path string, w io.Writer, opts Options) error {
	if path == "-" {
		return fmt.Errorf("redact HAR: standard input cannot be read twice")
	}
	x := NewRedactor(opts)
	if err := streamHAR(ctx, path, x.Learner()); err != nil {
		return err
	}
	hw := har.NewWriter(w, har.WriteOptions{})
	return streamHAR(ctx, path, x.Filter(hw))
}

func streamHAR(ctx context.Context, path string, v traffic.Visitor) error {
	r, err := har.Open(path)
	if err != nil {
		return fmt.Errorf("redact HAR: %w", err)
	}
	defer r.Close()
	if err := har.Stream(ctx, r, har.Options{Name: path, MaxResponseBody: -1}, v); err != nil {
		return fmt.Errorf("redact HAR %s: %w", path, err)
	}
	return nil
}

// HARReader returns the redacted HAR as a reader, produced on the fly: an
// evidence.File's Open can return it, so nothing is held in memory or
// written to disk unredacted.
func HARReader(ctx context.Context, path string, opts Options) io.ReadCloser {
	pr, pw := io.Pipe()
	go func() {
		pw.CloseWithError(HARFile(ctx, path, pw, opts))
	}()
	return pr
}
