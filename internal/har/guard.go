package har

import (
	"bufio"
	"context"
	"fmt"
	"io"
)

// guard stands between the HAR's bytes and the JSON decoder: it passes on
// the same JSON, compacted, with every value kept inside the read's limits,
// so that no string, entry, array or nesting the file declares can make the
// decoder hold more than the budgets allow. It reads in one pass, in
// constant memory per byte, and checks the context at every buffer it
// reads. What it cuts it names in a warning; what it cannot read (invalid
// JSON) it reports as a syntaxError at the byte it met it.
//
// Structure: the top-level object, its "log" object and the log's "entries"
// and "pages" arrays are streamed and not bounded. Every other value whose
// parent is one of those is a unit (an entry, a page, log.creator...) that
// the limits apply to: MaxEntry to the JSON text kept of the unit, MaxItems
// to each of its arrays and objects, MaxString to each string, MaxDepth to
// nesting counted from the top.
type guard struct {
	ctx  context.Context
	src  *bufio.Reader
	lim  limits
	warn func(string)

	out  []byte // output not yet read
	pos  int    // read position in out
	off  int64  // input bytes consumed before the current buffer
	base int64  // input offset of the byte being handled
	err  error

	ph    phase
	stack []frame
	str   strState
	lit   litState
	skip  skipState
	unit  unitState
	// entries and pages count the items of log.entries and log.pages, the
	// way the reader numbers them.
	entries, pages int
}

type phase uint8

const (
	phValue      phase = iota // a value
	phValueOrEnd              // after '[': a value or ']'
	phKeyOrEnd                // after '{': a key or '}'
	phKey                     // after ',' in an object: a key
	phColon                   // after a key: ':'
	phNext                    // after a value: ',' or the closer
	phString                  // inside a string (g.str)
	phScalar                  // inside a number or literal (g.lit)
	phSkip                    // inside a dropped value (g.skip)
	phDone                    // the top-level value is complete
)

type frameKind uint8

const (
	plainFrame frameKind = iota
	topFrame
	logFrame
	entriesFrame
	pagesFrame
)

type frame struct {
	kind frameKind
	arr  bool
	n    int    // items or members begun
	kept int    // items or members passed on
	drop bool   // the current member is dropped
	key  []byte // the current member's key, for structure and messages
}

type strState struct {
	key  bool
	mute bool // a dropped member's key: read, not passed on
	cut  bool
	esc  bool // after a backslash
	hex  int8 // \u digits still to come
	n    int64
	kept int64
	cap  int64
	raw  []byte // a key's first bytes
}

type litState struct {
	buf   []byte
	n     int64
	start int64
}

type skipState struct {
	depth int64
	inStr bool
	esc   bool
}

type unitState struct {
	depth int // len(stack) when the unit began; -1 outside a unit
	name  string
	used  int64
	over  bool // the unit's budget ran out (warned once)
}

// syntaxError is invalid JSON met by the guard. Offset counts the bytes
// read up to and including the bad one, as encoding/json does.
type syntaxError struct {
	msg    string
	Offset int64
}

func (e *syntaxError) Error() string { return e.msg }

func newGuard(ctx context.Context, src *bufio.Reader, lim limits, warn func(string)) *guard {
	return &guard{ctx: ctx, src: src, lim: lim, warn: warn, unit: unitState{depth: -1}}
}

// Read passes on the bounded JSON.
func (g *guard) Read(p []byte) (int, error) {
	for g.pos == len(g.out) && g.err == nil {
		g.out, g.pos = g.out[:0], 0
		g.fill()
	}
	if g.pos == len(g.out) {
		return 0, g.err
	}
	n := copy(p, g.out[g.pos:])
	g.pos += n
	return n, nil
}

// fill handles the input buffered in src.
func (g *guard) fill() {
	if g.ph == phDone {
		g.err = io.EOF // what follows the top-level value is not read
		return
	}
	if err := g.ctx.Err(); err != nil {
		g.err = err
		return
	}
	buf, err := g.src.Peek(1)
	if len(buf) == 0 {
		if err == nil {
			err = io.ErrNoProgress
		}
		if err == io.EOF && g.ph == phScalar {
			g.endScalar() // a number ends the input
			return
		}
		g.err = err
		return
	}
	buf, _ = g.src.Peek(g.src.Buffered())
	n := g.process(buf)
	g.src.Discard(n)
	g.off += int64(n)
}

