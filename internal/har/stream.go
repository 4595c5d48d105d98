package har

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// DefaultMaxResponseBody is the response body size kept when
// Options.MaxResponseBody is 0.
const DefaultMaxResponseBody = 2 << 20

// ErrInvalid marks input that is not a readable HAR: not JSON, no log, no
// entries array, or JSON broken in the middle.
var ErrInvalid = errors.New("invalid HAR")

// MaxWarnings is the number of warnings a read keeps; the rest are counted
// in one last warning.
const MaxWarnings = 1000

// maxPending bounds the pages held back waiting for their first entry.
const maxPending = 10000

// maxPageRefs bounds the pagerefs remembered for pages that follow the
// entries; real files have a handful.
const maxPageRefs = 10000

// errTruncated marks input that ended before the JSON was complete.
var errTruncated = errors.New("file is truncated")

// Options tune reading.
type Options struct {
	// Name is the file name used in messages and as Capture.Source.
	Name string
	// MaxResponseBody is the largest decoded response body kept, in bytes;
	// larger bodies are dropped (Response.BodySize still says their size).
	// 0 means DefaultMaxResponseBody; a negative value keeps every body.
	// Request bodies are kept whole up to MaxString.
	MaxResponseBody int

	// The budgets below bound what one read may hold in memory, whatever
	// the file says; what they cut is named in a warning (the entry, the
	// field, the size before and after), never dropped silently. 0 means
	// the default; a negative value is no limit.

	// MaxString is the longest JSON string kept, in bytes of its JSON text
	// (URL, header value, body text, WebSocket frame...); a longer one is
	// cut at a character boundary. Default DefaultMaxString.
	MaxString int
	// MaxEntry bounds the JSON text kept of one entry (or page, or any
	// other value of the log but the entries and pages arrays); what comes
	// after the budget is spent is dropped. Default DefaultMaxEntry.
	MaxEntry int
	// MaxItems bounds the items of one array or the members of one object
	// inside an entry (headers, cookies, WebSocket frames); the first
	// MaxItems are kept. The entries and pages arrays are not bounded: they
	// are streamed. Default DefaultMaxItems.
	MaxItems int
	// MaxDepth bounds the nesting of the JSON; a deeper value reads as
	// null. Default DefaultMaxDepth.
	MaxDepth int
	// MaxUnzipped bounds the uncompressed bytes read out of a .har.zip,
	// the HAR member and its attachments together; a zip that declares or
	// holds more is refused (a zip bomb). Default DefaultMaxUnzipped, and
	// no more than 100 times the zip's own size past 256 MiB.
	MaxUnzipped int
}

func (o Options) name() string {
	if o.Name == "" {
		return "<input>"
	}
	return o.Name
}

func (o Options) maxBody() int {
	switch {
	case o.MaxResponseBody == 0:
		return DefaultMaxResponseBody
	case o.MaxResponseBody < 0:
		return int(^uint(0) >> 1)
	}
	return o.MaxResponseBody
}

// ReadFile reads a whole HAR file (path "-" is standard input, gzip is
// detected). opts.Name defaults to path.
func ReadFile(ctx context.Context, path string, opts Options) (*traffic.Capture, error) {
	if opts.Name == "" {
		opts.Name = path
		if path == "-" {
			opts.Name = "stdin"
		}
	}
	rc, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return Read(ctx, rc, opts)
}

// Read reads a whole HAR into a Capture. Capture.Requests holds the entries
// that could be read; a skipped entry leaves a gap in the Index sequence.
func Read(ctx context.Context, r io.Reader, opts Options) (*traffic.Capture, error) {
	var c traffic.Collector
	if err := Stream(ctx, r, opts, &c); err != nil {
		return nil, err
	}
	return &c.Capture, nil
}

