package leak

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha3"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash/maphash"
	"net/url"
	"strings"
	"sync"

	"github.com/coregx/ahocorasick"
)

// hashes are the digests applied to every normalized form. Adding one is
// adding an entry; the digest index picks up its length automatically.
var hashes = []struct {
	name string
	sum  func([]byte) []byte
}{
	{"md5", func(b []byte) []byte { s := md5.Sum(b); return s[:] }},
	{"sha1", func(b []byte) []byte { s := sha1.Sum(b); return s[:] }},
	{"sha224", func(b []byte) []byte { s := sha256.Sum224(b); return s[:] }},
	{"sha256", func(b []byte) []byte { s := sha256.Sum256(b); return s[:] }},
	{"sha384", func(b []byte) []byte { s := sha512.Sum384(b); return s[:] }},
	{"sha512", func(b []byte) []byte { s := sha512.Sum512(b); return s[:] }},
	{"sha3-256", func(b []byte) []byte { s := sha3.Sum256(b); return s[:] }},
	// The salted SHA-256 the Leaky Forms crawl saw in the wild.
	{"sha256-salted", func(b []byte) []byte {
		s := sha256.Sum256(append(append([]byte{}, b...), "QX4QkKEU"...))
		return s[:]
	}},
}

// candidate kinds: how a text candidate must sit in a surface to count.
const (
	kindPlain  = iota // a normalized form: whole token between non-alphanumerics
	kindBase64        // base64 of a form: a whole base64 run
	kindURL           // URL-encoding of a form
)

// candidate is one string the pool looks for, or one digest it knows.
type candidate struct {
	persona int
	field   string
	value   string   // the persona value as given
	chain   []string // transforms, outermost first
	kind    int
	// short marks codes (a state, a country: three characters or fewer)
	// and any two-character value: they need a key=value context.
	short bool
	// partial, when set, is the number of characters of value this
	// candidate holds: a prefix, as a form sends it while it is typed.
	partial int
}

// Pool is the candidate pool built once from personas: every normalized
// form, its encodings, and its digests, with the transforms that made each.
// Text candidates sit in one Aho–Corasick automaton; digests sit in an
// index keyed by their raw bytes, so a digest is found in any spelling
// (hex of either case, base64, base64url, any padding) by one lookup per
// digest-shaped token. Neither cost grows with the number of candidates.
// A Pool is safe for concurrent use; what changes in it is only its cache
// of values known to hold nothing (quiet.go), which never changes a result.
type Pool struct {
	labels   []string
	cands    []candidate
	patterns [][]int // automaton pattern id -> candidate indices
	ac       *ahocorasick.Automaton
	digests  map[string][]int // raw digest -> candidate indices
	// prefixes maps a lowercased prefix of a typed value to the candidates
	// (partial set) it stands for; see prefix.go.
	prefixes map[string][]int
	// prefixRunes marks the lengths in runes of the keys of prefixes
	// (lower-casing keeps a text's rune count).
	prefixRunes [maxPrefixes + 65]bool
	// prefixFirst marks the first bytes of the keys of prefixes.
	prefixFirst [256]bool
	digLens     [129]bool // digest byte lengths present
	size        int
	maxLen      int // longest text candidate
	// free holds scanners between requests (see Pool.scanner).
	free sync.Pool
	// quiet remembers values searches found nothing in (quiet.go).
	quiet quietCache
}

// NewPool builds the candidate pool. Warnings name empty or malformed
// values. An empty persona list gives a pool that only finds patterns.
func NewPool(personas []Persona) (*Pool, []string) {
	p := &Pool{digests: map[string][]int{}}
	p.quiet.seed = maphash.MakeSeed()
	var warnings []string
	b := poolBuilder{p: p, text: map[string]int{}, seen: map[string]int{}}
	for i, per := range personas {
		label := per.Label(i)
		p.labels = append(p.labels, label)
		for _, w := range per.Validate() {
			warnings = append(warnings, fmt.Sprintf("persona %s: %s", label, w))
		}
		for _, fv := range per.values() {
			if strings.TrimSpace(fv.Value) == "" {
				continue
			}
			for _, f := range formsFor(fv.Field, fv.Value) {
				b.addForm(i, fv, f)
			}
			b.addPrefixes(i, fv)
		}
	}
	if err := b.build(); err != nil {
		warnings = append(warnings, fmt.Sprintf("candidate pool: %v", err))
	}
	return p, warnings
}

// Size is the number of candidate strings in the pool: text forms and
// their encodings, plus each digest in its four spellings.
func (p *Pool) Size() int { return p.size }

