package redact

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

const stars = "****"

// Mask hides a persona value except the part a reader needs to see which
// value matched. kind is the persona key ("email", "phone", "first_name",
// "zip", "tracking_numbers", "custom.<name>", ...) or a pattern rule
// ("payment-card", "us-ssn", "usps-impb", ...). The number of hidden
// characters is not revealed.
func Mask(value, kind string) string {
	v := strings.TrimSpace(value)
	if v == "" {
		return ""
	}
	switch strings.ToLower(kind) {
	case "email":
		return maskEmail(v)
	case "phone":
		return keepLastDigits(v, 2)
	case "first_name", "last_name", "name", "street", "city", "us-address":
		return firstRunes(v, 1) + stars
	case "state":
		return firstRunes(v, 1) + "*"
	case "country":
		return v
	case "zip":
		return firstRunes(v, 2) + "***"
	case "date_of_birth":
		return maskDate(v)
	case "tracking_numbers", "tracking_number", "usps-impb", "upu-s10", "ups", "fedex":
		return firstLast(v, 4, 2)
	case "payment-card", "us-ssn":
		return stars + lastRunes(v, 4)
	}
	if utf8.RuneCountInString(v) <= 4 {
		return stars
	}
	return firstRunes(v, 2) + stars
}

func maskEmail(v string) string {
	at := strings.LastIndexByte(v, '@')
	if at <= 0 {
		return firstRunes(v, 1) + stars
	}
	return firstRunes(v[:at], 1) + stars + v[at:]
}

// keepLastDigits hides every digit but the last n, keeping punctuation.
func keepLastDigits(v string, n int) string {
	digits := 0
	for _, r := range v {
		if unicode.IsDigit(r) {
			digits++
		}
	}
	if digits <= n {
		return stars
	}
	var b strings.Builder
	seen := 0
	for _, r := range v {
		switch {
		case unicode.IsDigit(r):
			seen++
			if seen > digits-n {
				b.WriteRune(r)
			} else {
				b.WriteByte('*')
			}
		case unicode.IsLetter(r):
			b.WriteByte('*')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// maskDate keeps the year (a four-digit group) and hides day and month.
func maskDate(v string) string {
	var b strings.Builder
	run := []rune{}
	flush := func() {
		if len(run) == 4 {
			b.WriteString(string(run))
		} else {
			b.WriteString(strings.Repeat("*", len(run)))
		}
		run = run[:0]
	}
	for _, r := range v {
		if unicode.IsDigit(r) {
			run = append(run, r)
			continue
		}
		flush()
		if unicode.IsLetter(r) {
			b.WriteByte('*')
		} else {
			b.WriteRune(r)
		}
	}
	flush()
	return b.String()
}

// firstLast keeps the first and last runes of a long enough value.
func firstLast(v string, first, last int) string {
	v = strings.ReplaceAll(v, " ", "")
	if utf8.RuneCountInString(v) <= first+last+2 {
		return firstRunes(v, 1) + stars
	}
	return firstRunes(v, first) + stars + lastRunes(v, last)
}

func firstRunes(v string, n int) string {
	rs := []rune(v)
	if len(rs) <= n {
		if len(rs) <= 1 {
			return ""
		}
		return string(rs[:1])
	}
	return string(rs[:n])
}

func lastRunes(v string, n int) string {
	rs := []rune(v)
	if len(rs) <= n {
		return ""
	}
	return string(rs[len(rs)-n:])
}
