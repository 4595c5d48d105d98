package policy

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/leakwatch/leakwatch/internal/audit"
)

// selectorKey is one key a selector accepts: its YAML names, the field it
// fills, and the vocabulary its values must come from (nil: any value).
type selectorKey struct {
	names []string
	field func(s *Selector) *[]string
	vocab []string
}

// DataKinds are the persona keys a data selector may name, besides
// "custom.<name>" and globs.
var DataKinds = []string{"email", "phone", "first_name", "last_name", "street", "city", "state", "zip",
	"country", "date_of_birth", "tracking_numbers"}

// PatternRules are the value patterns found without a persona.
var PatternRules = []string{"email", "phone", "us-address", "usps-impb", "upu-s10", "ups", "fedex", "payment-card", "us-ssn"}

// FindingTypes are the finding types a report may hold. Callers may append
// types that later analyses add.
var FindingTypes = []string{"leak", "pattern", "pixel-config", "cookie-sync", "session-replay", "third-party-cookie",
	"identifier-cookie", "fingerprinting", "tracking-beacon", "automatic-advanced-matching"}

// Confidences are the confidence levels of pattern findings.
var Confidences = []string{"high", "medium", "low"}

// Channels are where in a request data travels.
var Channels = []string{"url-path", "query", "fragment", "body", "header", "cookie", "websocket", "redirect"}

// Meanings are the pixel field meaning tags.
var Meanings = []string{"page_url", "referrer", "title", "user_id", "hashed_email", "hashed_phone", "hashed_name",
	"hashed_address", "plain_pii", "custom_data", "click_id", "device", "event", "account"}

var selectorKeys = []selectorKey{
	{[]string{"data"}, func(s *Selector) *[]string { return &s.Data }, DataKinds},
	{[]string{"patterns", "pattern"}, func(s *Selector) *[]string { return &s.Patterns }, PatternRules},
	{[]string{"finding_types", "finding_type", "types", "type"}, func(s *Selector) *[]string { return &s.Types }, FindingTypes},
	{[]string{"company", "companies"}, func(s *Selector) *[]string { return &s.Companies }, nil},
	{[]string{"domain", "domains"}, func(s *Selector) *[]string { return &s.Domains }, nil},
	{[]string{"category", "categories"}, func(s *Selector) *[]string { return &s.Categories }, nil},
	{[]string{"pages", "page"}, func(s *Selector) *[]string { return &s.Pages }, nil},
	{[]string{"channels", "channel"}, func(s *Selector) *[]string { return &s.Channels }, Channels},
	{[]string{"meanings", "meaning"}, func(s *Selector) *[]string { return &s.Meanings }, Meanings},
	{[]string{"accounts", "account"}, func(s *Selector) *[]string { return &s.Accounts }, nil},
	{[]string{"confidence", "confidences"}, func(s *Selector) *[]string { return &s.Confidence }, Confidences},
}

func validSelectorKeys() string {
	var names []string
	for _, k := range selectorKeys {
		names = append(names, k.names[0])
	}
	return strings.Join(append(names, "third_parties", "pixels"), ", ")
}

func parseSelector(n *yaml.Node, where string) (*Selector, error) {
	s := &Selector{}
	err := eachKey(n, where, func(key string, v *yaml.Node) error {
		var err error
		switch key {
		case "third_parties":
			s.ThirdParties, err = boolean(v, key)
			return err
		case "pixels":
			s.Pixels, err = boolean(v, key)
			return err
		}
		for _, k := range selectorKeys {
			if !slices.Contains(k.names, key) {
				continue
			}
			dst := k.field(s)
			if *dst != nil {
				return fmt.Errorf("line %d: %s is given twice in %s (as %q)", v.Line, k.names[0], where, key)
			}
			vals, err := list(v, key)
			if err != nil {
				return err
			}
			if err := checkVocab(vals, k, v.Line); err != nil {
				return err
			}
			*dst = vals
			return nil
		}
		return unknownKey(v, key, where, validSelectorKeys())
	})
	if err != nil {
		return nil, err
	}
	if s.empty() && !s.ThirdParties && !s.Pixels {
		return nil, fmt.Errorf("line %d: %s selects nothing: give at least one key (%s)", n.Line, where, validSelectorKeys())
	}
	return s, nil
}

func checkVocab(vals []string, k selectorKey, line int) error {
	if k.vocab == nil {
		return nil
	}
	for _, v := range vals {
		lv := strings.ToLower(v)
		if strings.ContainsAny(v, "*?") || slices.Contains(k.vocab, lv) {
			continue
		}
		if k.names[0] == "data" && strings.HasPrefix(lv, "custom.") && len(lv) > len("custom.") {
			continue
		}
		known := append([]string(nil), k.vocab...)
		sort.Strings(known)
		if k.names[0] == "data" {
			known = append(known, "custom.<name>")
		}
		return fmt.Errorf("line %d: %s value %q is not known (known: %s)", line, k.names[0], v, strings.Join(known, ", "))
	}
	return nil
}

// empty reports whether no list key is set.
func (s *Selector) empty() bool {
	for _, k := range selectorKeys {
		if len(*k.field(s)) > 0 {
			return false
		}
	}
	return true
}

