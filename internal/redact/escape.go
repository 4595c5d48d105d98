package redact

import (
	"strings"

	"github.com/leakwatch/leakwatch/internal/codec"
)

// escaping is a text escape whose every unit maps back to a span of the
// escaped text: percent-encoding and JSON string escapes. A rewrite of the
// unescaped text is spliced back escaped the same way, so the bytes around
// the change stay exactly as they were sent.
type escaping struct {
	name string
	// anchor is a byte every escaped text holds.
	anchor byte
	// unit decodes the escape at s[i]: its length and the bytes it stands
	// for; n is 0 when s[i] is a literal byte.
	unit func(s string, i int) (n int, dec string)
	// escape appends s escaped to b.
	escape func(b *strings.Builder, s string)
	// sep are the bytes that, written as they are, delimit the escaped
	// values (a query's "&" and "=", a JSON document's quotes): each
	// stretch between them is opened and spliced on its own, so a
	// delimiter is never escaped by a splice that spans two changes.
	sep string
	// isSep is sep as a table (filled by withSeps): segments reads every
	// byte of a text.
	isSep *[256]bool
}

// withSeps fills the escapings' separator tables.
func withSeps(es []escaping) []escaping {
	for i := range es {
		t := new([256]bool)
		for k := 0; k < len(es[i].sep); k++ {
			t[es[i].sep[k]] = true
		}
		es[i].isSep = t
	}
	return es
}

// escapings are the escape layers opened, in order.
var escapings = withSeps([]escaping{
	{"URL-encoding", '%', pctUnit, pctEscape, "&=?#;+ \t\r\n\"'<>", nil},
	{"JSON string escapes", '\\', jsonUnit, jsonEscape, "\" \t\r\n", nil},
	{"HTML entities", '&', htmlUnit, htmlEscape, "\"' \t\r\n<>", nil},
})

// segments calls f with each stretch of s between separators that holds
// the anchor; f returns the stretch's rewrite. Stretches are found from
// the anchors: the bytes of a text between them are read once, by
// strings.IndexByte.
func (e escaping) segments(s string, f func(seg string) string) string {
	var b strings.Builder
	last := 0
	for pos := 0; pos < len(s); {
		k := strings.IndexByte(s[pos:], e.anchor)
		if k < 0 {
			break
		}
		// s[pos-1] is a separator (or pos is 0): the stretch holding
		// the anchor starts at pos or later.
		start, end := pos+k, pos+k
		for start > pos && !e.isSep[s[start-1]] {
			start--
		}
		for end < len(s) && !e.isSep[s[end]] {
			end++
		}
		seg := s[start:end]
		if out := f(seg); out != seg {
			b.WriteString(s[last:start])
			b.WriteString(out)
			last = end
		}
		pos = end + 1
	}
	if last == 0 && b.Len() == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// unescape decodes every unit of s; ok is false when s holds none. Every
// unit starts with the anchor, so the bytes between anchors are copied as
// they are.
func (e escaping) unescape(s string) (string, bool) {
	var b strings.Builder
	units, last := 0, 0 // s[last:] is not written yet
	for i := 0; i < len(s); {
		k := strings.IndexByte(s[i:], e.anchor)
		if k < 0 {
			break
		}
		i += k
		n, dec := e.unit(s, i)
		if n == 0 {
			i++
			continue
		}
		if units == 0 {
			b.Grow(len(s))
		}
		units++
		b.WriteString(s[last:i])
		b.WriteString(dec)
		i += n
		last = i
	}
	if units == 0 {
		return "", false
	}
	b.WriteString(s[last:])
	return b.String(), true
}

// splice puts the rewrite d2 of d, the unescaped form of s, back into s:
// the span from the first to the last changed byte is escaped again, the
// rest of s kept as it was. Spans are widened to whole units.
func (e escaping) splice(s, d, d2 string) string {
	p := commonPrefix(forwardView{d}, forwardView{d2})
	q := commonPrefix(reverseView{d[p:]}, reverseView{d2[p:]})
	from, to := p, len(d)-q
	encFrom, encTo, decFrom, decTo := -1, len(s), from, to
	di := 0
	for i := 0; i <= len(s); {
		n, k := 1, 0
		if i < len(s) {
			var dec string
			if n, dec = e.unit(s, i); n == 0 {
				n, dec = 1, s[i:i+1]
			}
			k = len(dec)
		}
		if encFrom < 0 && (di+k > from || i == len(s)) {
			encFrom, decFrom = i, di
		}
		if di >= to && encFrom >= 0 {
			encTo, decTo = i, di
			break
		}
		if i == len(s) {
			break
		}
		di += k
		i += n
	}
	var b strings.Builder
	b.WriteString(s[:encFrom])
	e.escape(&b, d2[decFrom:len(d2)-(len(d)-decTo)])
	b.WriteString(s[encTo:])
	return b.String()
}

func commonPrefix[T interface {
	Len() int
	At(int) byte
}](a, b T) int {
	n := min(a.Len(), b.Len())
	i := 0
	for i < n && a.At(i) == b.At(i) {
		i++
	}
	return i
}

// reverseView reads a string from its end.
type reverseView struct{ s string }

func (r reverseView) Len() int      { return len(r.s) }
func (r reverseView) At(i int) byte { return r.s[len(r.s)-1-i] }

// forwardView reads a string from its start.
type forwardView struct{ s string }

func (f forwardView) Len() int      { return len(f.s) }
func (f forwardView) At(i int) byte { return f.s[i] }

func pctUnit(s string, i int) (int, string) {
	if s[i] != '%' || i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
		return 0, ""
	}
	return 3, string([]byte{unhex(s[i+1])<<4 | unhex(s[i+2])})
}

