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

// harvestTokens records JWTs, bearer credentials, provider keys and URL
// passwords found in s. JWTs and bearer credentials are matched by hand from their
// anchors; the URL-password expression runs only on the window around
// each "://" its match could span.
func (ss secretSet) harvestTokens(s string) {
	for _, m := range jwts(s) {
		ss.add(m, minHarvested)
	}
	for _, m := range bearers(s) {
		ss.add(m, minHarvested)
	}
	for _, m := range providerKeys(s) {
		ss.add(m, minHarvested)
	}
	if strings.Contains(s, "@") {
		eachWindow(s, "://", false, userinfoWindow, func(w string) {
			for _, m := range userinfoRE.FindAllStringSubmatch(w, -1) {
				ss.add(m[2], minPassword)
			}
		})
	}
}

func isB64URL(c byte) bool { return isAlnum(c) || c == '_' || c == '-' }

// jwts returns what jwtRE.FindAllString(s, -1) returns: "eyJ" and six or
// more base64url characters, a dot, the same again, a dot and the rest of
// the base64url run. Each run's end is found once, however many anchors
// it holds.
func jwts(s string) []string {
	var out []string
	runEnd := -1
	for off := 0; ; {
		i := strings.Index(s[off:], "eyJ")
		if i < 0 {
			return out
		}
		at := off + i
		off = at + 1
		if at >= runEnd {
			runEnd = b64urlEnd(s, at)
		}
		dot1 := runEnd
		if dot1-at < 9 || dot1 >= len(s) || s[dot1] != '.' || !strings.HasPrefix(s[dot1+1:], "eyJ") {
			continue
		}
		dot2 := b64urlEnd(s, dot1+1)
		if dot2-dot1-1 < 9 || dot2 >= len(s) || s[dot2] != '.' {
			continue
		}
		end := b64urlEnd(s, dot2+1)
		out = append(out, s[at:end])
		off = end
	}
}

func b64urlEnd(s string, i int) int {
	for i < len(s) && isB64URL(s[i]) {
		i++
	}
	return i
}

// bearers returns the credentials (group 3) bearerRE finds: "bearer" in
// any case after a word boundary, whitespace, %20 or '+', and eight or
// more of A-Za-z0-9._~+/=-.
func bearers(s string) []string {
	var out []string
	tok := func(c byte) bool { return isAlnum(c) || strings.IndexByte("._~+/=-", c) >= 0 }
	for off := 0; off < len(s); {
		i := indexFrom(s[off:], "bearer", true)
		if i < 0 {
			return out
		}
		at := off + i
		off = at + 1
		if at > 0 && (isAlnum(s[at-1]) || s[at-1] == '_') {
			continue
		}
		j := at + 6
		switch {
		case j < len(s) && isSpace(s[j]):
			for j < len(s) && isSpace(s[j]) {
				j++
			}
		case strings.HasPrefix(s[j:], "%20"):
			j += 3
		case j < len(s) && s[j] == '+':
			j++
		default:
			continue
		}
		end := j
		for end < len(s) && tok(s[end]) {
			end++
		}
		if end-j >= 8 {
			out = append(out, s[j:end])
			off = end
		}
	}
	return out
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
