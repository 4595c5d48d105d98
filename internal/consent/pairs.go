package consent

import (
	"strings"

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
