package leak

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// verdict is how sure a pattern finding is, and why.
type verdict struct {
	conf, reason string
	drop         bool // proven not to be a value at all
}

func verdictf(conf, format string, args ...any) verdict {
	return verdict{conf: conf, reason: fmt.Sprintf(format, args...)}
}

// judgeInput is a pattern finding in its context.
type judgeInput struct {
	sp       span
	v        []byte // the value it was found in
	class    nameClass
	name     string // the field name, as written
	shipping func() bool
}

// patternJudges decide each rule's confidence once the shared context
// rules (judgePattern) have not decided it.
var patternJudges = map[string]func(in judgeInput) verdict{
	"email":        judgeEmail,
	"phone":        judgePhone,
	"payment-card": judgeCard,
	"us-ssn":       judgeSSN,
	"us-address":   judgeAddress,
	"usps-impb":    judgeTracking,
	"upu-s10":      judgeTracking,
	"ups":          judgeTracking,
	"fedex":        judgeTracking,
}

// ruleNouns name what each rule finds, for reasons.
var ruleNouns = map[string]string{
	"email": "an e-mail address", "phone": "a phone number", "us-address": "a street address",
	"payment-card": "a card-shaped number", "us-ssn": "an SSN-shaped number", "usps-impb": "a USPS tracking number",
	"upu-s10": "a UPU S10 tracking number", "ups": "a UPS tracking number", "fedex": "a FedEx tracking number",
}

// judgePattern decides a finding's confidence and records it, unless it
// is proven not to be a value (the fraction digits of a decimal number
// are dropped, not reported low).
//
// A value already found here is only counted, and past the finding budget
// a new one is only counted too: judging (libphonenumber above all) is
// the costly part, done once per finding kept.
func (s *scanner) judgePattern(sp span, loc string, v []byte, chain []string, shipping func() bool) {
	s.events++
	if i, ok := s.pseen[patternKey{sp.rule, sp.value, s.ch, loc}]; ok {
		s.res.Patterns[i].Count++
		return
	}
	if s.full() {
		if !fraction(v, sp.start) {
			s.drop(dropKey{persona: -1, rule: sp.rule, value: sp.value})
		}
		return
	}
	vd := judge(sp, loc, v, shipping)
	if vd.drop {
		return
	}
	s.recordPattern(PatternMatch{Rule: sp.rule, Value: sp.value, Location: loc,
		Confidence: vd.conf, Reason: vd.reason}, chain)
}

func judge(sp span, loc string, v []byte, shipping func() bool) verdict {
	noun := ruleNouns[sp.rule]
	numeric := sp.rule != "email" && sp.rule != "us-address"
	if numeric && fraction(v, sp.start) {
		return verdict{drop: true}
	}
	if what := scraped(loc, v, sp.start); what != "" {
		return verdictf(ConfidenceLow, "%s in %s: usually the site's own published details, not a visitor's.", capital(noun), what)
	}
	if numeric {
		if why := surroundings(v, sp); why != "" {
			return verdictf(ConfidenceLow, "%s %s.", capital(noun), why)
		}
	}
	class, name := classifyName(loc)
	switch {
	case sp.rule == "email":
	case class == nameTechnical:
		return verdictf(ConfidenceLow, "%s in field %q, a name used for random numbers, cache-busters and timestamps.", capital(noun), name)
	case class == nameIdentifier:
		return verdictf(ConfidenceLow, "%s in field %q, a name used for IDs.", capital(noun), name)
	}
	return patternJudges[sp.rule](judgeInput{sp: sp, v: v, class: class, name: name, shipping: shipping})
}

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// fraction reports digits right after "<digit>." : the fraction of a
// decimal number (a cache-buster's 0.4494358242955059), not a value.
func fraction(v []byte, start int) bool {
	return start >= 2 && start < len(v) && isDigit(v[start]) && v[start-1] == '.' && isDigit(v[start-2])
}

