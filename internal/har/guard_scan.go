package har

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

// The guard's scanning of strings, scalars and dropped values, the parts
// that may run for gigabytes.

// maxRawKey is how much of a key is remembered for structure and messages.
const maxRawKey = 256

// strSpecial marks the bytes that end a plain run inside a string.
var strSpecial = func() (t [256]bool) {
	for c := range 0x20 {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

// plainRun returns the length of the run of b's first bytes that are not
// strSpecial. It tests eight bytes at a time (a word with no control
// byte, quote or backslash is skipped whole), then byte by byte.
func plainRun(b []byte) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:])
		q, e := x^('"'*ones), x^('\\'*ones)
		if ((x-0x20*ones)&^x|(q-ones)&^q|(e-ones)&^e)&highs != 0 {
			break
		}
	}
	for i < len(b) && !strSpecial[b[i]] {
		i++
	}
	return i
}

func (g *guard) beginString(key, mute bool, limit int64) {
	g.str = strState{key: key, mute: mute, cap: limit, raw: g.str.raw[:0]}
	if !mute {
		g.emitByte('"')
	}
	g.ph = phString
}

// stringBytes handles the inside of a string and returns the bytes it
// consumed; the closing quote ends the string.
func (g *guard) stringBytes(b []byte) int {
	s := &g.str
	for i := 0; i < len(b); {
		if s.esc || s.hex > 0 {
			if !g.escapeByte(b[i], int64(i)) {
				return i
			}
			i++
			continue
		}
		j := i + plainRun(b[i:])
		if j > i {
			g.strRun(b[i:j])
			i = j
			continue
		}
		switch c := b[i]; c {
		case '"':
			g.endString()
			return i + 1
		case '\\':
			if !s.cut && !s.mute && s.kept+6 > s.cap {
				s.cut = true // an escape is passed on whole or not at all
			}
			s.esc = true
			g.strByte(c)
		default:
			g.base += int64(i)
			g.syntax(c, "in string literal")
			return i
		}
		i++
	}
	return len(b)
}

// escapeByte handles a byte of an escape sequence; false is invalid JSON.
func (g *guard) escapeByte(c byte, i int64) bool {
	s := &g.str
	if s.esc {
		switch c {
		case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		case 'u':
			s.hex = 4
		default:
			g.base += i
			g.syntax(c, "in string escape code")
			return false
		}
		s.esc = false
	} else {
		if !isHex(c) {
			g.base += i
			g.syntax(c, `in \u hexadecimal character escape`)
			return false
		}
		s.hex--
	}
	g.strByte(c)
	return true
}

func isHex(c byte) bool { return isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'f') }

// strByte passes on one byte of a string's text, within its cap.
func (g *guard) strByte(c byte) {
	s := &g.str
	s.n++
	if s.key && len(s.raw) < maxRawKey {
		s.raw = append(s.raw, c)
	}
	if s.mute || s.cut {
		return
	}
	g.emitByte(c)
	s.kept++
}

// strRun passes on a run of plain bytes of a string, cutting it at a
// character boundary when it reaches the string's cap.
func (g *guard) strRun(run []byte) {
	s := &g.str
	s.n += int64(len(run))
	if s.key && len(s.raw) < maxRawKey {
		s.raw = append(s.raw, run[:min(len(run), maxRawKey-len(s.raw))]...)
	}
	if s.mute || s.cut {
		return
	}
	room := s.cap - s.kept
	if int64(len(run)) <= room {
		g.emitBytes(run)
		s.kept += int64(len(run))
		return
	}
	k := int(room)
	for back := 0; k > 0 && back < utf8.UTFMax && !utf8.RuneStart(run[k]); back++ {
		k--
	}
	if k == 0 {
		// The character began in the previous buffer and is partly passed
		// on: finish it rather than leave half of it.
		for k < len(run) && k < utf8.UTFMax && !utf8.RuneStart(run[k]) {
			k++
		}
	}
	g.emitBytes(run[:k])
	s.kept += int64(k)
	s.cut = true
}

