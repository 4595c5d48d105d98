package leak

import (
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/leakwatch/leakwatch/internal/codec"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// Result is what Scan found in one request.
type Result struct {
	Matches  []Match
	Patterns []PatternMatch
	// Dropped counts, per value, the findings past the request's finding
	// budget (Budgets.MaxFindings) that were not listed.
	Dropped []Dropped `json:",omitempty"`
	// Warnings say where decoding stopped: a budget hit (naming the flag
	// that raises it), a body that claimed an encoding it did not have, a
	// scan stopped early.
	Warnings []string
}

// maxNest bounds structure inside values (JSON in a form field in JSON...).
const maxNest = 6

// maxWarnings bounds the warnings of one request.
const maxWarnings = 20

// matchKey identifies a finding. The value is part of it so that two
// tracking numbers in one field are two findings.
type matchKey struct {
	persona               int
	field, value, ch, loc string
	partial               int
}

type patternKey struct{ rule, value, ch, loc string }

// dropKey names the value a finding past the budget is counted under.
type dropKey struct {
	persona     int
	field, rule string
	value       string
}

// scanner holds the state of one Scan call.
type scanner struct {
	p     *Pool
	opts  ScanOptions
	b     Budgets // opts.Budgets with defaults
	index int
	ch    string // channel of the surface being searched
	res   Result
	seen  map[matchKey]int
	pseen map[patternKey]int
	drops map[dropKey]int // index in res.Dropped
	// unlisted counts findings past the budget, listed in Dropped or not.
	unlisted int
	budget   int // decoded bytes this surface may still produce
	wire     int // bytes of values as sent charged to this surface
	spent    int // decoded bytes produced by earlier surfaces
	// skipWarn is set once the request's budget is spent and reported.
	skipWarn bool
	capHit   bool
	depthHit bool // a value at the depth limit held more encoded data
	stopped  bool
	// noWireCharge is set while searching a body its Content-Encoding
	// was undone for: inflating charged those bytes already.
	noWireCharge bool
	// scratch holds the decoded pair value at each nesting level.
	scratch [maxNest + 1][]byte
	// sent holds a value as sent (a cookie) while it is searched: the
	// search keeps no reference into it, so one buffer serves them all.
	sent []byte
	// jsonDeep and nestDeep are set once a nesting limit was warned about.
	jsonDeep, nestDeep bool
	// finishing lets the end-of-scan warnings past maxWarnings.
	finishing bool
	names     map[[2]string]string
	inflater  codec.Inflater   // reuses its raw-deflate reader
	lz        *codec.LZDecoder // reuses its buffers; nil until needed
	// b64 holds the bytes decodeB64Run decoded, one buffer per run being
	// searched (a decoded run may hold another): b64[:b64Top] are in use.
	b64     [][]byte
	b64Top  int
	paths   map[string]string // interned JSON paths
	pending []hit             // text hits not yet final (matchText)
	recent  []recentHit       // findings made in the value matchText is in
	ship    shipState         // the value matchPatterns is in
	shipFn  func() bool       // s.shipping, bound once
	// events counts what makes a value's search more than a search: a
	// hit, a pattern, a warning; a value whose search adds none may go
	// to the pool's quiet cache (quiet.go).
	events  int
	inQuiet bool   // inside a value searched for the quiet cache
	qkey    []byte // its key
}

// Scan searches every channel of a request, and what its response hands to
// the next hop, for the pool's values. It is safe for concurrent use and
// returns findings in a deterministic order (the order of discovery). Its
// cost is linear in the request's bytes, bounded by opts.Budgets.
func (p *Pool) Scan(r *traffic.Request, opts ScanOptions) Result {
	if r == nil || p == nil {
		return Result{}
	}
	s := p.scanner(opts, r.Index)
	s.request(r)
	res := s.finish()
	p.release(s)
	return res
}

func newScanner(p *Pool, opts ScanOptions, index int) *scanner {
	return &scanner{p: p, opts: opts, b: opts.Budgets.withDefaults(), index: index,
		seen: map[matchKey]int{}, pseen: map[patternKey]int{}}
}

// scanner takes a scanner from the pool's free list, or makes one: its
// maps, buffers and raw-deflate reader are reused from request to request
// instead of allocated for each.
func (p *Pool) scanner(opts ScanOptions, index int) *scanner {
	s, _ := p.free.Get().(*scanner)
	if s == nil {
		return newScanner(p, opts, index)
	}
	s.opts, s.b, s.index = opts, opts.Budgets.withDefaults(), index
	return s
}

// reuseMax is the most entries a scanner's map may hold and still be
// kept for the next request: one that grew past it on a huge request is
// dropped rather than carried.
const reuseMax = 1024

// release clears what a scan left in s (its Result belongs to the
// caller now) and hands it back to the pool.
func (p *Pool) release(s *scanner) {
	if len(s.seen) > reuseMax || len(s.pseen) > reuseMax || len(s.names) > reuseMax || len(s.paths) > reuseMax {
		return
	}
	clear(s.seen)
	clear(s.pseen)
	clear(s.names)
	clear(s.paths)
	*s = scanner{p: p, seen: s.seen, pseen: s.pseen, names: s.names, paths: s.paths, inflater: s.inflater,
		scratch: s.scratch, sent: s.sent[:0], pending: s.pending[:0], recent: s.recent[:0], shipFn: s.shipFn,
		qkey: s.qkey[:0], lz: s.lz, b64: s.b64}
	if s.lz != nil && s.lz.Size() > reuseMax<<10 {
		s.lz = nil
	}
	for i := range s.b64 {
		if cap(s.b64[i]) > reuseMax<<10 {
			s.b64[i] = nil
		}
	}
	if cap(s.sent) > reuseMax<<10 {
		s.sent = nil
	}
	for i := range s.scratch {
		if cap(s.scratch[i]) > reuseMax<<10 {
			s.scratch[i] = nil // a megabyte value's buffer is not kept
		}
	}
	p.free.Put(s)
}

// finish adds the warnings owed at the end of a scan.
func (s *scanner) finish() Result {
	s.res.Matches = prunePartial(s.res.Matches)
	s.finishing = true // these few always fit, past maxWarnings
	if s.depthHit {
		s.warnf("some values still held encoded data at the decoding depth limit of %d layers; they were not decoded further (raise with --max-decode-depth)", s.b.MaxDepth)
	}
	if s.unlisted > 0 {
		s.warnf("more than %d distinct findings: %d more were counted per value in Dropped, not listed (raise with --max-findings-per-request)", s.b.MaxFindings, s.unlisted)
	}
	if s.stopped {
		s.warnf("scan stopped before the end (cancelled); only what was found before is reported")
	}
	return s.res
}

var patternPool, _ = NewPool(nil)

// ScanPatterns looks for value patterns (emails, phone numbers, US
// addresses, parcel tracking numbers, payment cards, SSNs) in a request,
// without a persona.
func ScanPatterns(r *traffic.Request) []PatternMatch {
	return patternPool.Scan(r, ScanOptions{Patterns: true}).Patterns
}

// surface runs fn with a fresh decoding budget and warns if it ran out.
func (s *scanner) surface(what string, fn func()) {
	if s.stop() {
		return
	}
	start := min(s.b.MaxDecodedValue, s.b.MaxDecodedBytes-s.spent)
	if s.skipWarn {
		fn() // budget spent and said so: search without decoding
		return
	}
	s.budget, s.capHit, s.wire = start, false, 0
	fn()
	// Values as sent count against this surface's cap, not the request's
	// decoding budget: a long WebSocket session is still decoded.
	s.spent += max(0, start-max(s.budget, 0)-s.wire)
	switch {
	case start <= 0 || s.capHit && start < s.b.MaxDecodedValue:
		s.warnf("decoding stopped at %s: the request's %s decoding budget was spent; data past it was not searched (raise with --max-decoded-bytes)", what, size(s.b.MaxDecodedBytes))
		s.spent = s.b.MaxDecodedBytes
		s.skipWarn = true
	case s.capHit:
		s.warnf("%s: decoding stopped at the %s cap per value (body, URL, headers, cookies, frame); what lay past it was searched as sent, not decoded (raise with --max-decoded-bytes: one value may use a quarter of it)", what, size(s.b.MaxDecodedValue))
	}
}

// size writes a byte count for a warning.
func size(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.Itoa(n>>20) + " MB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.Itoa(n>>10) + " KB"
	}
	return strconv.Itoa(n) + " bytes"
}

