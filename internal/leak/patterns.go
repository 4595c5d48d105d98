package leak

import (
	"bytes"
	"regexp"
	"strings"
)

// patternRule recognises one kind of personal value without a persona.
// find returns each value found in v with where it sits; rules are a
// table so that a new kind is a new entry. How sure a finding is comes
// from the rule's judge (confidence.go).
type patternRule struct {
	name string
	find func(v []byte) []span
	// minDigits is the fewest ASCII digits a text must hold for the rule
	// to find anything in it: a value with fewer skips the rule.
	minDigits int
	// may says whether a text of that class can hold a match at all (the
	// anchors the rule's finder needs are there); nil means it may.
	may func(c textClass) bool
}

// span is one value a rule found: v[start:end] as written, value as
// reported (digits without their grouping, for numbers).
type span struct {
	rule       string
	value      string
	start, end int
}

var patternRules = []patternRule{
	{"email", findEmails, 0, func(c textClass) bool { return c.has&hasAt != 0 }},
	// findPhones wants ten digits, and '+' before ten in a row or a
	// separator between three and four.
	{"phone", findPhones, 10, func(c textClass) bool {
		return c.has&hasPlus != 0 && c.run >= 10 || c.has&(hasDash|hasDot|hasSpace) != 0 && c.run >= 4
	}},
	// findAddresses wants six digits, a run of five (the ZIP) and words
	// apart by ' ' or '+'.
	{"us-address", findAddresses, 6, func(c textClass) bool { return c.has&(hasSpace|hasPlus) != 0 && c.run >= 5 }},
	{"upu-s10", findS10, 9, func(c textClass) bool { return c.has&hasUpper != 0 && c.run >= 9 }}, // nine in a row
	{"ups", findUPS, 1, func(c textClass) bool { return c.has&hasZ != 0 }},                       // "1Z"
	{"us-ssn", findSSNs, 9, func(c textClass) bool { return c.has&hasDash != 0 && c.run >= 4 }},  // 3-2-4
	{"number", nil, 12, nil}, // digit runs of 12 to 34: IMpb, FedEx, payment cards (findNumbers names the rule)
}

// textClass is what one pass over a text learns for the pattern rules:
// its digits, its longest run of digits and which anchor bytes occur.
type textClass struct {
	digits, run int
	has         uint8
}

const (
	hasAt = 1 << iota
	hasPlus
	hasDash
	hasDot
	hasSpace
	hasUpper
	hasZ
)

// anchorBits maps a byte to the has bits it sets.
var anchorBits = func() (t [256]uint8) {
	t['@'], t['+'], t['-'], t['.'], t[' '] = hasAt, hasPlus, hasDash, hasDot, hasSpace
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = hasUpper
	}
	t['Z'] |= hasZ
	return t
}()

// classify reads v once for textClass.
func classify(v []byte) textClass {
	var c textClass
	run := 0
	for _, b := range v {
		if b >= '0' && b <= '9' {
			c.digits++
			run++
			continue
		}
		c.run = max(c.run, run)
		run = 0
		c.has |= anchorBits[b]
	}
	c.run = max(c.run, run)
	return c
}

// Patterns are searched in windows of patternChunk bytes that overlap by
// patternReach, so that a huge value can be stopped between windows and
// the regular expressions never run over megabytes at once. A value is
// taken from the window it starts in.
const (
	patternChunk = 1 << 20
	patternReach = 512
)

func (s *scanner) matchPatterns(loc string, v []byte, chain []string, f *features) {
	s.ship = shipState{loc: loc, v: v}
	if s.shipFn == nil {
		s.shipFn = s.shipping // bound once: a closure per value would allocate
	}
	for off := 0; off < len(v); off += patternChunk {
		if off > 0 && s.stop() {
			return
		}
		lo, hi := max(0, off-patternReach), min(len(v), off+patternChunk+patternReach)
		var cl textClass
		if f != nil && f.text && len(v) <= patternChunk {
			cl = f.class // the features' pass classified the whole value
		} else {
			cl = classify(v[lo:hi])
		}
		for _, r := range patternRules {
			if cl.digits < r.minDigits || r.may != nil && !r.may(cl) {
				continue
			}
			var found []span
			if r.find == nil {
				found = findNumbers(v[lo:hi], s.shipFn)
			} else {
				found = r.find(v[lo:hi])
			}
			for _, sp := range found {
				sp.start, sp.end = sp.start+lo, sp.end+lo
				if sp.start < off || sp.start >= off+patternChunk {
					continue
				}
				if sp.rule == "" {
					sp.rule = r.name
				}
				s.judgePattern(sp, loc, v, chain, s.shipFn)
			}
		}
	}
	s.ship = shipState{}
}

