package pixel

import (
	"cmp"
	"math"
	"slices"
	"strings"
)

// Identifier tokens. A sync candidate is a whole token of a cookie value or
// a run of up to maxRunTokens consecutive tokens (a UUID is a run of five),
// where a token is a maximal run of ASCII letters and digits. It is matched
// in a URL only where it is whole there too: not preceded or followed by a
// letter or digit. A candidate qualifies under Privacy Badger's rule (at
// least minIDLen characters, more than minSyncBits bits of character-class
// entropy) and is rejected when it is:
//   - of less than 2 bits of Shannon entropy per character ("1111111111");
//   - letters only (a word, a name, a host label: "pubmatic"; random
//     letters-only IDs are rare and are the price of no false alarms);
//   - made only of noise tokens: words, short tokens (≤ 3 characters:
//     "GA1", "v2"), words with a short number ("server01"), small numbers
//     (≤ 6 digits: versions, counters), dates,
//     one timestamp and, at the end of the capture, labels of any host seen;
//   - a timestamp (Unix seconds, ms, µs or ns between 2000 and 2100, with or
//     without a fraction) or a date-time number (YYYYMMDDhh[mm[ss]]);
//   - part of a UUID: a UUID counts only whole, so the time and clock
//     fields that every version-1 UUID made in the same second shares
//     ("90b1-11e7") identify nobody;
//   - found in a page URL of the capture (the page's own parts);
//   - only ever a part of cookie values, shared by many distinct values
//     (16 of 3+ cookies, or 256): a common prefix or site key, not one
//     visitor's ID (candidate.sharedPart in idindex.go);
//   - a run that starts or ends with a noise token or host label: the
//     inner run stands for it.
//
// A match inside a whole cookie value found in the URL, a value first
// carried by the receiver's own cookie, is that cookie echoed to its owner,
// not a sync (idMatch.under).
const (
	maxRunTokens     = 6  // tokens in one candidate
	maxCandsPerValue = 64 // candidates kept per cookie value
	maxRunGap        = 2  // separator bytes between the tokens of a run
	// minCandidateBitsPerChar is the Shannon entropy a candidate needs:
	// "1111111111" or "aaaa0000aaaa" identify nobody.
	minCandidateBitsPerChar = 2.0
)

// span is a token's byte range.
type span struct{ start, end int }

// tokens returns the alphanumeric tokens of s.
func tokens(s string) []span {
	return appendTokens(nil, s)
}

// appendTokens appends the alphanumeric tokens of s to dst.
func appendTokens(dst []span, s string) []span {
	for i := 0; i < len(s); {
		if !isAlnum(s[i]) {
			i++
			continue
		}
		start := i
		for i++; i < len(s) && isAlnum(s[i]); i++ {
		}
		dst = append(dst, span{start, i})
	}
	return dst
}

// nextToken returns the first alphanumeric token of s at or after from,
// or start < 0 when there is none.
func nextToken(s string, from int) (start, end int) {
	for from < len(s) && !isAlnum(s[from]) {
		from++
	}
	if from == len(s) {
		return -1, -1
	}
	end = from + 1
	for end < len(s) && isAlnum(s[end]) {
		end++
	}
	return from, end
}

// uuidAt reports whether the tokens from i form a UUID: hex groups of 8, 4,
// 4, 4 and 12 joined by single hyphens.
func uuidAt(s string, toks []span, i int) bool {
	if i+5 > len(toks) {
		return false
	}
	for k, n := range [5]int{8, 4, 4, 4, 12} {
		t := toks[i+k]
		if t.end-t.start != n || !isHex(s[t.start:t.end]) {
			return false
		}
		if k > 0 && (t.start != toks[i+k-1].end+1 || s[t.start-1] != '-') {
			return false
		}
	}
	return true
}

// uuidGroups marks, per token, the index of the first token of the UUID it
// belongs to, or -1.
func uuidGroups(s string, toks []span) []int {
	return uuidGroupsInto(nil, s, toks)
}

// uuidGroupsInto is uuidGroups reusing buf's room.
func uuidGroupsInto(buf []int, s string, toks []span) []int {
	group := slices.Grow(buf[:0], len(toks))[:len(toks)]
	for i := range group {
		group[i] = -1
	}
	for i := 0; i < len(toks); i++ {
		if uuidAt(s, toks, i) {
			for k := 0; k < 5; k++ {
				group[i+k] = i
			}
			i += 4
		}
	}
	return group
}

// splitsUUID reports whether the token run [i, j] takes part of a UUID but
// not all of it.
func splitsUUID(group []int, i, j int) bool {
	return group[i] >= 0 && group[i] != i || group[j] >= 0 && group[j]+4 != j
}

// runSeparatorOK reports whether the bytes between two tokens of a run are
// a short separator inside one value, not structure between values.
func runSeparatorOK(sep string) bool {
	for i := 0; i < len(sep); i++ {
		if !strings.ContainsRune(runSeparators, rune(sep[i])) {
			return false
		}
	}
	return len(sep) <= maxRunGap
}