func (s *scanner) warnf(format string, args ...any) {
	s.events++
	if len(s.res.Warnings) >= maxWarnings && !s.finishing {
		return
	}
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

// stop reports whether the caller asked the scan to stop.
func (s *scanner) stop() bool {
	if s.stopped {
		return true
	}
	if s.opts.Stop == nil {
		return false
	}
	select {
	case <-s.opts.Stop:
		s.stopped = true
		return true
	default:
		return false
	}
}

// wireCopy copies a value as sent into the scanner's wire buffer, for a
// search that must not run over every value's own copy.
func (s *scanner) wireCopy(v string) []byte {
	s.sent = append(s.sent[:0], v...)
	return s.sent
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

// field searches one value, splitting structure (JSON, a nested URL, a
// form) so that findings name the innermost field.
func (s *scanner) field(loc string, v []byte, chain []string, depth, nest int) {
	if len(v) == 0 || s.stop() {
		return
	}
	if s.quietable(v, chain) {
		s.quietField(loc, v, depth, nest)
		return
	}
	s.fieldScan(loc, v, chain, depth, nest)
}

// fieldScan is field without the cache of quiet values.
func (s *scanner) fieldScan(loc string, v []byte, chain []string, depth, nest int) {
	if nest < maxNest {
		switch {
		case looksJSON(v):
			pos, err := walkJSON(v, func(path []byte, leaf []byte) bool {
				s.field(s.join(loc, s.intern(path)), leaf, chain, depth, nest+1)
				return !s.stopped
			})
			if err == nil || s.stopped {
				return
			}
			if errors.Is(err, errJSONDeep) {
				s.tooDeep(&s.jsonDeep, loc, "JSON nested deeper than %d levels", maxJSONDepth)
			}
			v = v[pos:] // search what did not parse as text
		case s.splitter(v) != nil:
			s.split(s.splitter(v), loc, v, chain, depth, nest)
			return
		case looksURL(v):
			s.nestedURL(loc, v, chain, depth, nest)
			return
		case looksForm(v):
			s.form(loc, v, chain, depth, nest)
			return
		}
	}
	if nest >= maxNest && (nested(v) || s.splitter(v) != nil) {
		s.tooDeep(&s.nestDeep, loc, "values nested in one another (JSON in a form field in JSON...) more than %d levels deep", maxNest)
	}
	s.leaf(loc, v, chain, depth, nest)
}

// nested reports a value field would split if the nesting limit allowed.
func nested(v []byte) bool {
	return looksJSON(v) || looksURL(v) || looksForm(v)
}

// tooDeep warns, once per request and limit, that structure past a
// nesting limit was searched as plain text: its values are still found,
// but not split into their fields.
func (s *scanner) tooDeep(warned *bool, loc, limit string, n int) {
	s.events++ // warned or not: a fresh request would warn
	if *warned {
		return
	}
	*warned = true
	where := s.ch
	if loc != "" {
		where += " field " + nameOf([]byte(loc))
	}
	s.warnf("%s in the %s: what lay deeper was searched as plain text, not split into fields", fmt.Sprintf(limit, n), where)
}

// leaf matches a value, then tries each decoding layer on it.
func (s *scanner) leaf(loc string, v []byte, chain []string, depth, nest int) {
	decode := s.chargeWire(v, chain)
	// A value no decoder may read needs no features: the digest search
	// finds its own runs.
	f := features{b64: 22}
	if decode {
		f = s.features(v)
	}
	if s.stopped {
		return
	}
	s.matchText(loc, v, chain)
	s.matchPrefix(loc, v, chain)
	if f.b64 >= 22 {
		s.matchDigests(loc, v, chain)
	}
	if s.opts.Patterns {
		s.matchPatterns(loc, v, chain, &f)
	}
	if !decode || s.stopped {
		return
	}
	if !f.pct && !f.amp && !f.esc && f.b64 < minB64Run && f.hex < 16 && f.high*2 < len(v) {
		return // no decoder applies: the common case, kept free of allocations
	}
	emit := func(out []byte, names ...string) {
		next := append(slices.Clip(chain), names...)
		s.field(loc, out, next, depth+1, nest)
	}
	if depth >= s.b.MaxDepth {
		if !s.depthHit {
			// Probe without recursing, until one probe in the request finds
			// a layer left undecoded (then warn once, in finish).
			emit = func([]byte, ...string) { s.depthHit = true }
		} else {
			return
		}
	}
	for _, d := range decoders {
		d.try(s, v, f, emit)
	}
}

// chargeWire charges a value as sent (no decoding layer made it: its
// chain is empty) to the surface's budget before any layer is tried on
// it, so that a value past the cap is searched as written and no
// further: a surface's bytes and what decoding makes of them share one
// cap. Decoded values were charged by the layer that made them. It
// reports whether decoding may go on.
func (s *scanner) chargeWire(v []byte, chain []string) bool {
	if len(chain) == 0 && !s.noWireCharge {
		if len(v) > s.budget {
			s.capHit = true
			return false
		}
		s.budget -= len(v)
		s.wire += len(v)
	}
	return s.budget > 0
}

// intern returns path as a string, allocating once per distinct path.
func (s *scanner) intern(path []byte) string {
	if p, ok := s.paths[string(path)]; ok {
		return p
	}
	if s.paths == nil {
		s.paths = map[string]string{}
	}
	p := nameOf(path)
	s.paths[p] = p
	return p
}

// splitter returns the first of the scan's splitters whose prefix v
// starts with, or nil.
func (s *scanner) splitter(v []byte) *Splitter {
	for i := range s.opts.Splitters {
		sp := &s.opts.Splitters[i]
		if p := sp.Prefix; p != "" && len(v) >= len(p) && string(v[:len(p)]) == p {
			return sp
		}
	}
	return nil
}

// split searches a vendor's structured value part by part: a named part
// as a field "<loc> > <name>", an unnamed one as part of the value.
func (s *scanner) split(sp *Splitter, loc string, v []byte, chain []string, depth, nest int) {
	sp.Split(v, func(name, part []byte) {
		if s.stopped {
			return
		}
		if name == nil {
			s.leaf(loc, part, chain, depth, nest)
			return
		}
		s.field(s.join(loc, s.intern(name)), part, chain, depth, nest+1)
	})
}
