package leak

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"unicode"
	"unicode/utf8"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// ScanOptions chooses what Scan looks for besides persona values.
type ScanOptions struct {
	// Patterns also looks for value patterns (emails, phone numbers,
	// addresses, tracking numbers, cards, SSNs) without a persona.
	Patterns bool
}

// Result is what Scan found in one request.
type Result struct {
	Matches  []Match
	Patterns []PatternMatch
	// Warnings say where decoding stopped: a size cap hit, a body that
	// claimed an encoding it did not have.
	Warnings []string
}

// maxNest bounds structure inside values (JSON in a form field in JSON...).
const maxNest = 6

// matchKey identifies a finding. The value is part of it so that two
// tracking numbers in one field are two findings.
type matchKey struct {
	persona               int
	field, value, ch, loc string
}

type patternKey struct{ rule, value, ch, loc string }

// scanner holds the state of one Scan call.
type scanner struct {
	p      *Pool
	opts   ScanOptions
	index  int
	ch     string // channel of the surface being searched
	res    Result
	seen   map[matchKey]int
	pseen  map[patternKey]bool
	budget int // decoded bytes this surface may still produce
	spent  int // decoded bytes produced by earlier surfaces
	// skipWarn is set once the request's budget is spent and reported.
	skipWarn bool
	capHit   bool
	names    map[[2]string]string
	flate    io.ReadCloser     // reused raw-deflate reader
	paths    map[string]string // interned JSON paths
}

// Scan searches every channel of a request, and what its response hands to
// the next hop, for the pool's values. It is safe for concurrent use and
// returns findings in a deterministic order (the order of discovery).
func (p *Pool) Scan(r *traffic.Request, opts ScanOptions) Result {
	if r == nil || p == nil {
		return Result{}
	}
	s := &scanner{p: p, opts: opts, index: r.Index, seen: map[matchKey]int{}, pseen: map[patternKey]bool{}}
	s.request(r)
	return s.res
}

var patternPool, _ = NewPool(nil)

// ScanPatterns looks for value patterns (emails, phone numbers, US
// addresses, parcel tracking numbers, payment cards, SSNs) in a request,
// without a persona.
func ScanPatterns(r *traffic.Request) []PatternMatch {
	return patternPool.Scan(r, ScanOptions{Patterns: true}).Patterns
}

// maxDecodedRequest caps decoding over all the surfaces of one request
// (a socket can carry thousands of frames).
const maxDecodedRequest = 4 * MaxDecodedBody

// surface runs fn with a fresh decoding budget and warns if it ran out.
func (s *scanner) surface(what string, fn func()) {
	start := min(MaxDecodedBody, maxDecodedRequest-s.spent)
	if s.skipWarn {
		fn() // budget spent and said so: search without decoding
		return
	}
	s.budget, s.capHit = start, false
	fn()
	s.spent += start - max(s.budget, 0)
	switch {
	case start <= 0 || s.capHit && start < MaxDecodedBody:
		s.warnf("decoding stopped at %s: the request's %d MB decoding budget was spent; data past it was not searched", what, maxDecodedRequest>>20)
		s.spent = maxDecodedRequest
		s.skipWarn = true
	case s.capHit:
		s.warnf("%s: decoding stopped at the %d MB cap per body; data past it was not searched", what, MaxDecodedBody>>20)
	}
}

func (s *scanner) warnf(format string, args ...any) {
	msg := fmt.Sprintf("request %d: ", s.index) + fmt.Sprintf(format, args...)
	if !slices.Contains(s.res.Warnings, msg) {
		s.res.Warnings = append(s.res.Warnings, msg)
	}
}

// spend charges n decoded bytes to the budget; false when it is spent.
func (s *scanner) spend(n int) bool {
	if n > s.budget {
		s.capHit = true
		s.budget = 0
		return false
	}
	s.budget -= n
	return true
}

// join names a field inside another ("data > properties.$email"). Names
// repeat across array elements and events, so they are interned.
func (s *scanner) join(loc, name string) string {
	switch {
	case loc == "":
		return name
	case name == "":
		return loc
	}
	k := [2]string{loc, name}
	if j, ok := s.names[k]; ok {
		return j
	}
	j := loc + " > " + name
	if s.names == nil {
		s.names = map[[2]string]string{}
	}
	s.names[k] = j
	return j
}

func join(loc, name string) string {
	if loc == "" || name == "" {
		return loc + name
	}
	return loc + " > " + name
}