// runSeparators join the tokens of one value ("GA1.2.123.456", a UUID's
// hyphens, base64's '+' and '/'); any other byte ('|', '&', '^', '$', '=')
// separates fields, and a run does not cross it.
const runSeparators = "-_.:~+/"

// runOrder is the order in which run lengths are tried when a long value
// has more candidates than maxCandsPerValue: single tokens first, then the
// shapes identifiers take (two numbers, a UUID), then the rest.
var runOrder = [maxRunTokens]int{1, 2, 5, 3, 4, 6}

// syncCandidates returns the whole-token runs of v that qualify as
// identifiers, longest first.
func syncCandidates(v string) []string {
	toks := tokens(v)
	group := uuidGroups(v, toks)
	keys := keyTokens(v, toks)
	var out []string
	for _, n := range runOrder {
		for i := 0; i+n <= len(toks) && len(out) < maxCandsPerValue; i++ {
			j := i + n - 1
			if splitsUUID(group, i, j) || !runJoined(v, toks[i:j+1]) || keys[i] || keys[j] {
				continue
			}
			s := v[toks[i].start:toks[j].end]
			if slices.Contains(out, s) || weakEdge(v, toks, group, i, j, nil) || !qualifies(s) {
				continue
			}
			out = append(out, s)
		}
	}
	slices.SortStableFunc(out, func(x, y string) int { return cmp.Compare(len(y), len(x)) })
	return out
}

// weakEdge reports a run of two or more tokens that starts or ends with a
// noise token (or, with known, a host label) outside a UUID, when the run
// without those edge tokens still qualifies: the inner run is then the
// identifier ("GA1.2.123.456" → "123.456", "expressen.se/P2JCJGE4TBWH" →
// "P2JCJGE4TBWH"), while "Lm-9qVlU" stays whole.
func weakEdge(v string, toks []span, group []int, i, j int, known *strTable) bool {
	weak := func(k int) bool {
		if group[k] >= 0 {
			return false
		}
		t := v[toks[k].start:toks[k].end]
		if noiseToken(t) {
			return true
		}
		return known.hasLower(t)
	}
	lo, hi := i, j
	for lo < hi && weak(lo) {
		lo++
	}
	for hi > lo && weak(hi) {
		hi--
	}
	if lo == i && hi == j {
		return false
	}
	return qualifies(v[toks[lo].start:toks[hi].end])
}

// fieldSeparators split a structured cookie value into fields
// ("v_id:017c…$_sn:1$db_iey9i2bw:true", "a=1&b=2", "x|y").
const fieldSeparators = "$&|;,^"

// keyTokens marks the tokens that name a field rather than hold a value:
// those before the first '=' of a field, and before the first ':' of a
// field when the value has several fields. A key names an account or a
// setting ("db_iey9i2bw" is a Tealium data-bridge account), not a visitor.
func keyTokens(v string, toks []span) []bool {
	keys := make([]bool, len(toks))
	structured := strings.ContainsAny(v, fieldSeparators)
	k, start := 0, 0
	for start <= len(v) {
		end := strings.IndexAny(v[start:], fieldSeparators)
		if end < 0 {
			end = len(v)
		} else {
			end += start
		}
		field := v[start:end]
		cut := strings.IndexByte(field, '=')
		if c := strings.IndexByte(field, ':'); structured && c >= 0 && (cut < 0 || c < cut) {
			cut = c
		}
		for ; k < len(toks) && toks[k].start < end; k++ {
			keys[k] = cut >= 0 && toks[k].end <= start+cut
		}
		start = end + 1
	}
	return keys
}

// runJoined reports whether consecutive tokens are joined by acceptable
// separators.
func runJoined(v string, toks []span) bool {
	for k := 1; k < len(toks); k++ {
		if !runSeparatorOK(v[toks[k-1].end:toks[k].start]) {
			return false
		}
	}
	return true
}

// qualifies applies the rules that need nothing but the candidate itself.
func qualifies(s string) bool {
	if len(s) < minIDLen || len(s) > maxCandidateLen || classBits(s) <= minSyncBits {
		return false
	}
	// Entropy is at least log2(n/c), c the count of the most frequent
	// byte: n > 4c puts it above minCandidateBitsPerChar (2 bits) by at
	// least 1e-4, far beyond rounding, without the logarithms.
	if len(s) <= 4*maxCount(s) && shannon(s) < minCandidateBitsPerChar {
		return false
	}
	if isTimestampLike(s) || isDateNumber(s) || isDateTime(s) || uuidFragment(s) {
		return false
	}
	return hasStrongToken(s, nil)
}

// hasStrongToken reports whether s has a token that can identify someone:
// one that is not noise and, when known is not nil, not in known; or two
// numbers that could be timestamps (a random 32-bit number often could:
// GA's client ID is two of them).
func hasStrongToken(s string, known *strTable) bool {
	stamps := 0
	for start, end := nextToken(s, 0); start >= 0; start, end = nextToken(s, end) {
		tok := s[start:end]
		if noiseToken(tok) {
			continue
		}
		if isTimestamp(tok) {
			stamps++
			continue
		}
		if known != nil && known.hasLower(tok) {
			continue
		}
		return true
	}
	return stamps >= 2
}

