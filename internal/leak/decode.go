package leak

import (
	"bytes"
	"encoding/base64"
	"errors"
	"html"
	"unicode/utf8"

	"github.com/leakwatch/leakwatch/internal/codec"
)

// Byte classes used to find tokens without allocating.
const (
	cAlnum = 1 << iota
	cB64   // A-Z a-z 0-9 + / - _
	cHex   // 0-9 a-f A-F
	cDigit // 0-9
	cUpper // A-Z
	cLZ    // A-Z a-z 0-9 + - $ (lz-string's URI alphabet)
)

var class [256]uint8

func init() {
	for c := 0; c < 256; c++ {
		b := byte(c)
		var k uint8
		switch {
		case b >= '0' && b <= '9':
			k = cAlnum | cB64 | cHex | cDigit | cLZ
		case b >= 'a' && b <= 'z':
			k = cAlnum | cB64 | cLZ
			if b <= 'f' {
				k |= cHex
			}
		case b >= 'A' && b <= 'Z':
			k = cAlnum | cB64 | cUpper | cLZ
			if b <= 'F' {
				k |= cHex
			}
		case b == '+':
			k = cB64 | cLZ
		case b == '-':
			k = cB64 | cLZ
		case b == '/' || b == '_':
			k = cB64
		case b == '$':
			k = cLZ
		case b >= 0x80:
			k = cAlnum // part of a UTF-8 letter: never a token boundary
		}
		class[c] = k
	}
	for c := range 256 {
		featureClass[c] = featureBits(c)
	}
}

// errCap says a decoder hit the size cap.
var errCap = errors.New("decoded size cap reached")

// decoder is one decoding layer tried at search time. It calls emit for
// each decoded piece with the transforms it applied, outermost first.
// Each checks the value's features first, so a decoder that cannot apply
// costs nothing.
type decoder struct {
	name string
	try  func(s *scanner, v []byte, f features, emit func(out []byte, chain ...string))
}

// features are what one pass over a value learns: which decoders might
// apply to it, and, when the pattern rules are searched, the value's
// textClass (text is set), so that they need no pass of their own.
type features struct {
	pct, amp, esc bool // '%', '&' and '\\' occur
	high          int  // bytes >= 0x80
	b64, hex      int  // longest base64-alphabet and hex runs
	text          bool // class holds the value's textClass
	class         textClass
}

// features is scanFeatures that checks for a stop between megabytes.
// The pattern rules' textClass comes along for values of one chunk.
func (s *scanner) features(v []byte) features {
	if len(v) <= featureChunk {
		return scanFeatures(v, s.opts.Patterns)
	}
	var f features
	for off := 0; off < len(v) && !s.stop(); off += featureChunk {
		// Runs cut at a chunk edge are undercounted: the features only
		// choose which decoders to try, and long runs stay long.
		g := scanFeatures(v[off:min(len(v), off+featureChunk)], false)
		f.pct, f.amp, f.esc = f.pct || g.pct, f.amp || g.amp, f.esc || g.esc
		f.high += g.high
		f.b64, f.hex = max(f.b64, g.b64), max(f.hex, g.hex)
	}
	return f
}

// featureChunk is how much scanFeatures reads between stop checks.
const featureChunk = 1 << 20

// scanFeatures reads v once for its features and, with text, its
// textClass.
func scanFeatures(v []byte, text bool) features {
	var f features
	if len(v) < 16 { // too short for any run decoder or lz-string
		f.pct = bytes.IndexByte(v, '%') >= 0
		f.amp = bytes.IndexByte(v, '&') >= 0
		f.esc = bytes.IndexByte(v, '\\') >= 0
		if text {
			f.text, f.class = true, classify(v)
		}
		return f
	}
	// Branch-free: random IDs make the hex and digit tests a coin toss
	// per byte, which a branch predictor cannot learn.
	var b64, hx, dr, maxB64, maxHex, maxRun, high, digits int
	var seen, has uint8
	for _, c := range v {
		k := featureClass[c]
		seen |= k
		b64 = (b64 + 1) * int(k&fRun)
		maxB64 = max(maxB64, b64)
		hx = (hx + 1) * int(k>>1&1) // fHex
		maxHex = max(maxHex, hx)
		high += int(k >> 7)  // fHigh is the top bit
		d := int(k >> 5 & 1) // fDigit
		digits += d
		dr = (dr + 1) * d
		maxRun = max(maxRun, dr)
		has |= anchorBits[c] // no digit sets an anchor bit
	}
	f.b64, f.hex, f.high = maxB64, maxHex, high
	f.pct, f.amp, f.esc = seen&fPct != 0, seen&fAmp != 0, seen&fEsc != 0
	if text {
		f.text, f.class = true, textClass{digits: digits, run: maxRun, has: has}
	}
	return f
}