// Personas is the number of personas the pool was built from.
func (p *Pool) Personas() int { return len(p.labels) }

type poolBuilder struct {
	p       *Pool
	text    map[string]int // pattern string -> pattern id
	strs    []string
	seen    map[string]int // pattern/digest + persona + field -> candidate index
	spelled map[string]bool
}

func (b *poolBuilder) addForm(persona int, fv fieldValue, f form) {
	c := candidate{persona: persona, field: fv.Field, value: fv.Value, chain: f.chain}
	if len(f.s) >= 2 {
		c.kind, c.short = kindPlain, len(f.s) <= 2 || len(f.s) <= 3 && (fv.Field == "state" || fv.Field == "country")
		b.addText(f.s, c)
	}
	if len(f.s) >= 5 {
		enc := base64.RawStdEncoding.EncodeToString([]byte(f.s))
		b.addText(enc, with(c, kindBase64, "base64"))
		if u := base64.RawURLEncoding.EncodeToString([]byte(f.s)); u != enc {
			b.addText(u, with(c, kindBase64, "base64url"))
		}
	}
	if q := url.QueryEscape(f.s); q != f.s && len(f.s) >= 2 {
		b.addText(q, with(c, kindURL, "url"))
		if pe := strings.ReplaceAll(q, "+", "%20"); pe != q {
			b.addText(pe, with(c, kindURL, "url"))
		}
	}
	for _, h := range hashes {
		d := h.sum([]byte(f.s))
		hc := with(c, kindPlain, h.name)
		b.addDigest(string(d), hc)
		if !rehashed[h.name] {
			continue
		}
		// A hash of the hex of a hash (sha256(md5(email))): chains the
		// research crawlers search, which no decoding can undo.
		inner := []byte(hex.EncodeToString(d))
		for _, o := range hashes {
			if rehashed[o.name] {
				b.addDigest(string(o.sum(inner)), with(hc, kindPlain, o.name))
			}
		}
	}
}

// rehashed are the hashes also applied to one another's hex digests.
var rehashed = map[string]bool{"md5": true, "sha1": true, "sha256": true}

// with returns c with one more transform in front of its chain.
func with(c candidate, kind int, t string) candidate {
	c.kind, c.short = kind, false
	c.chain = append([]string{t}, c.chain...)
	return c
}

func dedupKey(s string, c candidate) string {
	return fmt.Sprintf("%s\x00%d\x00%s", s, c.persona, c.field)
}

// keep reports whether c should be stored, replacing an equal candidate of
// the same persona and field with a longer chain.
func (b *poolBuilder) keep(key string, c candidate) bool {
	if i, ok := b.seen[key]; ok {
		if len(c.chain) < len(b.p.cands[i].chain) {
			b.p.cands[i] = c
		}
		return false
	}
	b.seen[key] = len(b.p.cands)
	b.p.cands = append(b.p.cands, c)
	return true
}

func (b *poolBuilder) addText(s string, c candidate) {
	if !b.keep(dedupKey(s, c), c) {
		return
	}
	id, ok := b.text[s]
	if !ok {
		id = len(b.strs)
		b.text[s] = id
		b.strs = append(b.strs, s)
		b.p.patterns = append(b.p.patterns, nil)
	}
	b.p.patterns[id] = append(b.p.patterns[id], len(b.p.cands)-1)
}

func (b *poolBuilder) addDigest(d string, c candidate) {
	if !b.keep(dedupKey("#"+d, c), c) {
		return
	}
	if len(b.p.digests[d]) == 0 {
		if b.spelled == nil {
			b.spelled = map[string]bool{}
		}
		for _, s := range digestSpellings([]byte(d)) {
			b.spelled[s] = true
		}
	}
	b.p.digests[d] = append(b.p.digests[d], len(b.p.cands)-1)
	b.p.digLens[len(d)] = true
}

// digestSpellings are the four wire forms of a digest the pool counts.
func digestSpellings(d []byte) []string {
	h := hex.EncodeToString(d)
	return []string{h, strings.ToUpper(h), base64.StdEncoding.EncodeToString(d), base64.RawURLEncoding.EncodeToString(d)}
}

func (b *poolBuilder) build() error {
	b.p.size = len(b.strs) + len(b.spelled)
	if len(b.strs) == 0 {
		return nil
	}
	for _, t := range b.strs {
		b.p.maxLen = max(b.p.maxLen, len(t))
	}
	ac, err := ahocorasick.NewBuilder().AddStrings(b.strs).Build()
	if err != nil {
		return fmt.Errorf("build matcher: %w", err)
	}
	b.p.ac = ac
	return nil
}
