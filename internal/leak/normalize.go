package leak

import (
	"strings"
	"unicode"
)

// form is one normalized spelling of a persona value and the transforms
// that produced it, outermost first (empty: the value as given).
type form struct {
	s     string
	chain []string
}

// formSet collects forms, keeping the first (shortest-chain) spelling.
type formSet struct {
	list []form
	seen map[string]bool
}

func (fs *formSet) add(s string, chain ...string) {
	if s == "" {
		return
	}
	if fs.seen == nil {
		fs.seen = map[string]bool{}
	}
	if fs.seen[s] {
		return
	}
	fs.seen[s] = true
	fs.list = append(fs.list, form{s: s, chain: chain})
}

// normalizers add a field's vendor-specific forms; generic forms (as given,
// trimmed, lowercase, uppercase) are added for every field first.
var normalizers = map[string]func(*formSet, string){
	"email":            emailForms,
	"phone":            phoneForms,
	"first_name":       nameForms,
	"last_name":        nameForms,
	"city":             cityForms,
	"state":            stateForms,
	"zip":              zipForms,
	"country":          countryForms,
	"date_of_birth":    dateForms,
	"street":           streetForms,
	"tracking_numbers": trackingForms,
}

// formsFor returns the normalized forms of one persona value.
func formsFor(field, value string) []form {
	var fs formSet
	fs.add(value)
	t := strings.TrimSpace(value)
	fs.add(t, "trim")
	fs.add(strings.ToLower(t), "lowercase")
	fs.add(strings.ToUpper(t), "uppercase")
	if f := normalizers[field]; f != nil && t != "" {
		f(&fs, t)
	}
	return fs.list
}

func emailForms(fs *formSet, v string) {
	e := strings.ToLower(v)
	fs.add(strings.TrimRight(e, ","), "meta-normalize")
	g := strings.Join(strings.Fields(e), "")
	fs.add(g, "google-normalize")
	if local, domain, ok := strings.Cut(g, "@"); ok && (domain == "gmail.com" || domain == "googlemail.com") {
		fs.add(strings.ReplaceAll(local, ".", "")+"@"+domain, "google-normalize")
	}
}

