package leak

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
)

// patternRule recognises one kind of personal value without a persona.
// find returns each value found in v; rules are a table so that a new
// kind is a new entry.
type patternRule struct {
	name string
	find func(v []byte) []string
}

var patternRules = []patternRule{
	{"email", findEmails},
	{"phone", findPhones},
	{"us-address", findAddresses},
	{"upu-s10", findS10},
	{"ups", findUPS},
	{"us-ssn", findSSNs},
	{"number", nil}, // digit runs: IMpb, FedEx, payment cards (findNumbers)
}

func (s *scanner) matchPatterns(loc string, v []byte, chain []string) {
	for _, r := range patternRules {
		if r.find == nil {
			shipping := func() bool { return trackingContext(loc, v) }
			for _, n := range findNumbers(v, shipping) {
				s.recordPattern(n[0], n[1], loc, chain)
			}
			continue
		}
		for _, val := range r.find(v) {
			s.recordPattern(r.name, val, loc, chain)
		}
	}
}

func (s *scanner) recordPattern(rule, value, loc string, chain []string) {
	k := patternKey{rule, value, s.ch, loc}
	if s.pseen[k] {
		return
	}
	s.pseen[k] = true
	s.res.Patterns = append(s.res.Patterns, PatternMatch{
		Rule: rule, Value: value, Channel: s.ch, Location: loc, Encoding: slicesClone(chain),
	})
}

func slicesClone(c []string) []string {
	if len(c) == 0 {
		return nil
	}
	return append([]string(nil), c...)
}

func isEmailLocal(c byte) bool {
	return class[c]&cAlnum != 0 && c < 0x80 || strings.IndexByte("._%+-", c) >= 0
}

// notEmailTLD are "domains" that are file names (logo@2x.png).
var notEmailTLD = map[string]bool{"png": true, "jpg": true, "jpeg": true, "gif": true, "svg": true,
	"webp": true, "js": true, "css": true, "ico": true, "avif": true}

func findEmails(v []byte) []string {
	var out []string
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
		local, domain := strings.Trim(string(v[a:at]), "."), strings.TrimRight(string(v[at+1:b]), ".-")
		dot := strings.LastIndexByte(domain, '.')
		if local == "" || dot <= 0 {
			continue
		}
		tld := domain[dot+1:]
		if len(tld) < 2 || notEmailTLD[strings.ToLower(tld)] || strings.Trim(tld, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
			continue
		}
		out = append(out, local+"@"+domain)
	}
}

// Phone numbers need visible formatting (or a leading '+'): bare digit runs
// are timestamps and IDs far more often than phone numbers.
var (
	rePhoneNANP = regexp.MustCompile(`(?:^|[^\d+])((?:\+?1[ .-]?)?(?:\([2-9]\d{2}\) ?|[2-9]\d{2}[ .-])[2-9]\d{2}[ .-]\d{4})(?:$|\D)`)
	rePhoneE164 = regexp.MustCompile(`(?:^|[^\w+])(\+[1-9]\d{9,14})(?:$|\D)`)
)

func findPhones(v []byte) []string {
	if countDigits(v) < 10 {
		return nil
	}
	// The regexps backtrack over the whole value; run them only on windows
	// around the shapes every phone rule needs, which long values (cookies,
	// bodies) rarely have. A window never starts or ends inside a number.
	var out []string
	for _, w := range phoneWindows(v) {
		for _, re := range []*regexp.Regexp{rePhoneNANP, rePhoneE164} {
			for _, m := range re.FindAllSubmatch(v[w[0]:w[1]], 20) {
				if p := string(m[1]); !slices.Contains(out, p) {
					out = append(out, p)
				}
			}
		}
	}
	return out
}

// phoneWindows returns disjoint ranges of v around each '+' before a digit
// and each "ddd-dddd" (with '-', '.' or ' '), widened by the length of the
// longest phone and to the ends of the digit runs they cut.
func phoneWindows(v []byte) [][2]int {
	const reach = 24
	var ws [][2]int
	for i := 0; i+1 < len(v); i++ {
		c := v[i]
		anchor := c == '+' && isDigit(v[i+1])
		if !anchor && (c == '-' || c == '.' || c == ' ') && i >= 3 && i+4 < len(v) &&
			isDigit(v[i-1]) && isDigit(v[i-2]) && isDigit(v[i-3]) &&
			isDigit(v[i+1]) && isDigit(v[i+2]) && isDigit(v[i+3]) && isDigit(v[i+4]) {
			anchor = true
		}
		if !anchor {
			continue
		}
		lo, hi := max(0, i-reach), min(len(v), i+reach)
		for lo > 0 && (isDigit(v[lo-1]) || v[lo-1] == '+') {
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
	}
	return ws
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

var reAddress = regexp.MustCompile(`(?i)\b(\d{1,6}(?:[ +][A-Za-z0-9.'#-]+){1,6}?[ +](?:street|st|avenue|ave|road|rd|boulevard|blvd|drive|dr|lane|ln|court|ct|way|place|pl|terrace|ter|parkway|pkwy|circle|cir|highway|hwy|trail|trl|square|sq)\.?(?:,|\b)[^\n]{0,80}?\b\d{5}(?:-\d{4})?)\b`)

func findAddresses(v []byte) []string {
	if countDigits(v) < 6 || bytes.IndexAny(v, " +") < 0 || !hasDigitRun(v, 5) {
		return nil
	}
	var out []string
	for _, m := range reAddress.FindAllSubmatch(v, 10) {
		out = append(out, string(m[1]))
	}
	return out
}

// findS10 finds 2 letters, 9 digits, 2 letters (EC123456785US) standing
// alone, with a valid check digit.
func findS10(v []byte) []string {
	var out []string
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
				out = append(out, tn)
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

var reUPS = regexp.MustCompile(`(?:^|[^A-Za-z0-9])(1Z[0-9A-Z]{16})(?:$|[^A-Za-z0-9])`)

func findUPS(v []byte) []string {
	if !bytes.Contains(v, []byte("1Z")) {
		return nil
	}
	var out []string
	for _, m := range reUPS.FindAllSubmatch(v, 20) {
		if upsValid(string(m[1])) {
			out = append(out, string(m[1]))
		}
	}
	return out
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
func findSSNs(v []byte) []string {
	var out []string
	for i := 0; i+11 <= len(v) && len(out) < 20; i++ {
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
		out = append(out, string(v[i:i+11]))
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