// decoders run in this order on every value below the depth limit.
var decoders = []decoder{
	{"url", tryURL},
	{"html", tryHTML},
	{"json-escape", tryJSONEscape},
	{"base64", tryBase64Runs},
	{"hex", tryHexRuns},
	{"lz-string", tryLZUnicode},
}

func tryHTML(s *scanner, v []byte, f features, emit func([]byte, ...string)) {
	if !f.amp {
		return
	}
	amp := bytes.IndexByte(v, '&')
	if amp < 0 || bytes.IndexByte(v[amp:], ';') < 0 {
		return
	}
	if !s.spend(len(v)) { // unescaping never lengthens text
		return
	}
	out := html.UnescapeString(string(v))
	if out != string(v) {
		emit([]byte(out), "html")
	}
}

func tryJSONEscape(s *scanner, v []byte, f features, emit func([]byte, ...string)) {
	if !f.esc || !bytes.Contains(v, []byte(`\u`)) && !bytes.Contains(v, []byte(`\"`)) && !bytes.Contains(v, []byte(`\/`)) {
		return
	}
	if s.spend(len(v)) { // unescaping never lengthens text
		emit(codec.UnescapeJSON(v), "json-escape")
	}
}

// runs calls fn for each maximal run of bytes in class k at least min long.
func runs(v []byte, k uint8, min int, fn func(start, end int) bool) {
	for i := 0; i < len(v); {
		if class[v[i]]&k == 0 {
			i++
			continue
		}
		j := i + 1
		for j < len(v) && class[v[j]]&k != 0 {
			j++
		}
		if j-i >= min && !fn(i, j) {
			return
		}
		i = j
	}
}

// maxRunsPerValue bounds the decoding attempts on one value.
const maxRunsPerValue = 512

// minB64Run is the shortest run worth decoding as base64: 12 bytes of
// text. Shorter base64 forms of persona values are pool candidates.
const minB64Run = 16

func tryBase64Runs(s *scanner, v []byte, f features, emit func([]byte, ...string)) {
	if f.b64 < minB64Run {
		return
	}
	n := 0
	runs(v, cB64|cLZ, minB64Run, func(i, j int) bool {
		n++
		run := v[i:j]
		padded := j < len(v) && v[j] == '='
		s.decodeB64Run(run, padded, emit)
		return n < maxRunsPerValue && !s.stop()
	})
}

// decodeB64Run decodes one run that may be base64, base64url or lz-string.
func (s *scanner) decodeB64Run(run []byte, padded bool, emit func([]byte, ...string)) {
	std, url, dollar, lower, upper, digit := runShape(run)
	// Plain words, numbers and hex are not base64 worth decoding.
	if allHex(run) {
		return
	}
	if dollar || !(lower && upper) && !(digit && (lower || upper)) {
		if dollar && codec.LZMayStart(run, true) {
			s.tryLZRun(run, true, emit)
		}
		return
	}
	enc, name := base64.RawStdEncoding, "base64"
	if url {
		if std && bytes.IndexByte(run, '/') >= 0 {
			return
		}
		enc, name = base64.RawURLEncoding, "base64url"
	} else if !std && !padded && len(run)%4 != 0 {
		name = "base64url" // unpadded, no telling characters: the URL form
	}
	text, cut := s.b64Prefix(run, enc)
	if len(text) == 0 || !s.spend(enc.DecodedLen(len(text))) {
		return
	}
	// Decoded into a buffer of this run's own, kept for the next run: a
	// run found inside what this one decodes to takes the next buffer.
	out := s.pushB64(enc.DecodedLen(len(text)))
	defer s.popB64()
	n, err := enc.Decode(out, text)
	if err != nil || n == 0 {
		return
	}
	out = out[:n]
	if s.binary(out, emit, name, true) || cut {
		return
	}
	// Not base64 of anything readable: it may be lz-string's base64 or URI
	// form (the alphabets differ only in '/', '=', '-' and '$').
	hasUnder := bytes.IndexByte(run, '_') >= 0
	switch {
	case len(run) < 20:
	case !url && codec.LZMayStart(run, false):
		s.tryLZRun(run, false, emit)
	case url && !hasUnder && bytes.IndexByte(run, '/') < 0 && codec.LZMayStart(run, true):
		s.tryLZRun(run, true, emit)
	}
}