// shipState is the value matchPatterns is searching, and whether it
// speaks of shipping once asked (0 unknown, 1 yes, -1 no).
type shipState struct {
	loc   string
	v     []byte
	known int8
}

// shipping caches trackingContext for the value being searched.
func (s *scanner) shipping() bool {
	if s.ship.known == 0 {
		s.ship.known = -1
		if trackingContext(s.ship.loc, s.ship.v) {
			s.ship.known = 1
		}
	}
	return s.ship.known > 0
}

func isEmailLocal(c byte) bool {
	return class[c]&cAlnum != 0 && c < 0x80 || strings.IndexByte("._%+-", c) >= 0
}

// notEmailTLD are "domains" that are file names (logo@2x.png).
var notEmailTLD = map[string]bool{"png": true, "jpg": true, "jpeg": true, "gif": true, "svg": true,
	"webp": true, "js": true, "css": true, "ico": true, "avif": true}

func findEmails(v []byte) []span {
	var out []span
	for off := 0; ; {
		i := bytes.IndexByte(v[off:], '@')
		if i < 0 {
			return out
		}
		at := off + i
		off = at + 1
		a := at
		for a > 0 && isEmailLocal(v[a-1]) {
			a--
		}
		b := at + 1
		for b < len(v) && (class[v[b]]&cAlnum != 0 && v[b] < 0x80 || v[b] == '.' || v[b] == '-') {
			b++
		}
		for a < at && v[a] == '.' {
			a++
		}
		for b > at+1 && (v[b-1] == '.' || v[b-1] == '-') {
			b--
		}
		local, domain := strings.TrimRight(string(v[a:at]), "."), string(v[at+1:b])
		dot := strings.LastIndexByte(domain, '.')
		if local == "" || dot <= 0 {
			continue
		}
		tld := domain[dot+1:]
		if len(tld) < 2 || notEmailTLD[strings.ToLower(tld)] || strings.Trim(tld, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
			continue
		}
		out = append(out, span{value: local + "@" + domain, start: a, end: b})
	}
}

// Phone numbers need visible formatting (or a leading '+'): bare digit runs
// are timestamps and IDs far more often than phone numbers.
var (
	rePhoneNANP = regexp.MustCompile(`(?:^|[^\d+])((?:\+?1[ .-]?)?(?:\([2-9]\d{2}\) ?|[2-9]\d{2}[ .-])[2-9]\d{2}[ .-]\d{4})(?:$|\D)`)
	rePhoneE164 = regexp.MustCompile(`(?:^|[^\w+])(\+[1-9]\d{9,14})(?:$|\D)`)
)

func findPhones(v []byte) []span {
	if countDigits(v) < 10 {
		return nil
	}
	// Run the regexps only on windows around the shapes every phone rule
	// needs, which long values (cookies, bodies) rarely have. A window
	// never starts or ends inside a number.
	var out []span
	for _, w := range phoneWindows(v) {
		for _, re := range []*regexp.Regexp{rePhoneNANP, rePhoneE164} {
			for _, m := range re.FindAllSubmatchIndex(v[w[0]:w[1]], -1) {
				a, b := w[0]+m[2], w[0]+m[3]
				out = append(out, span{value: string(v[a:b]), start: a, end: b})
			}
		}
	}
	return out
}

// phoneWindows returns disjoint ranges of v around each '+' before ten
// digits (E.164; a NANP number after "+1" has the other anchor) and each "ddd-dddd" (with '-', '.' or ' '), widened by the length of the
// longest phone and to the ends of the digit runs they cut.
func phoneWindows(v []byte) [][2]int {
	const reach = 24
	var ws [][2]int
	prevHi := 0 // a window never widens back into the previous one
	for i := 0; i+1 < len(v); i++ {
		c := v[i]
		anchor := c == '+' && digitsFrom(v, i+1, 10) >= 10
		if !anchor && (c == '-' || c == '.' || c == ' ') && i >= 3 && i+4 < len(v) &&
			isDigit(v[i-1]) && isDigit(v[i-2]) && isDigit(v[i-3]) &&
			isDigit(v[i+1]) && isDigit(v[i+2]) && isDigit(v[i+3]) && isDigit(v[i+4]) {
			anchor = true
		}
		if !anchor {
			continue
		}
		lo, hi := max(0, i-reach), min(len(v), i+reach)
		for lo > prevHi && (isDigit(v[lo-1]) || v[lo-1] == '+') {
			lo--
		}
		for hi < len(v) && isDigit(v[hi]) {
			hi++
		}
		if n := len(ws); n > 0 && lo <= ws[n-1][1] {
			ws[n-1][1] = max(ws[n-1][1], hi)
		} else {
			ws = append(ws, [2]int{lo, hi})
		}
		prevHi = max(prevHi, hi)
	}
	return ws
}

