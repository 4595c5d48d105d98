package codec

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// Decode undoes the codings a Content-Encoding header names, last applied
// first, within the limits. It returns the decoded body and the resolved
// codings it undid, in the order they were applied, for Encode to redo.
//
// A stream cut off early (a truncated capture) returns what decoded before
// the cut with an error wrapping io.ErrUnexpectedEOF; output past a limit
// returns the output up to it with ErrOutputLimit or ErrExpansion. Any
// other failure returns the body as it was given (and no codings) with
// the error.
func Decode(header string, body []byte, lim Limits) ([]byte, []string, error) {
	codings := Codings(header)
	if len(codings) == 0 && lim.SniffGzip && IsGzip(body) {
		codings = []string{Gzip}
	}
	var in Inflater
	applied := make([]string, len(codings))
	out := body
	for i := len(codings) - 1; i >= 0; i-- {
		c := Resolve(codings[i], out)
		dec, err := in.decodeOne(c, out, lim)
		if err != nil && (len(dec) == 0 || !Partial(err)) {
			return body, nil, err
		}
		applied[i] = c
		out = dec
		if err != nil {
			return out, applied[i:], err
		}
	}
	return out, applied, nil
}

// Partial reports an error after which the output decoded so far is
// still worth reading: a truncated stream or one cut at a limit.
func Partial(err error) bool {
	return errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, ErrOutputLimit) || errors.Is(err, ErrExpansion)
}

func (in *Inflater) decodeOne(coding string, data []byte, lim Limits) ([]byte, error) {
	r, release, err := in.Reader(coding, data, lim.output())
	defer release()
	if err != nil {
		return nil, err
	}
	limit, cause := lim.output(), ErrOutputLimit
	if lim.MaxRatio > 0 && len(data) < limit/lim.MaxRatio {
		limit, cause = max(len(data)*lim.MaxRatio, 1<<10), ErrExpansion
	}
	var buf bytes.Buffer
	_, err = buf.ReadFrom(io.LimitReader(r, int64(limit)+1))
	out := buf.Bytes()
	switch {
	case len(out) > limit:
		return out[:limit], fmt.Errorf("%s: %w", coding, cause)
	case errors.Is(err, io.EOF):
		return out, fmt.Errorf("%s: %w", coding, io.ErrUnexpectedEOF)
	case err != nil:
		return out, fmt.Errorf("%s: %w", coding, err)
	}
	return out, nil
}

// Encode applies codings in order (as Decode returns them) to body.
func Encode(codings []string, body []byte) ([]byte, error) {
	for _, c := range codings {
		var buf bytes.Buffer
		w, err := NewWriter(c, &buf)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(body); err != nil {
			return nil, fmt.Errorf("%s: %w", c, err)
		}
		if err := w.Close(); err != nil {
			return nil, fmt.Errorf("%s: %w", c, err)
		}
		body = buf.Bytes()
	}
	return body, nil
}
