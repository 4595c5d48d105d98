package consent

import (
	"strings"

	"github.com/leakwatch/leakwatch/internal/codec"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// pairScanner walks the name=value parts of a query, path or form body
// without copying or unescaping them: parts split at any of seps, empty
// parts and parts without "=" or with an empty name skipped, at most
// maxPairs. Callers unescape the few names and values a channel reads.
type pairScanner struct {
	s    string
	seps string // one or two ASCII bytes
	n    int
}

// next returns the next part's raw name and value; ok is false at the end.
func (p *pairScanner) next() (name, value string, ok bool) {
	a, b := p.seps[0], p.seps[len(p.seps)-1]
	for len(p.s) > 0 {
		eq, end := -1, 0
		for ; end < len(p.s); end++ {
			if c := p.s[end]; c == a || c == b {
				break
			} else if c == '=' && eq < 0 {
				eq = end
			}
		}
		part := p.s[:end]
		if end < len(p.s) {
			p.s = p.s[end+1:]
		} else {
			p.s = ""
		}
		if eq <= 0 {
			continue // no "=", or an empty name
		}
		if p.n++; p.n > maxPairs {
			p.s = ""
			return "", "", false
		}
		return part[:eq], part[eq+1:], true
	}
	return "", "", false
}

// eachCookie calls fn with the name and raw value of each cookie sent:
// the Cookie headers' (every part holding "="), then the recorded ones
// the headers did not hold (HAR exporters record both), at most maxPairs.
func eachCookie(h traffic.Headers, cookies []traffic.Cookie, fn func(name, value string)) {
	n := 0
	var seen map[[2]string]bool // only needed to skip recorded cookies
	if len(cookies) > 0 {
		seen = map[[2]string]bool{}
	}
	for _, v := range h.Values("Cookie") {
		for v != "" {
			part := v
			if end := strings.IndexByte(v, ';'); end >= 0 {
				part, v = v[:end], v[end+1:]
			} else {
				v = ""
			}
			name, value, ok := strings.Cut(strings.TrimSpace(part), "=")
			if !ok || n >= maxPairs {
				continue
			}
			if seen != nil {
				seen[[2]string{name, value}] = true
			}
			n++
			fn(name, value)
		}
	}
	for _, c := range cookies {
		key := cookieKey(c)
		if !seen[key] && n < maxPairs {
			seen[key] = true
			n++
			fn(c.Name, c.Value)
		}
	}
}

// cookieKey is a recorded cookie as a Cookie header part splits: name up
// to the first "=" (a name holding one, however odd, is not told apart
// from the header's).
func cookieKey(c traffic.Cookie) [2]string {
	if i := strings.IndexByte(c.Name, '='); i >= 0 {
		return [2]string{c.Name[:i], c.Name[i+1:] + "=" + c.Value}
	}
	return [2]string{c.Name, c.Value}
}

// isNameByte marks the bytes that may stand in a field name.
var isNameByte = func() (t [256]bool) {
	for c := range 256 {
		t[c] = nameByte(byte(c))
	}
	return t
}()

// nameByte reports a byte that may stand in a field name.
func nameByte(c byte) bool {
	return c == '_' || c == '-' || c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'z'
}

// bodyMayCarry reports whether a body may hold a consent field: a channel's
// name as a whole run of name bytes ("gdpr_consent" in a JSON key or a
// form field), not merely inside a longer name or the word "consent"
// inside running text. (Every channel name is name bytes holding an
// anchor, so this is the run around any anchor that names a channel.)
func bodyMayCarry(body string) bool {
	may, _ := bodyNames(body)
	return may
}

// bodyEscapesName reports whether a body holds a channel's name only once
// unescaped: a name byte written as a %XX escape (a form's "gdpr%5Fconsent")
// or a \u00XX one (JSON's "gdpr\u005fconsent") splits the name's run for
// bodyNames. Bodies with neither '%' nor '\\', most, cost one byte search.
func bodyEscapesName(body string) bool {
	pct, uni := false, false
	for i := 0; i < len(body); i++ {
		j := strings.IndexAny(body[i:], `%\`)
		if j < 0 {
			break
		}
		i += j
		switch {
		case body[i] == '%' && i+2 < len(body):
			if c, ok := unhex2(body[i+1], body[i+2]); ok && isNameByte[c] {
				pct = true
			}
		case body[i] == '\\' && i+5 < len(body) && body[i+1] == 'u' && body[i+2] == '0' && body[i+3] == '0':
			if c, ok := unhex2(body[i+4], body[i+5]); ok && isNameByte[c] {
				uni = true
			}
		}
	}
	return pct && bodyMayCarry(codec.QueryUnescape(body)) || uni && bodyMayCarry(unescapeJSONNameBytes(body))
}

// unescapeJSONNameBytes replaces each \u00XX escape of a name byte with
// the byte (other escapes stay as written).
func unescapeJSONNameBytes(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+5 < len(s) && s[i+1] == 'u' && s[i+2] == '0' && s[i+3] == '0' {
			if c, ok := unhex2(s[i+4], s[i+5]); ok && isNameByte[c] {
				b.WriteByte(c)
				i += 5
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// unhex2 decodes two hexadecimal digits.
func unhex2(a, b byte) (byte, bool) {
	x, y := codec.Unhex(a), codec.Unhex(b)
	return byte(x<<4 | y), x >= 0 && y >= 0
}

// bodyNames reads a body's runs of name bytes once: may is bodyMayCarry,
// quoted whether a run naming a channel read in JSON stands between
// double quotes, as a JSON key does.
func bodyNames(s string) (may, quoted bool) {
	for i := 0; i < len(s); {
		if !isNameByte[s[i]] {
			i++
			continue
		}
		j := i + 1
		for j < len(s) && isNameByte[s[j]] {
			j++
		}
		if run := s[i:j]; channelNames.mayHold(run) && isChannel(run, inQuery|inForm|inJSON|inCookie) {
			may = true
			if i > 0 && s[i-1] == '"' && j < len(s) && s[j] == '"' && isChannel(run, inJSON) {
				return true, true
			}
		}
		i = j
	}
	return may, false
}

// isChannel reports whether name is a channel's read at one of at.
func isChannel(name string, at place) bool {
	_, ok := channelFor(name, at)
	return ok
}

// jsonMayName reports whether a JSON text may have a key naming a channel
// read in JSON: one written as is between quotes (quoted, of bodyNames),
// or one that only decodes to one (a \u escape, or a non-ASCII letter
// folding to an ASCII one: "ſ", "K"). A body that cannot is not decoded.
func jsonMayName(s string, quoted bool) bool {
	return quoted || strings.Contains(s, `\u`) || strings.Contains(s, "ſ") || strings.Contains(s, "\u212a")
}