// field searches one value, splitting structure (JSON, a nested URL, a
// form) so that findings name the innermost field.
func (s *scanner) field(loc string, v []byte, chain []string, depth, nest int) {
	if len(v) == 0 {
		return
	}
	if nest < maxNest {
		switch {
		case looksJSON(v):
			pos, err := walkJSON(v, func(path []byte, leaf []byte) {
				s.field(s.join(loc, s.intern(path)), leaf, chain, depth, nest+1)
			})
			if err == nil {
				return
			}
			v = v[pos:] // search what did not parse as text
		case bytes.HasPrefix(v, []byte("tv.1~")):
			s.googleTokens(loc, v, chain, depth, nest)
			return
		case looksURL(v):
			s.nestedURL(loc, v, chain, depth, nest)
			return
		case looksForm(v):
			s.form(loc, v, chain, depth, nest)
			return
		}
	}
	s.leaf(loc, v, chain, depth, nest)
}

// leaf matches a value, then tries each decoding layer on it.
func (s *scanner) leaf(loc string, v []byte, chain []string, depth, nest int) {
	f := scanFeatures(v)
	s.matchText(loc, v, chain)
	if f.b64 >= 22 {
		s.matchDigests(loc, v, chain)
	}
	if s.opts.Patterns {
		s.matchPatterns(loc, v, chain)
	}
	if depth >= maxDepth || s.budget <= 0 {
		return
	}
	if !f.pct && !f.amp && !f.esc && f.b64 < minB64Run && f.hex < 16 && f.high*2 < len(v) {
		return // no decoder applies: the common case, kept free of allocations
	}
	emit := func(out []byte, names ...string) {
		next := append(slices.Clip(chain), names...)
		s.field(loc, out, next, depth+1, nest)
	}
	for _, d := range decoders {
		d.try(s, v, f, emit)
	}
}

func (s *scanner) matchText(loc string, v []byte, chain []string) {
	if s.p.ac == nil || len(v) < 2 {
		return
	}
	type hit struct {
		c          *candidate
		start, end int
	}
	var hits []hit
	for _, m := range s.p.ac.FindAllOverlapping(v) {
		for _, ci := range s.p.patterns[m.PatternID] {
			c := &s.p.cands[ci]
			// A path segment "ca" or "us" is a locale far more often than
			// a state or a country: short values count there only hashed.
			if c.short && s.ch == ChannelURLPath {
				continue
			}
			if fits(c, v, m.Start, m.End) {
				hits = append(hits, hit{c, m.Start, m.End})
			}
		}
	}
	// A value inside a longer value of the same persona ("alice" inside
	// "alice.smith@example.com") is part of that one, not a finding.
	for i, h := range hits {
		inside := false
		for j, o := range hits {
			if j != i && o.c.persona == h.c.persona && o.c.field != h.c.field &&
				o.start <= h.start && o.end >= h.end && o.end-o.start > h.end-h.start {
				inside = true
				break
			}
		}
		if !inside {
			s.record(h.c, loc, chain, nil, v[h.start:h.end])
		}
	}
}

// fits reports whether a text match stands as a whole token, so that a
// short value never matches inside a longer word or number.
func fits(c *candidate, v []byte, start, end int) bool {
	switch c.kind {
	case kindBase64:
		return (start == 0 || class[v[start-1]]&cB64 == 0) &&
			(end == len(v) || v[end] == '=' || class[v[end]]&cB64 == 0)
	default:
		if wordBefore(v, start) || wordAfter(v, end) {
			return false
		}
		return !c.short || shortContext(v, start, end)
	}
}

