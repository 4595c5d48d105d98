package consent

import (
	"strings"

	"github.com/leakwatch/leakwatch/internal/codec"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// cookieMatch is a platform a cookie of a request shows.
type cookieMatch struct{ platform, cookie string }

// cookieMatchesOf lists the platforms the cookies sent show: for each
// cookie (in eachCookie's order), each platform one of whose cookie rules
// it matches, in table order.
func cookieMatchesOf(h traffic.Headers, cookies []traffic.Cookie) []cookieMatch {
	var out []cookieMatch
	eachCookie(h, cookies, func(name, value string) {
		out = appendCookieMatches(out, name, value)
	})
	return out
}

// appendCookieMatches appends the platforms one cookie shows. An ASCII
// name costs a lookup of its exact rules and a check of the few prefix
// rules; the value is unescaped only for a rule asking what it holds.
func appendCookieMatches(out []cookieMatch, name, raw string) []cookieMatch {
	if !isASCII(name) {
		return appendCookieMatchesFold(out, name, codec.QueryUnescape(raw))
	}
	var cand [16]cookieRuleRef
	rules := cookieRuleIndex.candidates(cand[:0], name)
	value, unescaped := raw, false
	last := -1
	for _, r := range rules {
		if r.platform == last {
			continue
		}
		if r.contains != "" && !unescaped {
			value, unescaped = codec.QueryUnescape(raw), true
		}
		if strings.Contains(value, r.contains) {
			out = append(out, cookieMatch{platformRules[r.platform].Name, name})
			last = r.platform
		}
	}
	return out
}

// appendCookieMatchesFold is appendCookieMatches by a walk of the whole
// table, for a non-ASCII name that may fold to a rule's ("K" is "k").
func appendCookieMatchesFold(out []cookieMatch, name, value string) []cookieMatch {
	for _, p := range platformRules {
		if cookieMatches(p.Cookies, name, value) {
			out = append(out, cookieMatch{p.Name, name})
		}
	}
	return out
}

// cookieMatches reports whether a cookie matches one of rules.
func cookieMatches(rules []CookieRule, name, value string) bool {
	for _, c := range rules {
		n, prefix := strings.CutSuffix(c.Name, "*")
		ok := strings.EqualFold(name, n) || prefix && strings.HasPrefix(strings.ToLower(name), strings.ToLower(n))
		if ok && strings.Contains(value, c.Contains) {
			return true
		}
	}
	return false
}

// cookieRuleRef is one cookie rule of the platform table: its platform's
// position and what the value must hold.
type cookieRuleRef struct {
	platform int
	contains string
}

// cookieRules indexes the platform table's cookie rules: exact names
// (refs, by name) and prefixes.
type cookieRules struct {
	names    nameIndex // lower-case name → positions in refs
	refs     []cookieRuleRef
	prefixes []cookiePrefix
}

// cookiePrefix is a rule matching a name prefix (lower case).
type cookiePrefix struct {
	prefix string
	cookieRuleRef
}

// cookieRuleIndex is platformRules' cookie rules, indexed.
var cookieRuleIndex = func() (x cookieRules) {
	for i, p := range platformRules {
		for _, c := range p.Cookies {
			ref := cookieRuleRef{i, c.Contains}
			n, prefix := strings.CutSuffix(c.Name, "*")
			if n = strings.ToLower(n); prefix {
				x.prefixes = append(x.prefixes, cookiePrefix{n, ref})
				continue
			}
			x.names.add(n, len(x.refs))
			x.refs = append(x.refs, ref)
		}
	}
	return x
}()

// candidates appends the rules an ASCII cookie name may match, in table
// order (platform, then rule).
func (x *cookieRules) candidates(dst []cookieRuleRef, name string) []cookieRuleRef {
	for _, i := range x.names.lookup(name) {
		dst = append(dst, x.refs[i])
	}
	for _, p := range x.prefixes {
		if len(name) >= len(p.prefix) && strings.EqualFold(name[:len(p.prefix)], p.prefix) {
			dst = append(dst, p.cookieRuleRef)
		}
	}
	for i := 1; i < len(dst); i++ { // merge the two lists into table order
		for j := i; j > 0 && dst[j].platform < dst[j-1].platform; j-- {
			dst[j], dst[j-1] = dst[j-1], dst[j]
		}
	}
	return dst
}