// hasWhat reports whether the selector says what kind of item it picks.
func (s *Selector) hasWhat() bool {
	return len(s.Data) > 0 || len(s.Patterns) > 0 || len(s.Types) > 0 || s.ThirdParties || s.Pixels
}

// matches reports whether it picks it. findingsByDefault makes a selector
// without "what" keys pick findings only (the deny side of a rule).
func (s *Selector) matches(it *item, findingsByDefault bool) bool {
	if !s.matchesWhat(it, findingsByDefault) {
		return false
	}
	return s.confident(it, findingsByDefault) &&
		anyGlobOf(s.Companies, it.names) &&
		matchDomains(s.Domains, it.hosts) &&
		anyGlobOf(s.Categories, it.categories) &&
		matchPages(s.Pages, it.page) &&
		anyGlob(s.Channels, it.channel) &&
		anyGlob(s.Meanings, it.meaning) &&
		anyGlob(s.Accounts, it.account)
}

// confident applies the confidence key to pattern findings. Without it a
// deny selector picks only high-confidence ones (a lower-confidence match is
// shown with --verbose but fails nothing) and a match or allow selector any.
// A selector that names a confidence but no kind of item is about pattern
// findings only.
func (s *Selector) confident(it *item, findingsByDefault bool) bool {
	if it.kind != kindFinding || it.typ != "pattern" {
		return len(s.Confidence) == 0 || s.hasWhat()
	}
	if len(s.Confidence) > 0 {
		return matchAny(s.Confidence, it.confidence)
	}
	return !findingsByDefault || it.confidence == audit.ConfidenceHigh
}

func (s *Selector) matchesWhat(it *item, findingsByDefault bool) bool {
	if !s.hasWhat() {
		return !findingsByDefault || it.kind == kindFinding
	}
	switch it.kind {
	case kindThirdParty:
		return s.ThirdParties
	case kindPixel:
		return s.Pixels
	}
	if matchAny(s.Types, it.typ) {
		return true
	}
	switch it.typ {
	case "leak":
		return matchAny(s.Data, it.field)
	case "pattern":
		if matchAny(s.Patterns, it.rule) {
			return true
		}
		for _, d := range s.Data {
			if d == "*" || slices.Contains(patternKinds[it.rule], strings.ToLower(d)) {
				return true
			}
		}
	}
	return false
}

// patternKinds maps a pattern rule to the persona keys it stands for, so
// that a data selector also catches values found without a persona.
var patternKinds = map[string][]string{
	"email":      {"email"},
	"phone":      {"phone"},
	"us-address": {"street", "zip"},
	"usps-impb":  {"tracking_numbers"},
	"upu-s10":    {"tracking_numbers"},
	"ups":        {"tracking_numbers"},
	"fedex":      {"tracking_numbers"},
}

// anyGlob is true when no patterns are given or one matches v.
func anyGlob(patterns []string, v string) bool {
	return len(patterns) == 0 || matchAny(patterns, v)
}

func anyGlobOf(patterns []string, vs []string) bool {
	if len(patterns) == 0 {
		return true
	}
	for _, v := range vs {
		if matchAny(patterns, v) {
			return true
		}
	}
	return false
}

func matchAny(patterns []string, v string) bool {
	for _, p := range patterns {
		if glob(p, v) {
			return true
		}
	}
	return false
}

// matchDomains: a plain name matches the host itself, the registrable
// domain, or any subdomain; a glob matches any of the item's hosts.
func matchDomains(patterns []string, hosts []string) bool {
	if len(patterns) == 0 {
		return true
	}
	for _, p := range patterns {
		p = strings.ToLower(strings.TrimPrefix(p, "."))
		for _, h := range hosts {
			if glob(p, h) || strings.HasSuffix(h, "."+p) {
				return true
			}
		}
	}
	return false
}

// matchPages: "/..." matches the URL's path, anything else the whole URL.
func matchPages(patterns []string, page string) bool {
	if len(patterns) == 0 {
		return true
	}
	if page == "" {
		return false
	}
	p := pagePath(page)
	for _, pat := range patterns {
		if strings.HasPrefix(pat, "/") {
			if glob(pat, p) {
				return true
			}
		} else if glob(pat, page) {
			return true
		}
	}
	return false
}

// pagePath returns the path of a URL without query or fragment.
func pagePath(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
		if j := strings.IndexByte(u, '/'); j >= 0 {
			u = u[j:]
		} else {
			u = "/"
		}
	}
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	return u
}

// glob matches case-insensitively; * is any run of characters, ? one.
func glob(pattern, s string) bool {
	return globMatch([]rune(strings.ToLower(pattern)), []rune(strings.ToLower(s)))
}

func globMatch(p, s []rune) bool {
	// Iterative matcher with single-star backtracking: linear in practice,
	// never exponential.
	pi, si, star, mark := 0, 0, -1, 0
	for si < len(s) {
		switch {
		case pi < len(p) && (p[pi] == '?' || p[pi] == s[si]):
			pi++
			si++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, si
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}