// pushB64 returns a buffer of n bytes for a base64 run's decoding, not
// used by any run being searched; popB64 hands it back.
func (s *scanner) pushB64(n int) []byte {
	if s.b64Top == len(s.b64) {
		s.b64 = append(s.b64, nil)
	}
	b := s.b64[s.b64Top]
	if cap(b) < n {
		b = make([]byte, n)
		s.b64[s.b64Top] = b
	}
	s.b64Top++
	return b[:n]
}

func (s *scanner) popB64() { s.b64Top-- }

// tryLZRun is tryLZ for lz-string's base64 (uri false) and URI forms,
// decoding into the scanner's reused buffers: most runs tried are random
// IDs that are not lz-string at all.
func (s *scanner) tryLZRun(run []byte, uri bool, emit func([]byte, ...string)) {
	if s.lz == nil {
		s.lz = new(codec.LZDecoder)
	}
	ratioLimit := s.b.expansionLimit(len(run))
	limit := min(s.budget/2, ratioLimit) // UTF-16 units: up to 3 bytes each in UTF-8
	out, units, err := s.lz.Base64(run, uri, limit)
	s.lzOutput(out, units, err, limit, ratioLimit, emit)
}

// b64Prefix is the part of a base64 run to decode: all of it, or, when
// its decoded size passes the budget (a run cut by an outer layer's
// limit, or longer than the value's cap), its leading whole 4-character
// groups that fit in room, with cut set and the cap warned about.
func (s *scanner) b64Prefix(run []byte, enc *base64.Encoding) (text []byte, cut bool) {
	text = run
	if len(text)%4 == 1 { // truncated: drop the dangling character
		text = text[:len(text)-1]
	}
	if enc.DecodedLen(len(text)) <= s.budget {
		return text, false
	}
	s.capHit = true
	keep := s.room() / 3 * 4
	if keep < minB64Run {
		return nil, true // nothing worth decoding fits
	}
	return text[:keep], true
}

// binary handles decoded bytes: text is emitted, compressed data is
// inflated first. It reports whether out was recognised.
func (s *scanner) binary(out []byte, emit func([]byte, ...string), name string, rawDeflate bool) bool {
	switch {
	case codec.IsGzip(out):
		if dec, err := s.inflate("gzip", out); usable(dec, err) {
			emit(dec, name, "gzip")
			return true
		}
	case len(out) > 2 && codec.IsZlib(out):
		if dec, err := s.inflate("zlib", out); usable(dec, err) {
			emit(dec, name, "zlib")
			return true
		}
	}
	if codec.PlausibleText(out) {
		emit(out, name)
		return true
	}
	// Raw deflate has no header: only try it on blocks that say they are
	// Huffman-coded (BTYPE 01 or 10), never stored or reserved.
	if bt := out[0] >> 1 & 3; rawDeflate && len(out) >= 24 && (bt == 1 || bt == 2) && deflateMayStart(out) {
		if dec, err := s.inflate("deflate", out); len(dec) >= 4 && usable(dec, err) {
			emit(dec, name, "deflate")
			return true
		}
	}
	return false
}