// wordBefore reports a letter or digit (ASCII or any UTF-8 letter) just
// before v[i]; bytes that are not UTF-8 (binary frames) are boundaries.
func wordBefore(v []byte, i int) bool {
	if i == 0 {
		return false
	}
	if c := v[i-1]; c < 0x80 {
		return class[c]&cAlnum != 0
	}
	r, _ := utf8.DecodeLastRune(v[:i])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func wordAfter(v []byte, i int) bool {
	if i >= len(v) {
		return false
	}
	if c := v[i]; c < 0x80 {
		return class[c]&cAlnum != 0
	}
	r, _ := utf8.DecodeRune(v[i:])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// shortContext accepts a value of three characters or fewer (a state or
// country code) only as a whole field, after "key=" or "key:", as a
// "~key0.value" token (Google's tv.1 strings) or after ", " in an address.
func shortContext(v []byte, start, end int) bool {
	after := end == len(v) || bytes.IndexByte([]byte("&;~,|\"' \n\r\t"), v[end]) >= 0
	if !after {
		return false
	}
	if start == 0 {
		return true
	}
	switch v[start-1] {
	case '=', ':':
		return true
	case ' ':
		return start >= 2 && v[start-2] == ','
	case '.':
		j, digit := start-2, false
		for ; j >= 0 && start-2-j < 6 && class[v[j]]&cAlnum != 0; j-- {
			digit = digit || class[v[j]]&cDigit != 0
		}
		return digit && j < start-2 && (j < 0 || v[j] == '~')
	}
	return false
}

// hexDigestLens are hex lengths of the digests the pool can hold.
var hexDigestLens = map[int]bool{32: true, 40: true, 56: true, 64: true, 96: true, 128: true}

func (s *scanner) matchDigests(loc string, v []byte, chain []string) {
	if len(s.p.digests) == 0 {
		return
	}
	runs(v, cB64, 22, func(i, j int) bool {
		end := j
		for end < len(v) && v[end] == '=' && end-j < 2 {
			end++
		}
		if !s.digestToken(loc, v[i:j], v[i:end], chain) {
			s.digestPieces(loc, v[i:j], chain)
		}
		return true
	})
}

// digestPieces retries a run split on base64's punctuation, for digests
// inside paths ("/u/<hex>") or joined with dashes.
func (s *scanner) digestPieces(loc string, run []byte, chain []string) {
	if bytes.IndexAny(run, "/+-_") < 0 {
		return
	}
	start := 0
	for k := 0; k <= len(run); k++ {
		if k == len(run) || class[run[k]]&cAlnum == 0 {
			if k-start >= 32 {
				s.digestToken(loc, run[start:k], run[start:k], chain)
			}
			start = k + 1
		}
	}
}

// digestToken decodes a token of digest length and looks it up.
func (s *scanner) digestToken(loc string, run, padded []byte, chain []string) bool {
	var raw [64]byte
	var d []byte
	var spelling []string
	n := len(run)
	allHex := true
	var upper, lower bool
	for _, c := range run {
		k := class[c]
		allHex = allHex && k&cHex != 0
		upper = upper || k&cUpper != 0
		lower = lower || c >= 'a' && c <= 'z'
	}
	switch {
	case allHex && hexDigestLens[n]:
		if _, err := hex.Decode(raw[:n/2], run); err != nil {
			return false
		}
		d = raw[:n/2]
		if upper && !lower {
			spelling = []string{"uppercase"}
		}
	case n%4 != 1 && n*3/4 <= 64 && s.p.digLens[n*3/4]:
		enc, name := base64.RawStdEncoding, "base64"
		if bytes.IndexAny(run, "-_") >= 0 {
			enc, name = base64.RawURLEncoding, "base64url"
		} else if len(padded) == len(run) && n%4 != 0 {
			name = "base64url" // unpadded: Google's form
		}
		m, err := enc.Decode(raw[:], run)
		if err != nil {
			return false
		}
		d, spelling = raw[:m], []string{name}
	default:
		return false
	}
	ids, ok := s.p.digests[string(d)]
	if !ok {
		return false
	}
	for _, ci := range ids {
		s.record(&s.p.cands[ci], loc, chain, spelling, padded)
	}
	return true
}

// record adds a match, keeping per (persona, field, value, channel,
// location) the one with the fewest transforms.
func (s *scanner) record(c *candidate, loc string, chain, spelling []string, evidence []byte) {
	enc := make([]string, 0, len(chain)+len(spelling)+len(c.chain))
	enc = append(append(append(enc, chain...), spelling...), c.chain...)
	key := matchKey{c.persona, c.field, c.value, s.ch, loc}
	if i, ok := s.seen[key]; ok {
		if len(enc) >= len(s.res.Matches[i].Encoding) {
			return
		}
		s.res.Matches[i].Encoding = enc
		s.res.Matches[i].Evidence = cut(evidence)
		return
	}
	s.seen[key] = len(s.res.Matches)
	s.res.Matches = append(s.res.Matches, Match{
		Persona:  s.p.labels[c.persona],
		Field:    c.field,
		Value:    c.value,
		Channel:  s.ch,
		Location: loc,
		Encoding: enc,
		Evidence: cut(evidence),
	})
}

// cut copies at most 200 bytes of evidence, not splitting a UTF-8 rune.
func cut(b []byte) string {
	if len(b) <= 200 {
		return string(b)
	}
	n := 200
	for n > 0 && b[n]&0xc0 == 0x80 {
		n--
	}
	return string(b[:n])
}

// intern returns path as a string, allocating once per distinct path.
func (s *scanner) intern(path []byte) string {
	if p, ok := s.paths[string(path)]; ok {
		return p
	}
	if s.paths == nil {
		s.paths = map[string]string{}
	}
	p := string(path)
	s.paths[p] = p
	return p
}

// googleTokens searches Google's enhanced-conversions value
// ("tv.1~em.<hash>~pn.<hash>~fn0.<hash>~pc0.94577~co0.us") token by token,
// naming each "tv.1~<key>" so a finding says which slot carried the value.
func (s *scanner) googleTokens(loc string, v []byte, chain []string, depth, nest int) {
	for _, tok := range bytes.Split(v, []byte("~"))[1:] {
		key, val, ok := bytes.Cut(tok, []byte("."))
		if !ok || len(key) == 0 {
			s.leaf(loc, tok, chain, depth, nest)
			continue
		}
		s.field(s.join(loc, s.intern(append([]byte("tv.1~"), key...))), val, chain, depth, nest+1)
	}
}
