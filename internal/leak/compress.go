package leak

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/leakwatch/leakwatch/internal/codec"
)

// inflate decompresses data, charging the output to the scan budget.
func (s *scanner) inflate(kind string, data []byte) ([]byte, error) {
	r, release, err := s.inflater.Reader(kind, data, s.budget)
	defer release()
	if err != nil {
		return nil, err
	}
	ratio := s.b.expansionLimit(len(data))
	out, limit, err := s.readCut(stopReader{r, s}, min(s.budget, ratio))
	if len(out) > limit {
		// A bomb, or a body past the budget: search what came before the
		// cut, and say which limit cut it.
		out = out[:limit]
		s.budget -= len(out)
		if limit == ratio {
			s.warnf("%s output cut at %d× its compressed size (%s); data past it was not searched (raise with --max-expansion)", kind, s.b.MaxExpansion, size(limit))
			return out, &inflateError{kind, errExpansion}
		}
		s.capHit = true
		return out, &inflateError{kind, errCap}
	}
	s.budget -= len(out)
	if err != nil {
		return out, &inflateError{kind, err}
	}
	return out, nil
}

// inflateError names the compression an error came from. Its text is
// made only when asked for: most inflate attempts are probes of random
// bytes whose error nobody reads.
type inflateError struct {
	kind string
	err  error
}

func (e *inflateError) Error() string { return e.kind + ": " + e.err.Error() }

func (e *inflateError) Unwrap() error { return e.err }

// readCut reads r up to limit bytes, and one more if r holds more (then
// the output is cut). Output that would pass three quarters of the budget
// while it ends inside an encoded run (base64, hex, lz-string) is cut
// there instead: a quarter of the budget is left for the layers below to
// decode the run's leading part (base64 of gzip of base64 of a bomb), and
// each such cut leaves a quarter of what it got, so a whole chain stays
// within the budget. It returns the limit that applied.
func (s *scanner) readCut(r io.Reader, limit int) ([]byte, int, error) {
	first := min(s.room(), limit)
	lr := &io.LimitedReader{R: r, N: int64(first) + 1}
	var buf bytes.Buffer
	_, err := buf.ReadFrom(lr)
	if buf.Len() <= first || first == limit || encodedTail(buf.Bytes()[:first]) {
		return buf.Bytes(), first, err
	}
	lr.N = int64(limit - first)
	_, err = buf.ReadFrom(lr)
	return buf.Bytes(), limit, err
}

// room is what a decoding layer cut by the budget may produce, leaving a
// quarter of the budget to the layers below it.
func (s *scanner) room() int {
	return s.budget - s.budget/4
}

// encodedTail reports whether b ends inside a run a decoder reads (the
// base64, base64url, hex and lz-string alphabets): cut there, the run's
// leading part is still worth decoding.
func encodedTail(b []byte) bool {
	if len(b) < minB64Run {
		return false
	}
	for _, c := range b[len(b)-minB64Run:] {
		if class[c]&(cB64|cLZ) == 0 {
			return false
		}
	}
	return true
}

// errExpansion says a decompression passed the expansion limit.
var errExpansion = errors.New("expansion limit reached")

// stopReader ends a read when the scan is asked to stop.
type stopReader struct {
	r io.Reader
	s *scanner
}

func (sr stopReader) Read(p []byte) (int, error) {
	if sr.s.stop() {
		return 0, errStopped
	}
	if len(p) > 1<<20 { // small reads, so a stop is seen between them
		p = p[:1<<20]
	}
	return sr.r.Read(p)
}

// errStopped says the caller stopped the scan.
var errStopped = errors.New("scan stopped")

// contentDecode undoes a Content-Encoding header ("gzip", "br, gzip").
func (s *scanner) contentDecode(enc string, body []byte) ([]byte, error) {
	codings := codec.Codings(enc)
	for i := len(codings) - 1; i >= 0; i-- {
		c := codec.Resolve(codings[i], body)
		out, err := s.inflate(c, body)
		switch {
		case errors.Is(err, errCap) || errors.Is(err, errExpansion) || errors.Is(err, errStopped):
			return out, nil // cut at a limit or stopped, which warn by themselves
		case err != nil && truncated(err) && len(out) > 0: // a cut-off capture: search what inflated
			return out, fmt.Errorf("Content-Encoding %s: %w; searched the %d bytes before the cut", c, err, len(out))
		case err != nil:
			return body, fmt.Errorf("Content-Encoding %s: %w; searched as sent", c, err)
		}
		body = out
	}
	return body, nil
}

// truncated reports a compressed stream that ended early.
func truncated(err error) bool {
	return errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}

// cutShort reports output that stopped early but is worth searching: a
// truncated stream, or one cut at a limit (which warned already).
func cutShort(err error) bool {
	return truncated(err) || errors.Is(err, errCap) || errors.Is(err, errExpansion)
}

// usable reports inflated output worth searching: text, complete or cut
// off (captures truncate bodies; what came before the cut still counts).
func usable(dec []byte, err error) bool {
	return (err == nil || cutShort(err)) && len(dec) > 0 && codec.PlausibleText(dec)
}