// tryLZ decodes lz-string, its output bounded by the expansion limit and
// the budget; output cut at the expansion limit is searched and warned
// about, as an inflated zip bomb is.
func (s *scanner) tryLZ(in string, f func(string, int) (string, error), emit func([]byte, ...string)) {
	ratioLimit := s.b.expansionLimit(len(in))
	limit := min(s.budget/2, ratioLimit) // UTF-16 units: up to 3 bytes each in UTF-8
	out, err := f(in, limit)
	units := 0
	if fail, _ := err.(*codec.LZError); fail != nil || err != nil && errors.As(err, &fail) {
		units = fail.Units // as the codec returns it: no reflection per try
	}
	s.lzOutput([]byte(out), units, err, limit, ratioLimit, emit)
}

// lzOutput charges and searches what an lz-string decoder made of a
// value decoded up to limit code units (ratioLimit is the expansion
// limit's share): text is emitted; a stream that broke is charged the
// units it made before it broke.
func (s *scanner) lzOutput(out []byte, units int, err error, limit, ratioLimit int, emit func([]byte, ...string)) {
	switch {
	case errors.Is(err, codec.ErrLZLimit):
		// The work was done: charge it, whether or not it reads as text.
		if !s.spend(len(out)) || limit < ratioLimit {
			s.capHit = true
			return
		}
		if len(out) >= 4 && codec.PlausibleText(out) {
			s.warnf("lz-string output cut at %d× its input (%s); data past it was not searched (raise with --max-expansion)", s.b.MaxExpansion, size(limit))
			emit(bytes.Clone(out), "lz-string")
		}
		return
	case err != nil:
		if units > 0 {
			s.spend(units) // a crafted stream may work hard before it breaks
		}
		return
	}
	if len(out) < 4 || !codec.PlausibleText(out) || !s.spend(len(out)) {
		return
	}
	emit(bytes.Clone(out), "lz-string")
}

func tryHexRuns(s *scanner, v []byte, f features, emit func([]byte, ...string)) {
	if f.hex < 16 {
		return
	}
	n := 0
	runs(v, cHex, 16, func(i, j int) bool {
		n++
		run, ok := s.hexPrefix(v[i:j], j == len(v))
		if !ok {
			return n < maxRunsPerValue && s.budget > 0
		}
		if !s.spend(len(run) / 2) {
			return false
		}
		out := make([]byte, len(run)/2)
		for k := range out {
			out[k] = byte(codec.Unhex(run[2*k])<<4 | codec.Unhex(run[2*k+1]))
		}
		s.binary(out, emit, "hex", false)
		return n < maxRunsPerValue && !s.stopped
	})
}

// hexPrefix is the part of a hex run to decode: all of it, or, when its
// decoded size passes the budget, its leading part that fits in room,
// with the cap warned about. An odd run is not hex bytes unless it is long
// and ends the value, as one cut by an outer layer's limit does: then its
// dangling digit is dropped.
func (s *scanner) hexPrefix(run []byte, atEnd bool) ([]byte, bool) {
	if len(run)/2 > s.budget {
		s.capHit = true
		run = run[:s.room()*2]
		return run, len(run) >= 16
	}
	if len(run)%2 != 0 {
		if !atEnd || len(run) < 64 {
			return nil, false
		}
		run = run[:len(run)-1]
	}
	return run, true
}

// tryLZUnicode tries lz-string's UTF-16 and raw forms on text that is
// mostly non-ASCII, which is how those outputs look once decoded.
func tryLZUnicode(s *scanner, v []byte, f features, emit func([]byte, ...string)) {
	if len(v) < 16 || f.high*2 < len(v) || !utf8.Valid(v) {
		return
	}
	var total, high int
	for _, r := range string(v) {
		total++
		if r >= 0x80 {
			high++
		}
	}
	if total < 6 || high*10 < total*7 {
		return
	}
	s.tryLZ(string(v), codec.LZFromUTF16, emit)
	s.tryLZ(string(v), codec.LZRaw, emit)
}

func allHex(b []byte) bool {
	for _, c := range b {
		if class[c]&cHex == 0 {
			return false
		}
	}
	return true
}
