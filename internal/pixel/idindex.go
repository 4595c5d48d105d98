package pixel

import (
	"math"
	"slices"
	"strings"

	"github.com/leakwatch/leakwatch/internal/codec"
	"github.com/leakwatch/leakwatch/internal/party"
)

// Limits of the cookie-sync state that are not options.
const (
	maxCandidates     = 200_000  // distinct sync candidates
	maxCandidateBytes = 16 << 20 // their total length
	maxCandidateLen   = 1024     // longer cookie values are cut before tokenizing
	maxHostTokens     = 1 << 18  // distinct host-label tokens kept for the word filter
	maxPagesKept      = 10_000   // distinct page URLs kept for the page-parts filter
	maxVendorsPerCand = 4        // vendor cookies remembered per candidate
	// A candidate that is only part of cookie values is not an identifier
	// once this many distinct values hold it, across at least
	// minSharedCookies cookies or within fewer (see candidate.sharedPart).
	maxSharedValues          = 16
	minSharedCookies         = 3
	maxSharedValuesFewCookie = 256
)

// candidate is one sync candidate and the cookie it is credited to: the
// cookie that carried it first in the capture (lowest request index).
type candidate struct {
	cookie, owner string
	firstParty    bool
	first         int
	// vendors are the vendors' own cookies that held the value.
	vendors []vendorHolder
	// values counts the distinct cookie (name, value) pairs that held the
	// candidate and holders the first distinct cookie names that did (up
	// to minSharedCookies); whole is set when one of the values was the
	// candidate and nothing else (see sharedPart).
	values  int32
	holders [minSharedCookies - 1]string
	several bool // a cookie beyond holders held it too
	whole   bool
	// shadow is set on a whole cookie value that is no candidate itself:
	// it is looked for only to tell a URL that echoes a cookie value of
	// its own receiver (see idMatch.under).
	shadow bool
	// rejected is set at the end of the capture by the filters that need
	// all of it (host labels, page URLs).
	rejected bool
}

// vendorHolder is a vendor's own cookie that held a candidate.
type vendorHolder struct {
	vendor int
	cookie string
}

// idMatch is a candidate found, whole, in a kept text. under is the whole
// cookie value (a shadow entry) the match lies in, when the text holds one:
// sent to that cookie's owner, the match echoes the owner's own cookie.
type idMatch struct {
	id    string
	cand  *candidate
	under *candidate
}

// pairSeen is what is remembered of one cookie (name, value) pair.
type pairSeen struct {
	first  int  // lowest request index that carried it
	idLike bool // identifierLike(value)
}

// cookieSeen processes one cookie carried by request index: it credits the
// sync candidates of its value the first time the pair is seen (again when
// seen at a lower index) and reports whether the value is identifier-like.
// Each distinct pair is examined once, whatever the repetition.
// pairKey is a cookie's name and value, cut as cookieSeen cuts them.
type pairKey struct{ name, value string }

func (a *Analyzer) cookieSeen(name, value string, p party.Party, index int) bool {
	if len(name) > maxCookieValue {
		name = name[:maxCookieValue]
	}
	if len(value) > maxCandidateLen {
		value = value[:maxCandidateLen] // what is kept of a value: the pair key stays bounded
	}
	key := pairKey{name, value} // looked up without building a string
	h := a.pairFilter.hash(key)
	if a.pairFilter.mayHold(h) {
		if seen, ok := a.pairs[key]; ok {
			if index < seen.first {
				a.pairs[key] = pairSeen{index, seen.idLike}
				a.addIdentifier(name, value, p, index, false)
			}
			return seen.idLike
		}
	}
	idLike := identifierLike(value)
	if len(a.pairs) >= a.opts.maxIdentifiers() {
		a.limits.note(limitIdentifiers, index)
		return idLike
	}
	a.pairs[pairKey{strings.Clone(name), strings.Clone(value)}] = pairSeen{index, idLike}
	a.pairFilter.add(h, a.pairs)
	a.addIdentifier(name, value, p, index, true)
	return idLike
}

// addIdentifier credits the candidates of one cookie value seen at request
// index to the cookie, where it carried them first. fresh is set the first
// time the pair is seen: the candidates then count one more value.
func (a *Analyzer) addIdentifier(name, value string, p party.Party, index int, fresh bool) {
	value, ok := syncSource(value)
	if !ok {
		return
	}
	if len(value) > maxCandidateLen {
		value = value[:maxCandidateLen]
	}
	name, owner := a.intern(name), a.intern(p.Domain)
	vendor := vendorOfCookie(name)
	held := false
	for _, c := range syncCandidates(value) {
		cand := a.credit(c, name, owner, p, index)
		if cand == nil {
			return
		}
		cand.shadow = false
		held = held || c == value
		if fresh {
			cand.countValue(name, c == value)
		}
		if vendor >= 0 {
			cand.addVendor(vendor, name)
		}
	}
	if !held && wholeRun(value) {
		if cand := a.credit(value, name, owner, p, index); cand != nil && cand.values == 0 {
			cand.shadow = true
		}
	}
}