// surroundings says what around a numeric match shows it is part of
// something else, or "".
func surroundings(v []byte, sp span) string {
	if sp.end+1 < len(v) && v[sp.end] == '.' && isDigit(v[sp.end+1]) {
		return "is the whole part of a decimal number"
	}
	if uuidAround(v, sp.start, sp.end) {
		return "is part of a UUID"
	}
	if n := tokenExtra(v, sp.start, sp.end); n >= 4 {
		return "is part of a longer token (hex, base64 or an ID)"
	}
	if unit := epoch(v[sp.start:sp.end]); unit != "" {
		return "is a Unix time in " + unit + " between 2000 and 2100"
	}
	return ""
}

// tokenExtra counts the letters and digits joined to v[start:end] by
// token characters (base64's alphabet and '-', '_').
// It looks no further than 8 bytes each way: 4 is enough to decide, and a
// bounded look keeps many matches in one long token linear.
func tokenExtra(v []byte, start, end int) int {
	const look = 8
	n := 0
	for i := start - 1; i >= max(0, start-look) && class[v[i]]&cB64 != 0; i-- {
		if class[v[i]]&cAlnum != 0 {
			n++
		}
	}
	for i := end; i < min(len(v), end+look) && class[v[i]]&cB64 != 0; i++ {
		if class[v[i]]&cAlnum != 0 {
			n++
		}
	}
	return n
}

// uuidAround reports that the hex-and-dash token around v[start:end] is
// shaped like a UUID (8-4-4-4-12).
func uuidAround(v []byte, start, end int) bool {
	const uuidLen = 36 // a longer token is not a UUID: stop looking there
	a, b := start, end
	for a > 0 && start-a <= uuidLen && (class[v[a-1]]&cHex != 0 || v[a-1] == '-') {
		a--
	}
	for b < len(v) && b-end <= uuidLen && (class[v[b]]&cHex != 0 || v[b] == '-') {
		b++
	}
	groups := strings.Split(string(v[a:b]), "-")
	if len(groups) != 5 {
		return false
	}
	for i, n := range []int{8, 4, 4, 4, 12} {
		if len(groups[i]) != n {
			return false
		}
	}
	return true
}

// epoch names the unit when text is a bare run of digits (a leading '+'
// allowed) that reads as a Unix time between 2000 and 2100, or "".
func epoch(text []byte) string {
	t := strings.TrimPrefix(string(text), "+")
	if !allDigits([]byte(t)) {
		return ""
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil {
		return ""
	}
	const lo, hi = 946684800, 4102444800 // 2000-01-01, 2100-01-01
	switch {
	case len(t) == 10 && n >= lo && n < hi:
		return "seconds"
	case len(t) == 13 && n >= lo*1000 && n < hi*1000:
		return "milliseconds"
	}
	return ""
}

func judgeEmail(in judgeInput) verdict {
	local, domain, _ := strings.Cut(in.sp.value, "@")
	if why := machineEmail(local, strings.ToLower(domain)); why != "" {
		return verdictf(ConfidenceLow, "An address made by software, not a person: %s.", why)
	}
	if in.class == nameEmail {
		return verdictf(ConfidenceHigh, "An e-mail address in field %q.", in.name)
	}
	return verdictf(ConfidenceHigh, "An e-mail address.")
}

// machineDomains are domains whose addresses are keys and IDs of
// services, never a person's mailbox.
var machineDomains = []struct{ suffix, what string }{
	{"sentry.io", "a Sentry error-reporting key"},
	{"sentry.wixpress.com", "a Sentry error-reporting key"},
	{"sentry-next.wixpress.com", "a Sentry error-reporting key"},
	{"users.noreply.github.com", "a GitHub no-reply address"},
	{"gserviceaccount.com", "a Google service account"},
	{"group.calendar.google.com", "a Google Calendar ID"},
}

// machineEmail says why an address is machine-made, or "".
func machineEmail(local, domain string) string {
	for _, d := range machineDomains {
		if domain == d.suffix || strings.HasSuffix(domain, "."+d.suffix) {
			return d.what
		}
	}
	if len(local) >= 16 && allHex([]byte(local)) {
		return "the part before @ is a hex token"
	}
	var upper, lower, digit int
	for i := 0; i < len(local); i++ {
		switch c := local[i]; {
		case c >= 'A' && c <= 'Z':
			upper++
		case c >= 'a' && c <= 'z':
			lower++
		case c >= '0' && c <= '9':
			digit++
		}
	}
	if len(local) >= 20 && upper >= 3 && lower >= 3 && digit >= 3 && upper+lower+digit == len(local) {
		return "the part before @ is a base64-like token"
	}
	return ""
}

func judgePhone(in judgeInput) verdict {
	num, err := phonenumbers.Parse(in.sp.value, "US")
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return verdictf(ConfidenceLow, "Shaped like a phone number but not a valid number for its region (libphonenumber).")
	}
	region := phonenumbers.GetRegionCodeForNumber(num)
	if in.class == namePhone {
		return verdictf(ConfidenceHigh, "A valid %s phone number in field %q.", region, in.name)
	}
	return verdictf(ConfidenceMedium, "A valid %s phone number, formatted as one, in a field not named for phones.", region)
}

