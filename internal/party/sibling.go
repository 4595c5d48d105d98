package party

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/net/publicsuffix"
)

// genericLabelsTXT lists labels too common to make sibling domains.
//
//go:embed data/generic-labels.txt
var genericLabelsTXT string

// minSiblingLabel is the shortest label that makes sibling domains. Two- and
// three-letter labels are initials that unrelated owners share across
// suffixes (abc.com, abc.net.au); a short-named site that spans suffixes
// (bbc.com, bbc.co.uk) is listed in data/extra.tsv instead.
const minSiblingLabel = 4

var (
	genericOnce sync.Once
	genericSet  map[string]bool
	genericErr  error
)

// embeddedGenericLabels parses data/generic-labels.txt once per process.
func embeddedGenericLabels() (map[string]bool, error) {
	genericOnce.Do(func() { genericSet, genericErr = parseLabelList(genericLabelsTXT) })
	return genericSet, genericErr
}

func parseLabelList(s string) (map[string]bool, error) {
	m := make(map[string]bool)
	for n, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		if strings.ContainsAny(line, ". \t") || line != strings.ToLower(line) {
			return nil, fmt.Errorf("embedded generic-labels.txt line %d: want one lowercase label", n+1)
		}
		m[line] = true
	}
	return m, nil
}

// siblingLabel returns the label that domain, a registrable domain, shares
// with its siblings, or "" when it has none. The rule: a site that registers
// its name under several ICANN public suffixes owns them all (almundo.com
// and almundo.com.ar; nytimes.com and nytimes.co.uk). It does not apply
//   - under private suffixes (alice.github.io, bob.herokuapp.com: the
//     platform's customers are strangers to each other),
//   - to IP addresses and names without a public suffix,
//   - to labels shorter than minSiblingLabel, without a letter, or listed
//     in data/generic-labels.txt (news.com and news.com.au).
func siblingLabel(domain string, generic map[string]bool) string {
	if domain == "" || isIP(domain) || !strings.Contains(domain, ".") {
		return ""
	}
	ps, icann := publicsuffix.PublicSuffix(domain)
	if !icann || len(ps)+1 >= len(domain) {
		return ""
	}
	label := domain[:len(domain)-len(ps)-1]
	if len(label) < minSiblingLabel || strings.IndexByte(label, '.') >= 0 || generic[label] || !hasLetter(label) {
		return ""
	}
	return label
}

func hasLetter(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'a' && c <= 'z' {
			return true
		}
	}
	return false
}