// credit returns the entry of c, created or credited to the cookie when it
// carried c first, or nil when the candidate budget is spent.
func (a *Analyzer) credit(c, name, owner string, p party.Party, index int) *candidate {
	cand := a.cands[c]
	if cand == nil {
		if len(a.cands) >= maxCandidates || a.candBytes+len(c) > maxCandidateBytes {
			a.limits.note(limitCandidates, index)
			return nil
		}
		cand = &candidate{cookie: name, owner: owner, firstParty: !p.ThirdParty, first: index}
		a.cands[strings.Clone(c)] = cand
		a.maxCandLen = max(a.maxCandLen, len(c))
		a.candBytes += len(c)
	} else if index < cand.first || index == cand.first && name < cand.cookie {
		cand.cookie, cand.owner, cand.firstParty, cand.first = name, owner, !p.ThirdParty, index
	}
	return cand
}

// wholeRun reports a cookie value that matchAll can find whole in a URL: a
// run of at most maxRunTokens tokens joined by run separators, starting
// and ending with a letter or digit.
func wholeRun(v string) bool {
	toks := tokens(v)
	return len(toks) > 0 && len(toks) <= maxRunTokens && toks[0].start == 0 &&
		toks[len(toks)-1].end == len(v) && runJoined(v, toks)
}

// countValue counts one more distinct cookie value holding the candidate.
func (c *candidate) countValue(cookie string, whole bool) {
	if c.values < math.MaxInt32 {
		c.values++
	}
	c.whole = c.whole || whole
	for i, h := range c.holders {
		if h == cookie {
			return
		}
		if h == "" {
			c.holders[i] = cookie
			return
		}
	}
	c.several = true
}

// sharedPart reports a candidate that is only ever part of cookie values
// and that many distinct values of several cookies share: a common prefix,
// a constant segment or an account key ("checkout_<site key>_<n>"), not one
// visitor's identifier. A visitor's ID is held by one cookie, or copied
// into a few (Adobe's MCMID in 3 cookies, 3 values, in the real captures;
// at most 5 values of 2 cookies for any part-only candidate there); a
// cookie rewritten on every event (Snowplow's _sp_id, perhaps mirrored in a
// second cookie) holds it in each of its values, so fewer cookies need
// many more values.
func (c *candidate) sharedPart() bool {
	if c.whole {
		return false
	}
	return c.several && c.values >= maxSharedValues || c.values >= maxSharedValuesFewCookie
}

func (c *candidate) addVendor(vendor int, cookie string) {
	for _, h := range c.vendors {
		if h.vendor == vendor && h.cookie == cookie {
			return
		}
	}
	if len(c.vendors) < maxVendorsPerCand {
		c.vendors = append(c.vendors, vendorHolder{vendor, cookie})
	}
}

// intern returns a copy of s shared by every holder of the same text.
func (a *Analyzer) intern(s string) string {
	if v, ok := a.strs[s]; ok {
		return v
	}
	v := strings.Clone(s)
	a.strs[v] = v
	return v
}

// maxInterned caps the strings interned for names that every host may
// repeat (parameter names); past it a name is copied instead.
const maxInterned = 1 << 16

// maxNameSets caps the distinct name lists shared between entries.
const maxNameSets = 1 << 12

// internName interns a parameter or cookie name while the table has room,
// and copies it after: hostile input cannot grow the table without bound.
func (a *Analyzer) internName(s string) string {
	if v, ok := a.strs[s]; ok {
		return v
	}
	if len(a.strs) >= maxInterned {
		return strings.Clone(s)
	}
	return a.intern(s)
}

// shareNames returns a sorted name list equal to names that other entries
// may share (many hosts get the same parameters), while the table of lists
// has room. A shared list has no spare capacity, so an entry that adds a
// name later copies it first.
func (a *Analyzer) shareNames(names []string) []string {
	if len(names) == 0 {
		return nil
	}
	k := strings.Join(names, "\x00")
	if v, ok := a.nameSets[k]; ok {
		return v
	}
	if len(a.nameSets) >= maxNameSets {
		return names
	}
	if a.nameSets == nil {
		a.nameSets = map[string][]string{}
	}
	v := slices.Clip(names)
	a.nameSets[k] = v
	return v
}

