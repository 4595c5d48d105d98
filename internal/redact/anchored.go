package redact

import (
	"strings"
	"unicode/utf8"
)

// The expressions that find fields and tokens read about 10 MB/s: on a
// URL or body of tens of megabytes they cost seconds. These hand scans
// find exactly what they find, reading only around a cheap anchor ('=',
// "eyJ", "bearer", "://"); the expressions stay the definition (the
// tests compare both).

// formFieldLocs returns what formFieldRE.FindAllStringSubmatchIndex(s, -1)
// returns: "[sep]key=value" with a key of 1 to 128 runes, none of
// =&?;#"\s, after a separator (?&; or \s) or the start of s, and a value
// up to the first of &;#"\s.
func formFieldLocs(s string) [][]int {
	var locs [][]int
	last := 0 // matches never overlap: '=' inside a value starts none
	for off := 0; ; {
		i := strings.IndexByte(s[off:], '=')
		if i < 0 {
			return locs
		}
		eq := off + i
		off = eq + 1
		if eq < last {
			continue
		}
		ks := eq
		for ks > last && eq-ks <= 4*128 && !formKeyStop(s[ks-1]) {
			ks--
		}
		start := ks
		switch {
		case ks == eq || ks > 0 && !formSep(s[ks-1]) || utf8.RuneCountInString(s[ks:eq]) > 128:
			continue
		case ks > 0:
			start = ks - 1
		}
		end := eq + 1
		for end < len(s) && !formValueStop(s[end]) {
			end++
		}
		locs = append(locs, []int{start, end, ks, eq, eq + 1, end})
		last, off = end, end
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

func formSep(c byte) bool { return c == '?' || c == '&' || c == ';' || isSpace(c) }

func formKeyStop(c byte) bool { return c == '=' || c == '#' || c == '"' || formSep(c) }

func formValueStop(c byte) bool {
	return c == '&' || c == ';' || c == '#' || c == '"' || isSpace(c)
}

// harvestTokens records JWTs, bearer credentials and URL passwords found
// in s, running each expression only on the run of characters its match
// could span around each anchor.
func (ss secretSet) harvestTokens(s string) {
	eachWindow(s, "eyJ", false, jwtWindow, func(w string) {
		for _, m := range jwtRE.FindAllString(w, -1) {
			ss.add(m, minHarvested)
		}
	})
	eachWindow(s, "bearer", true, bearerWindow, func(w string) {
		for _, m := range bearerRE.FindAllStringSubmatch(w, -1) {
			ss.add(m[3], minHarvested)
		}
	})
	if strings.Contains(s, "@") {
		eachWindow(s, "://", false, userinfoWindow, func(w string) {
			for _, m := range userinfoRE.FindAllStringSubmatch(w, -1) {
				ss.add(m[2], minPassword)
			}
		})
	}
}

// eachWindow calls fn with the window around each occurrence of anchor
// (ASCII case ignored when fold). window returns the window's bounds and
// where to look for the next anchor, given the anchor's position and
// where this search started (no window reaches back past it).
func eachWindow(s, anchor string, fold bool, window func(s string, at, from int) (lo, hi, next int), fn func(string)) {
	for off := 0; off < len(s); {
		i := indexFrom(s[off:], anchor, fold)
		if i < 0 {
			return
		}
		lo, hi, next := window(s, off+i, off)
		fn(s[lo:hi])
		off = max(next, off+i+1)
	}
}

func indexFrom(s, sub string, fold bool) int {
	if !fold {
		return strings.Index(s, sub)
	}
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i]|0x20 == sub[0] && strings.EqualFold(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'z'
}

// jwtWindow is the run of base64url characters and dots around at: a JWT
// is made of nothing else. The next anchor is past the run.
func jwtWindow(s string, at, from int) (int, int, int) {
	in := func(c byte) bool { return isAlnum(c) || c == '_' || c == '-' || c == '.' }
	lo, hi := at, at
	for lo > from && in(s[lo-1]) {
		lo--
	}
	for hi < len(s) && in(s[hi]) {
		hi++
	}
	return lo, hi, hi
}

// bearerWindow starts a byte before "bearer" (for \b) and runs over the
// characters a separator and credential are made of, which "bearer" is
// too: the next anchor is past the run.
func bearerWindow(s string, at, from int) (int, int, int) {
	hi := at
	for hi < len(s) && (isAlnum(s[hi]) || isSpace(s[hi]) || strings.IndexByte("._~+/=-%", s[hi]) >= 0) {
		hi++
	}
	return max(from, at-1), hi, hi
}

// userinfoWindow reaches back over a scheme (and a byte before it, for
// \b) and forward to the first '@', '/' or space after "://". The next
// "://" may start inside it (at its last ':').
func userinfoWindow(s string, at, from int) (int, int, int) {
	lo := at
	for lo > from && (isAlnum(s[lo-1]) || strings.IndexByte("+.-", s[lo-1]) >= 0) {
		lo--
	}
	hi := at + 3
	for hi < len(s) && s[hi] != '/' && s[hi] != '@' && !isSpace(s[hi]) {
		hi++
	}
	if hi < len(s) && s[hi] == '@' {
		hi++
	}
	return max(from, lo-1), hi, at + 3
}