// pctSafe are the bytes written as they are when escaping for a URL; the
// rest are percent-encoded. "[" and "]" stay so the placeholder reads.
func pctSafe(c byte) bool {
	return isAlnum(c) || strings.IndexByte("-._~*[]!$'(),;:@/", c) >= 0
}

func pctEscape(b *strings.Builder, s string) {
	const hexDigits = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if pctSafe(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
}

// jsonSimple maps the letter after a backslash to the byte it stands for.
var jsonSimple = [256]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

func jsonUnit(s string, i int) (int, string) {
	if s[i] != '\\' || i+1 >= len(s) {
		return 0, ""
	}
	if c := jsonSimple[s[i+1]]; c != 0 {
		return 2, string([]byte{c})
	}
	r, ok := hex4(s, i+2)
	if s[i+1] != 'u' || !ok {
		return 0, ""
	}
	n := 6
	if r >= 0xD800 && r < 0xDC00 { // a surrogate pair's high half
		lo, ok := hex4(s, i+8)
		if i+7 >= len(s) || s[i+6] != '\\' || s[i+7] != 'u' || !ok || lo < 0xDC00 || lo > 0xDFFF {
			return 0, ""
		}
		r, n = 0x10000+(r-0xD800)<<10+(lo-0xDC00), 12
	} else if r >= 0xDC00 && r <= 0xDFFF {
		return 0, ""
	}
	return n, string(r)
}

// hex4 reads four hex digits at s[i:].
func hex4(s string, i int) (rune, bool) {
	if i < 0 || i+4 > len(s) {
		return 0, false
	}
	return codec.Hex4([]byte(s[i : i+4]))
}

func jsonEscape(b *strings.Builder, s string) {
	const hexDigits = "0123456789abcdef"
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		default:
			b.WriteByte(c)
		}
	}
}

// unhex is the value of a hex digit the caller checked.
func unhex(c byte) byte { return byte(codec.Unhex(c)) }

// htmlNamed are the named entities decoded: those an escaper writes.
var htmlNamed = map[string]string{"amp": "&", "lt": "<", "gt": ">", "quot": `"`, "apos": "'", "nbsp": "\u00a0"}

// htmlUnit decodes "&name;", "&#NN;" and "&#xHH;".
func htmlUnit(s string, i int) (int, string) {
	if s[i] != '&' {
		return 0, ""
	}
	end := strings.IndexByte(s[i:min(len(s), i+10)], ';')
	if end < 2 {
		return 0, ""
	}
	name := s[i+1 : i+end]
	if v, ok := htmlNamed[name]; ok {
		return end + 1, v
	}
	if name[0] != '#' || len(name) < 2 {
		return 0, ""
	}
	var r rune
	digits, base := name[1:], rune(10)
	if digits[0] == 'x' || digits[0] == 'X' {
		digits, base = digits[1:], 16
	}
	if digits == "" {
		return 0, ""
	}
	for j := 0; j < len(digits); j++ {
		d := codec.Unhex(digits[j])
		if d < 0 || rune(d) >= base {
			return 0, ""
		}
		r = r*base + rune(d)
	}
	if r == 0 || r > 0x10FFFF || r >= 0xD800 && r <= 0xDFFF {
		return 0, ""
	}
	return end + 1, string(r)
}

func htmlEscape(b *strings.Builder, s string) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		case '\'':
			b.WriteString("&#39;")
		default:
			b.WriteByte(c)
		}
	}
}
