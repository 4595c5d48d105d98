package report

import (
	"strconv"
	"strings"

	"github.com/leakwatch/leakwatch/internal/audit"
)

// kindLabels are plain words for persona keys.
var kindLabels = map[string]string{
	"email":            "email address",
	"phone":            "phone number",
	"name":             "name",
	"first_name":       "first name",
	"last_name":        "last name",
	"street":           "street address",
	"city":             "city",
	"state":            "state",
	"zip":              "ZIP code",
	"country":          "country",
	"date_of_birth":    "date of birth",
	"tracking_numbers": "parcel tracking number",
	// pattern rules
	"us-address":   "US street address",
	"usps-impb":    "USPS tracking number",
	"upu-s10":      "S10 parcel number",
	"ups":          "UPS tracking number",
	"fedex":        "FedEx tracking number",
	"payment-card": "payment card number",
	"us-ssn":       "US social security number",
}

// kindLabel names a data kind in plain words.
func kindLabel(kind string) string {
	if l, ok := kindLabels[kind]; ok {
		return l
	}
	if rest, ok := strings.CutPrefix(kind, "custom."); ok {
		return rest
	}
	return strings.ReplaceAll(kind, "_", " ")
}

func kindLabelList(kinds []string) []string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = kindLabel(k)
	}
	return out
}

// joinWords joins items as "a, b and c".
func joinWords(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// noun picks the singular or plural form for n.
func noun(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// plural returns "1 company" or "3 companies".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func companyNames(cs []*company) []string {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = c.tp.Company
	}
	return names
}

// encodingChain renders transforms innermost last as "sha256 ← meta-normalize".
func encodingChain(enc []string) string {
	if len(enc) == 0 {
		return "plain"
	}
	return strings.Join(enc, " ← ")
}

// shorten cuts s to at most n runes, marking the cut with "…".
func shorten(s string, n int) string {
	if n <= 1 {
		return ""
	}
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	return string(rs[:n-1]) + "…"
}

// where names the place in a request a finding sits, e.g. "query ud[em]".
func where(f *audit.Finding) string {
	switch {
	case f.Channel != "" && f.Location != "":
		return f.Channel + " " + f.Location
	case f.Channel != "":
		return f.Channel
	}
	return f.Location
}

// findingTitle is a short line naming a non-leak finding.
func findingTitle(f *audit.Finding) string {
	if f.Summary != "" {
		return f.Summary
	}
	parts := []string{f.Type}
	for _, s := range []string{f.Vendor, f.Product, f.Account, f.Rule} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " ")
}

// reqID names a request as "#14", or "#2:14" for the third capture of
// several (sources are counted from 0; the first one is left out).
func reqID(source, index int) string {
	if source > 0 {
		return "#" + strconv.Itoa(source) + ":" + strconv.Itoa(index)
	}
	return "#" + strconv.Itoa(index)
}