// digitsFrom counts the digits in a row from v[i], up to most.
func digitsFrom(v []byte, i, most int) int {
	n := 0
	for i+n < len(v) && n < most && isDigit(v[i+n]) {
		n++
	}
	return n
}

func countDigits(v []byte) int {
	n := 0
	for _, c := range v {
		if c >= '0' && c <= '9' {
			n++
		}
	}
	return n
}

// findS10 finds 2 letters, 9 digits, 2 letters (EC123456785US) standing
// alone, with a valid check digit.
func findS10(v []byte) []span {
	var out []span
	for i := 0; i < len(v); {
		if !isDigit(v[i]) {
			i++
			continue
		}
		j := i
		for j < len(v) && isDigit(v[j]) {
			j++
		}
		if j-i == 9 && i >= 2 && j+2 <= len(v) && isUpper(v[i-1]) && isUpper(v[i-2]) &&
			isUpper(v[j]) && isUpper(v[j+1]) && (i == 2 || class[v[i-3]]&cAlnum == 0) &&
			(j+2 == len(v) || class[v[j+2]]&cAlnum == 0) {
			if tn := string(v[i-2 : j+2]); s10Valid(tn) {
				out = append(out, span{value: tn, start: i - 2, end: j + 2})
			}
		}
		i = j
	}
	return out
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

// s10Valid checks a UPU S10 check digit: weights 8,6,4,2,3,5,9,7 over the
// serial, c = 11 - sum mod 11, with 10 -> 0 and 11 -> 5.
func s10Valid(s string) bool {
	w := [8]int{8, 6, 4, 2, 3, 5, 9, 7}
	sum := 0
	for i := 0; i < 8; i++ {
		sum += int(s[2+i]-'0') * w[i]
	}
	c := 11 - sum%11
	switch c {
	case 10:
		c = 0
	case 11:
		c = 5
	}
	return int(s[10]-'0') == c
}

// upsValid checks a 1Z number: letters count as (code-63) mod 10, odd
// positions once and even positions twice, check = (10 - sum mod 10) mod 10.
func upsValid(s string) bool {
	body := s[2:17]
	sum := 0
	for i := 0; i < len(body); i++ {
		c := body[i]
		d := int(c - '0')
		if c >= 'A' && c <= 'Z' {
			d = (int(c) - 63) % 10
		}
		if i%2 == 1 {
			d *= 2
		}
		sum += d
	}
	return int(s[17]-'0') == (10-sum%10)%10
}

// findSSNs finds AAA-GG-SSSS not inside a longer run of digits and dashes,
// without the ranges the SSA never issues (area 000, 666, 9xx; group 00;
// serial 0000). A hand scan: a regexp here cost a tenth of the analysis.
func findSSNs(v []byte) []span {
	var out []span
	for i := 0; i+11 <= len(v); i++ {
		if v[i+3] != '-' || v[i+6] != '-' || !allDigits(v[i:i+3]) || !allDigits(v[i+4:i+6]) || !allDigits(v[i+7:i+11]) {
			continue
		}
		if (i > 0 && (isDigit(v[i-1]) || v[i-1] == '-')) || (i+11 < len(v) && (isDigit(v[i+11]) || v[i+11] == '-')) {
			continue
		}
		a, g, sn := string(v[i:i+3]), string(v[i+4:i+6]), string(v[i+7:i+11])
		if a == "000" || a == "666" || a[0] == '9' || g == "00" || sn == "0000" {
			continue
		}
		out = append(out, span{value: string(v[i : i+11]), start: i, end: i + 11})
		i += 10
	}
	return out
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if !isDigit(c) {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// hasDigitRun reports a run of exactly n digits (n == 9: at least 9).
func hasDigitRun(v []byte, n int) bool {
	run := 0
	for i := 0; i <= len(v); i++ {
		if i < len(v) && isDigit(v[i]) {
			run++
			continue
		}
		if run == n || n >= 9 && run >= n {
			return true
		}
		run = 0
	}
	return false
}

// trackingWords mark a field or text as being about shipments.
var trackingWords = []string{"track", "ship", "parcel", "fedex", "awb", "waybill", "consignment", "label", "deliver"}

// trackingContext reports whether a field's name or text speaks of
// shipments: FedEx's short check digits pass for one random number in
// ten, so its numbers count only there.
func trackingContext(loc string, v []byte) bool {
	for _, w := range trackingWords {
		if containsFold(loc, w) || len(v) < 4096 && containsFold(string(v), w) {
			return true
		}
	}
	return false
}

func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}
