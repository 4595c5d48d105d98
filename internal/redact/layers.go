package redact

import (
	"encoding/base64"
	"strings"

	"github.com/leakwatch/leakwatch/internal/codec"
)

// Limits of the layers opened, those of the leak search (leak.Budgets) so
// that whatever the analysis decodes, redaction decodes too.
const (
	// maxDepth is how many layers are opened below the text as found:
	// URL-encoding of base64 of gzip of JSON escapes is three (a
	// compression counts with the base64 or hex around it).
	maxDepth = 4
	// layerBudget caps the bytes decoding may produce for one value over
	// all its layers: the leak search's cap for one surface of a request
	// (leak.DefaultMaxDecodedValue).
	layerBudget = 32 << 20
	// minB64Run and minHexRun are the shortest runs opened: a password
	// of six characters (minPassword) is 8 in base64 and 12 in hex.
	minB64Run = 8
	minHexRun = 12
)

// layered applies a rewrite (redaction or masking) to a text and to every
// encoded layer inside it: percent-encoding, JSON string escapes, base64
// (standard or URL alphabet, padded or not) and hex runs, and gzip, zlib
// or raw deflate inside those. A layer whose content changed is encoded
// again as it was; one that cannot be (a truncated stream, a stream cut by
// the budget, binary data) is replaced whole by a marker saying why.
type layered struct {
	flat   func(string) string
	held   func(decoded string) string // names what a changed text held ("a password")
	verb   string                      // "redacted" or "masked", for markers
	budget int
	inf    *decoders // reused between layers and texts
}

func newLayered(flat func(string) string, held func(string) string, verb string, inf *decoders) *layered {
	return &layered{flat: flat, held: held, verb: verb, budget: layerBudget, inf: inf}
}

// spend charges n decoded bytes to the budget.
func (l *layered) spend(n int) bool {
	if n > l.budget {
		l.budget = 0
		return false
	}
	l.budget -= n
	return true
}

// rewrite applies the rewrite to s and to the layers inside it.
func (l *layered) rewrite(s string, depth int) string {
	out := l.flat(s)
	if depth >= maxDepth || len(out) < 3 {
		return out
	}
	for _, e := range escapings {
		if strings.IndexByte(out, e.anchor) < 0 {
			continue
		}
		out = e.segments(out, func(seg string) string {
			d, ok := e.unescape(seg)
			if !ok || !l.spend(len(d)) {
				return seg
			}
			if d2 := l.rewrite(d, depth+1); d2 != d {
				return e.splice(seg, d, d2)
			}
			return seg
		})
	}
	return l.runs(out, depth)
}

// marker is what replaces a layer that held something and cannot be
// encoded again.
func (l *layered) marker(what, decoded, why string) string {
	return "[" + l.verb + " by leakwatch: " + what + " held " + l.held(decoded) + "; " + why + "]"
}

