package party

import (
	_ "embed"
	"fmt"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// familiesTSV holds the domain-family rules (google.<any suffix>, the .google
// TLD); see the file's header for the format.
//
//go:embed data/families.tsv
var familiesTSV string

// family is one label rule: LABEL.SUFFIX under the listed ICANN suffixes
// (any when suffixes is nil) belongs to entity ent.
type family struct {
	ent      int32
	suffixes map[string]bool
}

// families are the rules of data/families.tsv bound to entity indexes.
type families struct {
	labels map[string]family // label → rule
	tlds   map[string]int32  // TLD → entity
}

// parseFamilies reads data/families.tsv, resolving entity names through
// byName. An unknown entity or kind is an error: the embedded data is
// checked by the tests.
func parseFamilies(s string, byName map[string]int32) (families, error) {
	f := families{labels: map[string]family{}, tlds: map[string]int32{}}
	for n, line := range strings.Split(s, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		fs := strings.Split(line, "\t")
		if len(fs) != 4 || fs[1] == "" || fs[2] == "" {
			return f, fmt.Errorf("embedded families.tsv line %d: want kind<TAB>name<TAB>suffixes<TAB>entity", n+1)
		}
		ent, ok := byName[strings.ToLower(fs[3])]
		if !ok {
			return f, fmt.Errorf("embedded families.tsv line %d: unknown entity %q", n+1, fs[3])
		}
		name := strings.ToLower(fs[1])
		switch fs[0] {
		case "label":
			rule := family{ent: ent}
			if fs[2] != "*" {
				rule.suffixes = make(map[string]bool)
				for _, sfx := range strings.Fields(fs[2]) {
					rule.suffixes[strings.ToLower(sfx)] = true
				}
			}
			f.labels[name] = rule
		case "tld":
			f.tlds[name] = ent
		default:
			return f, fmt.Errorf("embedded families.tsv line %d: unknown kind %q", n+1, fs[0])
		}
	}
	return f, nil
}

// lookup finds the family of a normalized host whose registrable domain is
// domain. Only ICANN suffixes count: google.github.io is a GitHub Pages
// site, not Google's.
func (f *families) lookup(host, domain string) (domainRef, bool) {
	if domain == "" || domain == host && !strings.Contains(host, ".") {
		return domainRef{}, false
	}
	ps, icann := publicsuffix.PublicSuffix(domain)
	if !icann || len(ps) >= len(domain) {
		return domainRef{}, false
	}
	tld := ps[strings.LastIndexByte(ps, '.')+1:]
	if ent, ok := f.tlds[tld]; ok {
		return domainRef{ent: ent}, true
	}
	label := domain[:len(domain)-len(ps)-1]
	if rule, ok := f.labels[label]; ok && (rule.suffixes == nil || rule.suffixes[ps]) {
		return domainRef{ent: rule.ent}, true
	}
	return domainRef{}, false
}