// Stream reads a HAR entry by entry and hands pages and requests to v as
// they are read, then calls v.End once. Memory is bounded by the largest
// entry. A malformed entry is skipped with a warning; a file cut off
// part-way delivers every complete entry, warns in End, and returns nil.
// Structural problems (not JSON, no log, no entries) are errors wrapping
// ErrInvalid; errors from v are returned as they are, wrapped with the name.
func Stream(ctx context.Context, r io.Reader, opts Options, v traffic.Visitor) error {
	return stream(ctx, r, opts, v, false)
}

// stream is Stream; with std it reads with encoding/json's decoder, the
// reference the tests hold the one-pass reader (tokens) to.
func stream(ctx context.Context, r io.Reader, opts Options, v traffic.Visitor, std bool) error {
	if err := opts.Validate(); err != nil {
		return err
	}
	s := &streamer{ctx: ctx, opts: opts, name: opts.name(), max: opts.maxBody(), v: v, firstURL: map[string]string{}, std: std}
	if err := s.run(r); err != nil {
		return fmt.Errorf("read HAR %s: %w", s.name, err)
	}
	return nil
}

// streamer holds the state of one Stream call.
type streamer struct {
	ctx  context.Context
	opts Options
	name string
	max  int
	v    traffic.Visitor
	dec  tokenSource
	std  bool // read with encoding/json (tests)

	end      traffic.Capture
	pending  []*traffic.Page // pages read but not yet delivered
	sawLog   bool
	entries  int // entries seen (complete or skipped); the next index
	inEntry  bool
	started  bool // the entries array has begun
	finished bool // the entries array has ended
	pageN    int
	// firstURL remembers the first URL of each pageref, for pages that come
	// after the entries; at most maxPageRefs of them.
	firstURL map[string]string
	dropped  int // warnings past MaxWarnings
	// decodeErr is a fatal JSON error met while decoding a small value.
	decodeErr error
	// zip is the .har.zip being read, nil for a plain HAR.
	zip *zipArchive
}

func (s *streamer) run(r io.Reader) error {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, 64<<10)
	}
	if head, _ := br.Peek(4); isZip(head) {
		member, err := s.openZip(r, br)
		if s.zip != nil {
			defer s.zip.close()
		}
		if err != nil {
			return err
		}
		br = bufio.NewReaderSize(member, 64<<10)
	}
	src, err := decompress(br)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if src != io.Reader(br) {
		br = bufio.NewReaderSize(src, 64<<10)
	}
	if err := skipBOM(br); err != nil {
		return err
	}
	g := newGuard(s.ctx, br, s.opts.limits(), func(msg string) { s.warn(s.name + ": " + msg) })
	if s.std {
		s.dec = json.NewDecoder(g)
	} else {
		s.dec = newTokens(g)
	}
	err = s.readTop()
	if cerr := s.ctx.Err(); cerr != nil && errors.Is(err, cerr) {
		return s.stopped(err)
	}
	if errors.Is(err, errTruncated) && s.started {
		// Kept whatever the warning count: it says the capture is partial.
		s.end.Warnings = append(s.end.Warnings, s.truncatedWarning())
		err = nil
	}
	if errors.Is(err, errTruncated) {
		return fmt.Errorf("%w: file is truncated before the entries array", ErrInvalid)
	}
	if err != nil {
		return err
	}
	if err := s.flushPages(""); err != nil {
		return err
	}
	if s.dropped > 0 {
		s.end.Warnings = append(s.end.Warnings, fmt.Sprintf("%s: %d more warnings not shown", s.name, s.dropped))
	}
	s.end.Source = s.opts.Name
	return s.v.End(&s.end)
}

// stopped ends a read cut short by its context: the visitor gets its End,
// with a warning that says where the read stopped and why, and err is
// returned.
func (s *streamer) stopped(err error) error {
	done := s.entries
	if s.inEntry {
		done--
	}
	s.end.Warnings = append(s.end.Warnings, fmt.Sprintf("%s: reading stopped after %d entries: %v", s.name, done, context.Cause(s.ctx)))
	s.end.Source = s.opts.Name
	if ferr := s.flushPages(""); ferr != nil {
		return err
	}
	if verr := s.v.End(&s.end); verr != nil {
		return errors.Join(err, verr)
	}
	return err
}

