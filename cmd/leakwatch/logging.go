package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/leakwatch/leakwatch/internal/report"
)

// levelNotice is what a command tells the user as it goes (the demo's
// site): shown unless --quiet, below warnings; --verbose adds info and
// debug records (every page, step and form of a scan).
const levelNotice = slog.LevelWarn - 1

// logFormats are the values of --log-format.
var logFormats = []string{"text", "json"}

// logLevel is the level --quiet and --verbose choose, on the commands
// that have them.
func logLevel(quiet, verbose bool) slog.Level {
	switch {
	case quiet:
		return slog.LevelError
	case verbose:
		return slog.LevelDebug
	}
	return levelNotice
}

// newLogger builds the run's one logger: lines for people ("leakwatch:
// warning: ...") or JSON objects, one a line, written to w.
func newLogger(format string, level slog.Level, w io.Writer) (*slog.Logger, error) {
	switch format {
	case "text", "":
		return slog.New(&textHandler{level: level, w: w}), nil
	case "json":
		return slog.New(slog.NewJSONHandler(jsonSafeWriter{w}, &slog.HandlerOptions{Level: level, ReplaceAttr: noticeName})), nil
	}
	return nil, usagef("unknown --log-format %q: want %s", format, strings.Join(logFormats, " or "))
}

// noticeName names levelNotice in JSON records.
func noticeName(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 && a.Key == slog.LevelKey {
		if l, ok := a.Value.Any().(slog.Level); ok && l == levelNotice {
			a.Value = slog.StringValue("NOTICE")
		}
	}
	return a
}

// logWriter is where log records go: standard error, or, while a scan's
// progress line shows, that line, which clears itself before each record.
type logWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *logWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// redirect sends records to w until the returned function is called.
func (l *logWriter) redirect(w io.Writer) (restore func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	old := l.w
	l.w = w
	return func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.w = old
	}
}

// textBlocks are attributes the text handler writes on lines of their own
// under the message, for people to read: advice, a stack trace.
var textBlocks = []string{"hint", "stack"}

// textHandler writes one line a record, "leakwatch: [warning: ]message
// key=value...", through the sanitiser: captured text in a message or a
// value cannot drive the terminal or draw a line of its own.
type textHandler struct {
	level  slog.Leveler
	w      io.Writer
	prefix string // group names, each followed by "."
	attrs  string // pre-rendered attributes of WithAttrs
	blocks string // pre-rendered block attributes of WithAttrs
}

func (h *textHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level.Level() }

func (h *textHandler) Handle(_ context.Context, r slog.Record) error {
	var line, blocks strings.Builder
	line.WriteString("leakwatch: ")
	if r.Level >= slog.LevelWarn && r.Level < slog.LevelError {
		line.WriteString("warning: ")
	}
	line.WriteString(report.SanitizeLine(r.Message))
	line.WriteString(h.attrs)
	blocks.WriteString(h.blocks)
	r.Attrs(func(a slog.Attr) bool {
		renderAttr(&line, &blocks, h.prefix, a)
		return true
	})
	line.WriteByte('\n')
	line.WriteString(blocks.String())
	_, err := io.WriteString(h.w, line.String())
	return err
}

func (h *textHandler) WithAttrs(as []slog.Attr) slog.Handler {
	var line, blocks strings.Builder
	for _, a := range as {
		renderAttr(&line, &blocks, h.prefix, a)
	}
	h2 := *h
	h2.attrs += line.String()
	h2.blocks += blocks.String()
	return &h2
}

func (h *textHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	h2 := *h
	h2.prefix += name + "."
	return &h2
}

// renderAttr appends " key=value" to line, or a block attribute's value to
// blocks; groups flatten to "group.key".
func renderAttr(line, blocks *strings.Builder, prefix string, a slog.Attr) {
	a.Value = a.Value.Resolve()
	if a.Equal(slog.Attr{}) {
		return
	}
	if a.Value.Kind() == slog.KindGroup {
		p := prefix
		if a.Key != "" {
			p += a.Key + "."
		}
		for _, g := range a.Value.Group() {
			renderAttr(line, blocks, p, g)
		}
		return
	}
	for _, k := range textBlocks {
		if prefix == "" && a.Key == k {
			blocks.WriteString(strings.TrimRight(report.Sanitize(a.Value.String()), "\n"))
			blocks.WriteByte('\n')
			return
		}
	}
	v := report.SanitizeLine(a.Value.String())
	if v == "" || strings.ContainsAny(v, " =\"") {
		v = strconv.Quote(v)
	}
	fmt.Fprintf(line, " %s=%s", report.SanitizeLine(prefix+a.Key), v)
}

// jsonSafeWriter passes JSON log records on with what encoding/json leaves
// raw but a terminal would obey or hide text with (DEL, C1 controls, bidi
// and line separators) written as \u escapes: the same JSON, inert.
type jsonSafeWriter struct{ w io.Writer }

func (j jsonSafeWriter) Write(p []byte) (int, error) {
	if _, err := j.w.Write(jsonEscapeUnsafe(p)); err != nil {
		return 0, err
	}
	return len(p), nil
}

func jsonEscapeUnsafe(p []byte) []byte {
	var out []byte
	for i := 0; i < len(p); {
		r, n := rune(p[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRune(p[i:])
		}
		unsafe := r == 0x7f || (r >= 0x80 && report.SanitizeLine(string(r)) != string(r))
		if unsafe && out == nil {
			out = append(make([]byte, 0, len(p)+16), p[:i]...)
		}
		switch {
		case unsafe:
			out = fmt.Appendf(out, `\u%04x`, r)
		case out != nil:
			out = append(out, p[i:i+n]...)
		}
		i += n
	}
	if out == nil {
		return p
	}
	return out
}