func judgeCard(in judgeInput) verdict {
	network := cardNetwork(in.sp.value)
	switch {
	case in.class == namePayment:
		return verdictf(ConfidenceHigh, "A Luhn-valid %s number in payment field %q.", network, in.name)
	case cardGrouped(in.v[in.sp.start:in.sp.end]):
		return verdictf(ConfidenceHigh, "A Luhn-valid %s number printed in groups, as on a card.", network)
	}
	return verdictf(ConfidenceLow, "A Luhn-valid number of %s's length and prefix with no sign of payment around it: one random number in ten passes Luhn.", network)
}

// cardGroupings are the ways card numbers are printed.
var cardGroupings = [][]int{{4, 4, 4, 4}, {4, 6, 5}, {4, 6, 4}, {4, 4, 4, 4, 3}}

// cardGrouped reports digits grouped as cards print them, one kind of
// separator throughout.
func cardGrouped(text []byte) bool {
	sep := " "
	if strings.Count(string(text), "-") > 0 {
		sep = "-"
	}
	groups := strings.Split(string(text), sep)
	for _, g := range cardGroupings {
		if len(g) != len(groups) {
			continue
		}
		ok := true
		for i, n := range g {
			ok = ok && len(groups[i]) == n && allDigits([]byte(groups[i]))
		}
		if ok {
			return true
		}
	}
	return false
}

func judgeSSN(in judgeInput) verdict {
	if in.class == nameSSN {
		return verdictf(ConfidenceHigh, "A number shaped like a US SSN, in a valid range, in field %q.", in.name)
	}
	return verdictf(ConfidenceMedium, "A number shaped like a US SSN, in a valid range, in a field not named for one.")
}

func judgeAddress(in judgeInput) verdict {
	if in.class == nameAddress {
		return verdictf(ConfidenceHigh, "A street address with a ZIP code in field %q.", in.name)
	}
	return verdictf(ConfidenceMedium, "A street address with a ZIP code, in a field not named for addresses.")
}

func judgeTracking(in judgeInput) verdict {
	noun := capital(ruleNouns[in.sp.rule])
	switch {
	case in.class == nameTracking:
		return verdictf(ConfidenceHigh, "%s with a valid check digit in field %q.", noun, in.name)
	case in.shipping():
		return verdictf(ConfidenceMedium, "%s with a valid check digit; the text around speaks of shipping, the field's name does not.", noun)
	}
	return verdictf(ConfidenceMedium, "%s with a valid check digit, but nothing around it speaks of shipping.", noun)
}