func (g *guard) endString() {
	s := &g.str
	if !s.mute {
		g.emitByte('"')
	}
	if s.key {
		top := &g.stack[len(g.stack)-1]
		top.key = keyName(top.key[:0], s.raw)
		if s.cut && !s.mute {
			g.warnAt("a key of %s cut to %s", FormatSize(s.n), FormatSize(s.kept))
		}
		g.ph = phColon
		return
	}
	if s.cut {
		why := fmt.Sprintf("limit of %s per string", FormatSize(g.lim.str))
		if s.cap < g.lim.str {
			why = fmt.Sprintf("budget of %s per entry", FormatSize(g.lim.entry))
		}
		g.warnAt("%s string cut to its first %s (%s)", FormatSize(s.n), FormatSize(s.kept), why)
	}
	g.endValue()
}

// keyName appends a key's text, its escapes decoded, to dst.
func keyName(dst, raw []byte) []byte {
	if bytes.IndexByte(raw, '\\') >= 0 {
		var k string
		if json.Unmarshal(append(append([]byte{'"'}, raw...), '"'), &k) == nil {
			return append(dst, k...)
		}
	}
	return append(dst, raw...)
}

// displayKey is a key as messages show it: at most 64 bytes, quoted when it
// is not a plain name.
func displayKey(k string) string {
	if len(k) > 64 {
		k = strings.ToValidUTF8(k[:64], "") + "…"
	}
	for _, r := range k {
		if !(r == '_' || r == '-' || r == '$' || r == '@' || r >= '0' && r <= '9' || r|0x20 >= 'a' && r|0x20 <= 'z') {
			return fmt.Sprintf("%q", k)
		}
	}
	return k
}

// path is the place inside the current unit: "request.headers[3].value".
func (g *guard) path() string {
	if g.unit.depth < 0 || g.unit.depth >= len(g.stack) {
		return ""
	}
	var b strings.Builder
	for _, f := range g.stack[g.unit.depth:] {
		switch {
		case f.arr && f.n > 0:
			fmt.Fprintf(&b, "[%d]", f.n-1)
		case !f.arr && f.n > 0:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(displayKey(string(f.key)))
		}
	}
	return b.String()
}

func isScalarByte(c byte) bool {
	return isDigit(c) || c|0x20 >= 'a' && c|0x20 <= 'z' || c == '+' || c == '-' || c == '.'
}

// scalarBytes reads a number or literal up to the byte that ends it.
func (g *guard) scalarBytes(b []byte) int {
	l := &g.lit
	for i, c := range b {
		if !isScalarByte(c) {
			g.endScalar()
			return i
		}
		l.n++
		if len(l.buf) < maxScalar {
			l.buf = append(l.buf, c)
		}
	}
	return len(b)
}

func (g *guard) endScalar() {
	l := &g.lit
	switch {
	case l.n > maxScalar && (l.buf[0] == '-' || isDigit(l.buf[0])):
		g.emit("0")
		g.warnAt("a number of %d characters reads as 0", l.n)
	case !validScalar(l.buf):
		g.err = &syntaxError{msg: fmt.Sprintf("invalid literal %q", truncate(string(l.buf), 32)), Offset: l.start + 1}
		return
	default:
		g.emitBytes(l.buf)
	}
	g.endValue()
}

// validScalar reports whether b is true, false, null or a JSON number.
func validScalar(b []byte) bool {
	switch string(b) {
	case "true", "false", "null":
		return true
	}
	i := 0
	digits := func() int {
		n := 0
		for i < len(b) && isDigit(b[i]) {
			i++
			n++
		}
		return n
	}
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case digits() == 0:
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(b) && b[i]|0x20 == 'e' {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(b)
}

// skipBytes reads over a dropped value without keeping any of it: only
// its depth and whether it is inside a string are followed.
func (g *guard) skipBytes(b []byte) int {
	sk := &g.skip
	for i, c := range b {
		switch {
		case sk.inStr:
			switch {
			case sk.esc:
				sk.esc = false
			case c == '\\':
				sk.esc = true
			case c == '"':
				sk.inStr = false
				if sk.depth == 0 {
					g.endValue()
					return i + 1
				}
			}
		case c == '"':
			sk.inStr = true
		case c == '{' || c == '[':
			sk.depth++
		case c == '}' || c == ']':
			if sk.depth == 0 { // a scalar ended by its container
				g.endValue()
				return i
			}
			sk.depth--
			if sk.depth == 0 {
				g.endValue()
				return i + 1
			}
		case sk.depth == 0 && (c == ',' || isSpace(c)):
			g.endValue()
			return i
		}
	}
	return len(b)
}