// process handles b and returns the bytes it consumed.
func (g *guard) process(b []byte) int {
	i := 0
	for i < len(b) && g.err == nil && g.ph != phDone {
		g.base = g.off + int64(i)
		switch g.ph {
		case phString:
			i += g.stringBytes(b[i:])
		case phSkip:
			i += g.skipBytes(b[i:])
		case phScalar:
			i += g.scalarBytes(b[i:])
		default:
			c := b[i]
			if isSpace(c) {
				i++
				continue
			}
			if g.structural(c) {
				i++
			}
		}
	}
	return i
}

// structural handles one byte outside strings and scalars; false means it
// was left for the phase it started.
func (g *guard) structural(c byte) bool {
	switch g.ph {
	case phValue, phValueOrEnd:
		if c == ']' && g.ph == phValueOrEnd {
			g.close(c)
			return true
		}
		return g.beginValue(c)
	case phKeyOrEnd, phKey:
		switch {
		case c == '}' && g.ph == phKeyOrEnd:
			g.close(c)
		case c == '"':
			g.beginKey()
		default:
			g.syntax(c, "looking for beginning of object key string")
		}
	case phColon:
		if c != ':' {
			g.syntax(c, "after object key")
			return true
		}
		if !g.stack[len(g.stack)-1].drop {
			g.emitByte(':')
		}
		g.ph = phValue
	case phNext:
		g.next(c)
	}
	return true
}

// next handles the byte after a value inside a container.
func (g *guard) next(c byte) {
	top := &g.stack[len(g.stack)-1]
	switch {
	case c == ',' && top.arr:
		g.ph = phValue
	case c == ',':
		g.ph = phKey
	case c == ']' && top.arr, c == '}' && !top.arr:
		g.close(c)
	case top.arr:
		g.syntax(c, "after array element")
	default:
		g.syntax(c, "after object key:value pair")
	}
}

func (g *guard) parent() *frame {
	if len(g.stack) == 0 {
		return nil
	}
	return &g.stack[len(g.stack)-1]
}

// beginValue starts the value whose first byte is c; false means c is left
// for the phase it started (a scalar, a skipped value).
func (g *guard) beginValue(c byte) bool {
	parent := g.parent()
	if parent != nil && parent.arr {
		parent.n++
	}
	kind := plainFrame
	if parent == nil || parent.kind != plainFrame {
		kind = childKind(parent, c)
		if kind == plainFrame {
			g.beginUnit(parent)
		}
	} else if drop, null := g.limitValue(parent, c); drop {
		if null {
			g.separate(parent)
			g.emit("null")
		}
		g.ph, g.skip = phSkip, skipState{}
		return false
	}
	g.separate(parent)
	switch {
	case c == '{' || c == '[':
		g.push(frame{kind: kind, arr: c == '['})
		g.emitByte(c)
		g.ph = phKeyOrEnd
		if c == '[' {
			g.ph = phValueOrEnd
		}
	case c == '"':
		g.beginString(false, false, min(g.lim.str, max(g.lim.entry-g.unit.used, 0)))
	case c == '-' || isDigit(c) || c == 't' || c == 'f' || c == 'n':
		g.lit = litState{buf: g.lit.buf[:0], start: g.base}
		g.ph = phScalar
		return false
	default:
		g.syntax(c, "looking for beginning of value")
	}
	return true
}

// push opens a container, reusing the key buffer of the slot.
func (g *guard) push(f frame) {
	if n := len(g.stack); n < cap(g.stack) {
		f.key = g.stack[:n+1][n].key[:0]
	}
	g.stack = append(g.stack, f)
}

// childKind says whether a value starting with c under parent is one of the
// streamed containers.
func childKind(parent *frame, c byte) frameKind {
	switch {
	case parent == nil && c == '{':
		return topFrame
	case parent == nil:
		return plainFrame
	case parent.kind == topFrame && string(parent.key) == "log" && c == '{':
		return logFrame
	case parent.kind == logFrame && string(parent.key) == "entries" && c == '[':
		return entriesFrame
	case parent.kind == logFrame && string(parent.key) == "pages" && c == '[':
		return pagesFrame
	}
	return plainFrame
}

