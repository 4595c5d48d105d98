package main

import (
	"context"
	"io"
)

// ctxReader reads r in a goroutine of its own so that a read blocked on an
// open pipe (a capture piped in from a process that has not finished) gives
// way when ctx ends: Ctrl-C must stop `leakwatch analyze -` as it stops the
// analysis of a file. The pump goroutine is left blocked on its read; the
// process is about to exit.
type ctxReader struct {
	ctx    context.Context
	chunks chan chunk
	cur    []byte
	err    error
}

type chunk struct {
	b   []byte
	err error
}

func newCtxReader(ctx context.Context, r io.Reader) *ctxReader {
	c := &ctxReader{ctx: ctx, chunks: make(chan chunk, 1)}
	go func() {
		for {
			buf := make([]byte, 64<<10)
			n, err := r.Read(buf)
			select {
			case c.chunks <- chunk{buf[:n], err}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()
	return c
}

func (c *ctxReader) Read(p []byte) (int, error) {
	for len(c.cur) == 0 {
		if c.err != nil {
			return 0, c.err
		}
		select {
		case <-c.ctx.Done():
			return 0, context.Cause(c.ctx)
		case ch := <-c.chunks:
			c.cur, c.err = ch.b, ch.err
		}
	}
	n := copy(p, c.cur)
	c.cur = c.cur[n:]
	return n, nil
}