func (s *streamer) truncatedWarning() string {
	switch {
	case s.finished:
		return fmt.Sprintf("%s: file is truncated after the entries array (all %d entries read)", s.name, s.entries)
	case s.entries == 0 || (s.entries == 1 && s.inEntry):
		return fmt.Sprintf("%s: file is truncated inside the first entry; no entries read", s.name)
	}
	last := s.entries - 1
	if s.inEntry {
		last--
	}
	return fmt.Sprintf("%s: file is truncated after entry %d (%d complete entries read)", s.name, last, last+1)
}

// warn records a warning; past MaxWarnings they are only counted, so a
// huge file of bad entries cannot fill memory with messages.
func (s *streamer) warn(msg string) {
	if len(s.end.Warnings) < MaxWarnings {
		s.end.Warnings = append(s.end.Warnings, msg)
		return
	}
	s.dropped++
}

func (s *streamer) warnEntry(idx int, format string, args ...any) {
	s.warn(fmt.Sprintf("%s: entry %d: %s", s.name, idx, fmt.Sprintf(format, args...)))
}

// readTop reads the top-level object and finds "log" in it.
func (s *streamer) readTop() error {
	tok, err := s.dec.Token()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return fmt.Errorf("%w: file is empty", ErrInvalid)
		}
		return s.jsonErr(err)
	}
	if tok != json.Delim('{') {
		return fmt.Errorf("%w: not a HAR: the top-level JSON value is %s, want an object with \"log\"", ErrInvalid, tokenKind(tok))
	}
	if err := s.readObject(func(key string) error {
		if key != "log" {
			return s.skip()
		}
		s.sawLog = true
		return s.readLog()
	}); err != nil {
		return err
	}
	if !s.sawLog {
		return fmt.Errorf("%w: not a HAR: no \"log\" object", ErrInvalid)
	}
	return nil
}

// readObject calls field for each key of the object whose '{' was just
// read, with the decoder positioned at the key's value, and reads the '}'.
func (s *streamer) readObject(field func(key string) error) error {
	for s.dec.More() {
		tok, err := s.dec.Token()
		if err != nil {
			return s.jsonErr(err)
		}
		key, ok := tok.(string)
		if !ok {
			return fmt.Errorf("%w: object key is %s", ErrInvalid, tokenKind(tok))
		}
		if err := field(key); err != nil {
			return err
		}
	}
	if _, err := s.dec.Token(); err != nil {
		return s.jsonErr(err)
	}
	return nil
}

// skip reads and discards one value token by token, so an unknown field of
// any size costs no memory beyond its longest string.
func (s *streamer) skip() error {
	depth := 0
	for {
		tok, err := s.dec.Token()
		if err != nil {
			return s.jsonErr(err)
		}
		if d, ok := tok.(json.Delim); ok {
			if d == '{' || d == '[' {
				depth++
			} else {
				depth--
			}
		}
		if depth == 0 {
			return nil
		}
	}
}

// jsonErr classifies a decoder error: end of input is truncation, anything
// else is invalid JSON with its byte offset.
func (s *streamer) jsonErr(err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var ge *syntaxError
	if errors.As(err, &ge) {
		return fmt.Errorf("%w: not valid JSON at byte %d: %v", ErrInvalid, ge.Offset, ge.msg)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errTruncated
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("%w: not valid JSON at byte %d: %v", ErrInvalid, se.Offset, err)
	}
	if errors.Is(err, ErrInvalid) {
		return err
	}
	return fmt.Errorf("%w: %v", ErrInvalid, err)
}

func tokenKind(tok json.Token) string {
	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			return "an object"
		}
		return "an array"
	case string:
		return "a string"
	case float64, json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", tok)
}