// beginUnit starts a bounded value under a streamed container.
func (g *guard) beginUnit(parent *frame) {
	var name string
	switch {
	case parent == nil:
		name = "the top-level value"
	case parent.kind == entriesFrame:
		name = fmt.Sprintf("entry %d", g.entries)
		g.entries++
	case parent.kind == pagesFrame:
		name = fmt.Sprintf("page %d", g.pages)
		g.pages++
	case parent.kind == logFrame:
		name = "log." + displayKey(string(parent.key))
	default:
		name = displayKey(string(parent.key))
	}
	g.unit = unitState{depth: len(g.stack), name: name}
}

// limitValue decides whether a value inside a unit is dropped, and whether
// null stands in its place.
func (g *guard) limitValue(parent *frame, c byte) (drop, null bool) {
	switch {
	case parent.drop:
		return true, false // its key was dropped
	case parent.arr && parent.n > g.lim.items:
		return true, false // counted, warned when the array ends
	case g.unit.used >= g.lim.entry:
		g.overBudget()
		return true, !parent.arr
	case (c == '{' || c == '[') && len(g.stack) >= g.lim.depth:
		g.warnAt("nested deeper than %d levels: the value reads as null", g.lim.depth)
		return true, true
	}
	return false, false
}

// separate writes the comma before an array's item that is passed on.
func (g *guard) separate(parent *frame) {
	if parent == nil || !parent.arr {
		return
	}
	if parent.kept > 0 {
		g.emitByte(',')
	}
	parent.kept++
}

func (g *guard) beginKey() {
	top := &g.stack[len(g.stack)-1]
	top.n++
	top.drop = false
	if top.kind == plainFrame && (top.n > g.lim.items || g.unit.used >= g.lim.entry) {
		if top.n <= g.lim.items {
			g.overBudget()
		}
		top.drop = true
	} else {
		if top.kept > 0 {
			g.emitByte(',')
		}
		top.kept++
	}
	g.beginString(true, top.drop, maxKey)
}

// close ends the container on top of the stack with c.
func (g *guard) close(c byte) {
	top := g.stack[len(g.stack)-1]
	g.stack = g.stack[:len(g.stack)-1]
	g.emitByte(c)
	if top.kind == plainFrame && top.n > g.lim.items {
		what := "members"
		if top.arr {
			what = "items"
		}
		g.warnAt("%d %s, only the first %d kept (limit of items)", top.n, what, g.lim.items)
	}
	g.endValue()
}

// endValue follows the end of any value.
func (g *guard) endValue() {
	if len(g.stack) == g.unit.depth {
		g.unit = unitState{depth: -1}
	}
	g.ph = phNext
	if len(g.stack) == 0 {
		g.ph = phDone
	}
}

func (g *guard) overBudget() {
	if g.unit.over {
		return
	}
	g.unit.over = true
	g.warnAt("over the budget of %s for one entry: the rest of %s is dropped", FormatSize(g.lim.entry), g.unit.name)
}

func (g *guard) emit(s string) {
	g.out = append(g.out, s...)
	if g.unit.depth >= 0 {
		g.unit.used += int64(len(s))
	}
}

func (g *guard) emitBytes(b []byte) {
	g.out = append(g.out, b...)
	if g.unit.depth >= 0 {
		g.unit.used += int64(len(b))
	}
}

func (g *guard) emitByte(c byte) {
	g.out = append(g.out, c)
	if g.unit.depth >= 0 {
		g.unit.used++
	}
}

// warnAt warns about the current place: "entry 4: request.url: ...".
func (g *guard) warnAt(format string, args ...any) {
	msg := g.unit.name
	if msg == "" {
		msg = "log"
	}
	if p := g.path(); p != "" {
		msg += ": " + p
	}
	g.warn(msg + ": " + fmt.Sprintf(format, args...))
}

// syntax records invalid JSON at the current byte c.
func (g *guard) syntax(c byte, context string) {
	g.err = &syntaxError{msg: fmt.Sprintf("invalid character %s %s", quoteChar(c), context), Offset: g.base + 1}
}

func quoteChar(c byte) string {
	switch {
	case c == '\'':
		return `'\''`
	case c == '"':
		return `'"'`
	case c < 0x20 || c >= 0x7f:
		return fmt.Sprintf("%q", rune(c))
	}
	return "'" + string(c) + "'"
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