func digitsOnly(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// phoneForms: digits only, without leading zeros (Meta), with the country
// code and no '+' (Snap), E.164 with '+' (Google, TikTok), national digits.
func phoneForms(fs *formSet, v string) {
	d := digitsOnly(v)
	if d == "" {
		return
	}
	fs.add(d, "digits")
	fs.add(strings.TrimLeft(d, "0"), "meta-normalize")
	full, national := splitCountryCode(v, d)
	if full != "" {
		fs.add(full, "snap-normalize")
		fs.add("+"+full, "e164")
	}
	if national != "" {
		fs.add(national, "national")
		if len(national) == 10 && strings.HasPrefix(full, "1") {
			a, b, c := national[:3], national[3:6], national[6:]
			fs.add(a+"-"+b+"-"+c, "phone-format")
			fs.add("("+a+") "+b+"-"+c, "phone-format")
			fs.add(a+"."+b+"."+c, "phone-format")
			fs.add(a+" "+b+" "+c, "phone-format")
		}
		if !strings.HasPrefix(full, "1") { // a trunk 0 outside North America
			fs.add("0"+national, "national")
		}
	}
}

// splitCountryCode returns the number with its country code (digits) and
// the national number, guessing NANP (+1) for bare 10-digit numbers.
func splitCountryCode(raw, d string) (full, national string) {
	raw = strings.TrimSpace(raw)
	switch {
	case strings.HasPrefix(raw, "+") || strings.HasPrefix(d, "00"):
		full = strings.TrimPrefix(d, "00")
		if strings.HasPrefix(full, "1") && len(full) == 11 {
			return full, full[1:]
		}
		for _, cc := range []int{2, 3, 1} {
			if len(full) > cc+6 {
				// Without a numbering-plan table the split is a guess;
				// two-digit codes are the most common outside NANP.
				return full, full[cc:]
			}
		}
		return full, ""
	case len(d) == 10:
		return "1" + d, d
	case len(d) == 11 && d[0] == '1':
		return d, d[1:]
	case len(d) == 11 && d[0] == '0':
		return "", d[1:]
	}
	return "", ""
}

func stripPunct(s string, keepSpace bool) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < 128 && (unicode.IsPunct(r) || unicode.IsSymbol(r)):
		case unicode.IsSpace(r) && !keepSpace:
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func nameForms(fs *formSet, v string) {
	fs.add(stripPunct(strings.ToLower(v), false), "meta-normalize")
	fs.add(stripPunct(strings.ToLower(v), true), "strip-punctuation")
}

func alnumLower(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func cityForms(fs *formSet, v string) {
	fs.add(alnumLower(v), "meta-normalize")
	fs.add(stripPunct(strings.ToLower(v), true), "strip-punctuation")
	fs.add(strings.ReplaceAll(strings.ToLower(v), " ", "+"), "plus-spaces")
}

func stateForms(fs *formSet, v string) {
	code, name, ok := usStates.lookup(v)
	if !ok {
		fs.add(alnumLower(v), "meta-normalize")
		return
	}
	fs.add(strings.ToLower(code), "meta-normalize")
	fs.add(code, "state-code")
	fs.add(name, "state-name")
	fs.add(strings.ToLower(name), "lowercase", "state-name")
	fs.add(alnumLower(name), "meta-normalize", "state-name")
}

func zipForms(fs *formSet, v string) {
	z := strings.ToLower(strings.TrimSpace(v))
	cut, _, _ := strings.Cut(z, "-")
	fs.add(strings.TrimSpace(cut), "meta-normalize")
	d := digitsOnly(v)
	if len(d) >= 5 && len(d) == len(strings.ReplaceAll(strings.ReplaceAll(z, "-", ""), " ", "")) {
		fs.add(d[:5], "zip5")
		fs.add(d, "digits")
		if len(d) == 9 {
			fs.add(d[:5]+"-"+d[5:], "zip+4")
		}
	}
	fs.add(strings.ReplaceAll(z, " ", ""), "no-spaces")
}

func countryForms(fs *formSet, v string) {
	code, name, ok := countries.lookup(v)
	if !ok {
		if c, found := countryAliases[strings.ToLower(v)]; found {
			code, name, ok = c, countries.byCode[c], true
		}
	}
	if !ok {
		fs.add(alnumLower(v), "meta-normalize")
		return
	}
	fs.add(strings.ToLower(code), "meta-normalize")
	fs.add(code, "country-code")
	fs.add(name, "country-name")
	fs.add(strings.ToLower(name), "lowercase", "country-name")
	fs.add(alnumLower(name), "meta-normalize", "country-name")
}

// dateFormats are the spellings of a date of birth we look for.
var dateFormats = []struct{ layout, name string }{
	{"20060102", "meta-normalize"}, {"2006-01-02", "date-iso"}, {"01/02/2006", "date-us"},
	{"02/01/2006", "date-eu"}, {"02.01.2006", "date-eu"}, {"2006/01/02", "date-ymd"},
	{"01022006", "date-mmddyyyy"}, {"02012006", "date-ddmmyyyy"}, {"1/2/2006", "date-us"},
	{"01-02-2006", "date-us"}, {"02-01-2006", "date-eu"},
}

func dateForms(fs *formSet, v string) {
	t, ok := parseDate(v)
	if !ok {
		return
	}
	for _, f := range dateFormats {
		fs.add(t.Format(f.layout), f.name)
	}
}

func streetForms(fs *formSet, v string) {
	low := strings.ToLower(stripPunct(v, true))
	low = strings.Join(strings.Fields(low), " ")
	fs.add(low, "strip-punctuation")
	fs.add(alnumLower(v), "meta-normalize")
	words := strings.Fields(low)
	abbr := make([]string, len(words))
	full := make([]string, len(words))
	for i, w := range words {
		abbr[i], full[i] = w, w
		for _, s := range streetSuffixes {
			if w == s[1] {
				abbr[i] = s[0]
			}
			if w == s[0] {
				full[i] = s[1]
			}
		}
	}
	fs.add(strings.Join(abbr, " "), "street-abbreviate")
	fs.add(strings.Join(full, " "), "street-expand")
	fs.add(strings.Join(abbr, "+"), "street-abbreviate", "plus-spaces")
	fs.add(strings.Join(words, "+"), "plus-spaces")
}

func trackingForms(fs *formSet, v string) {
	n := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '-' {
			return -1
		}
		return r
	}, v)
	fs.add(n, "no-spaces")
	fs.add(strings.ToUpper(n), "uppercase", "no-spaces")
}