// noiseToken reports tokens that identify nobody by themselves: words,
// tokens of up to 3 characters, numbers of up to 6 digits, dates and the
// joints of ISO date-times ("19T23", "123Z").
func noiseToken(t string) bool {
	return len(t) <= 3 || isLetters(t) || isDigits(t) && len(t) <= 6 || isDateNumber(t) ||
		dateJoint(t) || wordNumber(t)
}

// wordNumber reports a word followed by a short number: a name such as
// "server01", "checkout2024" or "prodfracgus01", not a random identifier
// (random characters almost never put every letter before every digit).
func wordNumber(t string) bool {
	i := 0
	for i < len(t) && isLetters(t[i:i+1]) {
		i++
	}
	return i >= 4 && len(t)-i >= 1 && len(t)-i <= 4 && isDigits(t[i:]) && wordCase(t[:i])
}

// wordCase reports letters cased as a word is: "server", "Server",
// "SERVER"; random letters mix cases ("mkVk").
func wordCase(w string) bool {
	lower, upper := strings.ToLower(w), strings.ToUpper(w)
	return w == lower || w == upper || w[:1] == upper[:1] && w[1:] == lower[1:]
}

// dateJoint reports digits around one 'T' or ending in 'Z', as in
// "2021-10-19T23:17:05.123Z".
func dateJoint(t string) bool {
	if len(t) > 10 {
		return false
	}
	if d, ok := strings.CutSuffix(t, "Z"); ok && isDigits(d) {
		return true
	}
	x, y, ok := strings.Cut(t, "T")
	return ok && isDigits(x) && isDigits(y) && len(x) <= 2 && len(y) <= 2
}

// isDateTime reports an ISO 8601 date or date-time: YYYY-MM-DD, then
// optionally T or '_' and time fields.
func isDateTime(s string) bool {
	if len(s) < 10 || s[4] != '-' || s[7] != '-' || !isDigits(s[:4]) || !isDigits(s[5:7]) ||
		!isDigits(s[8:10]) {
		return false
	}
	for _, t := range tokens(s[10:]) {
		if tok := s[10:][t.start:t.end]; !isDigits(tok) && !dateJoint(tok) && !dateJoint("0"+tok) {
			return false
		}
	}
	return true
}

// uuidFragment reports hyphen-joined hex groups shaped like consecutive
// fields of a UUID but not a whole one ("90b1-11e7", "11e7-90b1-0242ac130003").
func uuidFragment(s string) bool {
	if strings.IndexByte(s, '-') < 0 {
		return false
	}
	parts := strings.Split(s, "-")
	if len(parts) < 2 || len(parts) > 4 {
		return false
	}
	layout := [5]int{8, 4, 4, 4, 12}
	for first := range layout {
		if first+len(parts) > len(layout) {
			break
		}
		ok := true
		for k, p := range parts {
			if len(p) != layout[first+k] || !isHex(p) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// isTimestampLike reports a Unix time in s, ms, µs or ns between 2000 and
// 2100, alone or with a fraction of up to 9 digits ("1700000000.123").
func isTimestampLike(s string) bool {
	whole, frac, dot := strings.Cut(s, ".")
	if dot && (frac == "" || len(frac) > 9 || !isDigits(frac)) {
		return false
	}
	if len(whole) == 16 || len(whole) == 19 {
		return isDigits(whole) && isTimestamp(whole[:13])
	}
	return isTimestamp(whole)
}

// isDateNumber reports a date-time written as digits: YYYYMMDD followed by
// nothing, hh, hhmm, hhmmss or hhmmssmmm.
func isDateNumber(s string) bool {
	switch len(s) {
	case 8, 10, 12, 14, 17:
	default:
		return false
	}
	if !isDigits(s) {
		return false
	}
	year, month, day := num(s[:4]), num(s[4:6]), num(s[6:8])
	if year < 1970 || year > 2100 || month < 1 || month > 12 || day < 1 || day > 31 {
		return false
	}
	for k, limit := range []int{24, 60, 60} {
		at := 8 + 2*k
		if len(s) >= at+2 && num(s[at:at+2]) >= limit {
			return false
		}
	}
	return true
}

func num(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return s != ""
}

func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return s != ""
}

func isAlnum(c byte) bool {
	return alnum[c]
}

// alnum marks the ASCII letters and digits.
var alnum = func() (t [256]bool) {
	for c := range t {
		t[c] = c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
	}
	return t
}()

// classBits estimates entropy as Privacy Badger does: length times log2 of
// the size of the character classes present.
func classBits(s string) float64 {
	var digit, lower, upper, other bool
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digit = true
		case c >= 'a' && c <= 'z':
			lower = true
		case c >= 'A' && c <= 'Z':
			upper = true
		default:
			other = true
		}
	}
	size := 0
	for _, x := range []struct {
		on bool
		n  int
	}{{digit, 10}, {lower, 26}, {upper, 26}, {other, 33}} {
		if x.on {
			size += x.n
		}
	}
	if size < 2 {
		return 0
	}
	return float64(len(s)) * math.Log2(float64(size))
}