// recordHostTokens remembers the tokens of a host's labels: a candidate
// made of nothing else is a name, not an identifier.
func (a *Analyzer) recordHostTokens(h string) {
	for _, t := range tokens(h) {
		tok := strings.ToLower(h[t.start:t.end])
		if a.hostTokens.has(tok) {
			continue
		}
		if a.hostTokens.len() >= maxHostTokens {
			a.limits.note(limitHostTokens, -1)
			return
		}
		a.hostTokens.add(tok)
	}
}

// recordPage remembers a page URL for the page-parts filter.
func (a *Analyzer) recordPage(pageURL string) {
	if pageURL == "" {
		return
	}
	if len(pageURL) > maxURLKept {
		pageURL = pageURL[:maxURLKept]
	}
	if a.pages.has(pageURL) {
		return
	}
	if a.pages.len() >= maxPagesKept {
		a.limits.note(limitPages, -1)
		return
	}
	if _, _, ok := a.pages.add(pageURL); !ok {
		a.limits.note(limitPages, -1)
	}
}

// hostOnly reports a candidate whose every token is noise or a label of a
// host seen in the capture, or that starts or ends with a host label.
func (a *Analyzer) hostOnly(id string) bool {
	if !hasStrongToken(id, a.hostTokens) {
		return true
	}
	toks := tokens(id)
	return weakEdge(id, toks, uuidGroups(id, toks), 0, len(toks)-1, a.hostTokens)
}

// settleCandidates applies the filters that need the whole capture. It is
// linear in the candidates and the page URLs kept. f is the token filter
// of the candidates.
func (a *Analyzer) settleCandidates(f *tokenFilter) {
	for id, c := range a.cands {
		c.rejected = !c.shadow && (c.sharedPart() || a.hostOnly(id))
	}
	for id := range a.pages.len() {
		page := a.pages.str(id)
		texts := []string{page}
		if d, ok := codec.UnescapeQuery(page); ok && d != page {
			texts = append(texts, d)
		}
		for _, t := range texts {
			for _, m := range a.matchAll(t, true, f) {
				m.cand.rejected = true
			}
		}
	}
}

// matchAll returns the candidates found whole in text (a candidate found
// twice is returned twice). A match that lies inside a longer match is
// dropped (the longest wins), and so is one that takes part of a UUID in
// the text; one that lies inside a whole cookie value found in the text
// names that value (idMatch.under). With all set, every match is returned,
// overlapping or rejected ones included, and whole values are ignored. f,
// the token filter of the candidates (nil for none), skips the runs that
// no candidate can be.
func (a *Analyzer) matchAll(text string, all bool, f *tokenFilter) []idMatch {
	if len(a.cands) == 0 {
		return nil
	}
	a.matchToks = appendTokens(a.matchToks[:0], text)
	toks := a.matchToks
	a.matchGroup = uuidGroupsInto(a.matchGroup, text, toks)
	group := a.matchGroup
	var out []idMatch
	var under *candidate
	maxEnd, underEnd := -1, -1
	for i := range toks {
		if group[i] >= 0 && group[i] != i {
			continue // starts inside a UUID
		}
		if !f.mayStart(text[toks[i].start:toks[i].end]) {
			continue
		}
		for n := min(maxRunTokens, len(toks)-i); n >= 1; n-- {
			j := i + n - 1
			s := text[toks[i].start:toks[j].end]
			if len(s) < minIDLen {
				break
			}
			if len(s) > a.maxCandLen || group[j] >= 0 && group[j]+4 != j ||
				!f.mayEnd(text[toks[j].start:toks[j].end]) {
				continue
			}
			c := a.cands[s]
			if c == nil || c.rejected && !all {
				continue
			}
			if c.shadow {
				if !all && toks[j].end > underEnd {
					under, underEnd = c, toks[j].end
				}
				continue
			}
			if all || toks[j].end > maxEnd {
				m := idMatch{id: s, cand: c}
				if toks[j].end <= underEnd {
					m.under = under
				}
				out = append(out, m)
				maxEnd = max(maxEnd, toks[j].end)
			}
			if !all {
				break
			}
		}
	}
	return out
}

// Identifier reports whether value, as a whole token or token run, is an
// identifier held by a cookie in the capture so far, and names the cookie
// it is credited to (the first that carried it) and that cookie's owner
// domain. The audit uses it to tell a cookie ID from a value that only
// looks like, say, a payment card number.
func (a *Analyzer) Identifier(value string) (cookie, owner string, ok bool) {
	c := a.cands[value]
	if c == nil || c.shadow || c.sharedPart() || a.hostOnly(value) {
		return "", "", false
	}
	return c.cookie, c.owner, true
}