// runs opens every base64 and hex run of s.
func (l *layered) runs(s string, depth int) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); {
		if !isB64Char(s[i]) {
			i++
			continue
		}
		j := i + 1
		for j < len(s) && isB64Char(s[j]) {
			j++
		}
		end := j
		for end < len(s) && end-j < 2 && s[end] == '=' {
			end++
		}
		if j-i >= minB64Run && l.budget > 0 {
			if rep, ok := l.run(s[i:j], s[j:end], depth); ok {
				b.WriteString(s[last:i])
				b.WriteString(rep)
				last = end
			} else if rep, ok := l.pathParts(s[i:j], depth); ok {
				b.WriteString(s[last:i])
				b.WriteString(rep)
				last = j
			}
		}
		i = end
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// pathParts opens the parts of a run that holds "/" and did not open
// whole: a URL path's segments ("/v1/collect/<base64url>") are separate
// values whose "/" only looks like base64's.
func (l *layered) pathParts(run string, depth int) (string, bool) {
	if strings.IndexByte(run, '/') < 0 {
		return "", false
	}
	parts := strings.Split(run, "/")
	changed := false
	for k, p := range parts {
		if len(p) < minB64Run {
			continue
		}
		if rep, ok := l.run(p, "", depth); ok {
			parts[k], changed = rep, true
		}
	}
	return strings.Join(parts, "/"), changed
}

// run opens one run (with its padding), returning its replacement when
// anything inside changed.
func (l *layered) run(run, pad string, depth int) (string, bool) {
	if allHexStr(run) {
		return l.hexRun(run, pad, depth)
	}
	enc, name := runEncoding(run)
	if enc == nil {
		return "", false
	}
	text := run
	if len(text)%4 == 1 {
		return "", false
	}
	if !l.spend(enc.DecodedLen(len(text))) {
		return "", false
	}
	raw, err := enc.DecodeString(text)
	if err != nil || len(raw) == 0 {
		return "", false
	}
	if !codec.PlausibleText(raw) && sniffCompression(raw) == "" {
		if mark := l.lzString(run, depth); mark != "" {
			return mark, true
		}
	}
	out, changed, mark := l.inner(raw, name, depth)
	switch {
	case mark != "":
		return mark, true
	case !changed:
		return "", false
	}
	if pad != "" || len(run)%4 == 0 {
		// Padded as sent, or as a padding encoder would have sent it.
		enc = enc.WithPadding(base64.StdPadding)
	}
	return enc.EncodeToString(out), true
}

// minLZRun is the shortest run tried as lz-string (the leak search's).
const minLZRun = 20

// lzString opens a run that may be lz-string's base64 or URI form (which
// pages use to shrink what they send). No encoder is kept here, so a run
// that held something is replaced by a marker; one that did not is left.
func (l *layered) lzString(run string, depth int) string {
	if len(run) < minLZRun {
		return ""
	}
	limit := min(l.budget/2, expansionLimit(len(run))/2) // UTF-16 units: up to 3 bytes each
	// A run neither decoder read as text is remembered when the limit
	// did not depend on the budget: the decoders' output depends on the
	// run and the limit alone.
	var dead hashKey
	free := l.budget >= expansionLimit(len(run)) && l.inf.dead != nil
	if free {
		if dead = l.inf.dead.key(kindNoLZ, run); l.inf.dead.has(dead) {
			return ""
		}
	}
	budget := l.budget
	for _, dec := range []func(string, int) (string, error){codec.LZFromBase64, codec.LZFromURI} {
		out, err := dec(run, limit)
		if len(out) < 4 || !codec.PlausibleText([]byte(out)) || !l.spend(len(out)) {
			continue
		}
		if l.rewrite(out, depth+1) != out {
			why := "not re-encodable"
			if err != nil {
				why += " (" + err.Error() + ")"
			}
			return l.marker("lz-string data", out, why)
		}
		return ""
	}
	if free && l.budget == budget { // nothing spent: neither output was text
		l.inf.dead.add(dead)
	}
	return ""
}

// runEncoding picks a run's alphabet: "-" or "_" say URL, "+" or "/"
// standard, both neither. Plain words and numbers are not base64.
func runEncoding(run string) (*base64.Encoding, string) {
	var seen byte
	for i := 0; i < len(run); i++ {
		seen |= b64Class[run[i]]
	}
	std, url := seen&clsStd != 0, seen&clsURL != 0
	lower, upper, digit := seen&clsLower != 0, seen&clsUpper != 0, seen&clsOther != 0
	switch {
	case std && url, !(lower && upper) && !(digit && (lower || upper)):
		return nil, ""
	case url:
		return base64.RawURLEncoding, "base64url"
	}
	return base64.RawStdEncoding, "base64"
}

// Byte classes of runEncoding and isB64Char.
const (
	clsStd   = 1 << iota // '+' or '/'
	clsURL               // '-' or '_'
	clsLower             // a-z
	clsUpper             // A-Z
	clsOther             // anything else: digits, in a run
	clsB64               // of either base64 alphabet
)

// b64Class maps a byte to its classes: one lookup a byte where a run is
// read (runs are read whole, tens of megabytes of a body).
var b64Class = func() (t [256]byte) {
	for i := range t {
		switch c := byte(i); {
		case c == '+' || c == '/':
			t[i] = clsStd | clsB64
		case c == '-' || c == '_':
			t[i] = clsURL | clsB64
		case c >= 'a' && c <= 'z':
			t[i] = clsLower | clsB64
		case c >= 'A' && c <= 'Z':
			t[i] = clsUpper | clsB64
		case c >= '0' && c <= '9':
			t[i] = clsOther | clsB64
		default:
			t[i] = clsOther
		}
	}
	return t
}()

// hexRun opens a run of hex digits in one case.
func (l *layered) hexRun(run, pad string, depth int) (string, bool) {
	lower, upper := false, false
	for i := 0; i < len(run); i++ {
		lower = lower || run[i] >= 'a' && run[i] <= 'f'
		upper = upper || run[i] >= 'A' && run[i] <= 'F'
	}
	if len(run) < minHexRun || len(run)%2 != 0 || lower && upper || !l.spend(len(run)/2) {
		return "", false
	}
	raw := make([]byte, len(run)/2)
	for k := range raw {
		raw[k] = unhex(run[2*k])<<4 | unhex(run[2*k+1])
	}
	out, changed, mark := l.inner(raw, "hex", depth)
	switch {
	case mark != "":
		return mark + pad, true
	case !changed:
		return "", false
	}
	digits := "0123456789abcdef"
	if upper {
		digits = "0123456789ABCDEF"
	}
	b := make([]byte, 2*len(out))
	for k, c := range out {
		b[2*k], b[2*k+1] = digits[c>>4], digits[c&15]
	}
	return string(b) + pad, true
}

// inner rewrites decoded bytes: compressed data is inflated, rewritten and
// compressed again the same way; text is rewritten; binary data is left
// unless it holds something, then marked. name is the outer encoding.
func (l *layered) inner(raw []byte, name string, depth int) (out []byte, changed bool, mark string) {
	if kind := sniffCompression(raw); kind != "" {
		if out, changed, mark, ok := l.compressed(raw, kind, "data in "+name, true, depth); ok {
			return out, changed, mark
		}
	}
	if codec.PlausibleText(raw) {
		t := l.rewrite(string(raw), depth+1)
		return []byte(t), t != string(raw), ""
	}
	if s := string(raw); l.flat(s) != s {
		return nil, true, l.marker(name+" binary data", s, "not re-encodable")
	}
	return raw, false, ""
}

// compressed undoes the codings (a Content-Encoding header, or one
// sniffed coding) of raw, rewrites the text and encodes it again the same
// way. ok is false when raw does not decode to text (a raw deflate guess
// that was wrong, a compressed image). what names the data in markers.
func (l *layered) compressed(raw []byte, codings, what string, sniffed bool, depth int) (out []byte, changed bool, mark string, ok bool) {
	limit := min(l.budget, expansionLimit(len(raw)))
	inflater := inflate
	// Sniffed bytes that do not inflate to text are remembered when the
	// limit did not depend on the budget: what inflates depends on the
	// bytes, the coding and the limit alone.
	var dead hashKey
	free := sniffed && l.budget >= expansionLimit(len(raw)) && l.inf.dead != nil
	if sniffed {
		inflater = func(kind string, raw []byte, limit int) ([]byte, []string, error) {
			return l.inf.one(kind, raw, limit)
		}
	}
	if free {
		if dead = l.inf.dead.keyBytes(noStream(codings), raw); l.inf.dead.has(dead) {
			return nil, false, "", false
		}
	}
	dec, applied, err := inflater(codings, raw, limit)
	if len(dec) == 0 || !codec.PlausibleText(dec) {
		if free {
			l.inf.dead.add(dead)
		}
		return nil, false, "", false
	}
	if !l.spend(len(dec)) {
		return nil, false, "", false
	}
	text := string(dec)
	t := l.rewrite(text, depth+1)
	if t == text {
		return raw, false, "", true
	}
	what = strings.Join(applied, "+") + " " + what
	if err != nil {
		return nil, true, l.marker(what, text, "not re-encodable ("+err.Error()+")"), true
	}
	comp, err := codec.Encode(applied, []byte(t))
	if err != nil {
		return nil, true, l.marker(what, text, "not re-encodable ("+err.Error()+")"), true
	}
	return comp, true, "", true
}

// isB64Char reports a byte of base64's standard or URL alphabet.
func isB64Char(c byte) bool { return b64Class[c]&clsB64 != 0 }

func allHexStr(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isHex(s[i]) {
			return false
		}
	}
	return true
}
