package policy

import (
	"fmt"
	"strings"

	"github.com/leakwatch/leakwatch/internal/audit"
)

// Evaluate checks every rule of p against r. With a baseline, only items
// that are new relative to it count: a finding is the same as a baseline
// finding when its type, company, vendor, product, account, field or rule,
// channel and location agree (request indexes and pages are ignored); a
// third party is the same company; a pixel the same vendor, product and ID.
func Evaluate(p *Policy, r *audit.Report, baseline *audit.Report) *audit.PolicyResult {
	res := &audit.PolicyResult{Passed: true, Rules: []audit.RuleResult{}}
	if p == nil || r == nil {
		return res
	}
	res.Name = p.Name
	its := items(r)
	if baseline != nil {
		old := map[string]bool{}
		for _, it := range items(baseline) {
			old[it.key] = true
		}
		kept := its[:0:0]
		for _, it := range its {
			if !old[it.key] {
				kept = append(kept, it)
			}
		}
		its = kept
	}
	for _, rule := range p.Rules {
		rr := evalRule(rule, its, baseline != nil)
		res.Violations += len(rr.Violations)
		res.Passed = res.Passed && rr.Passed
		res.Rules = append(res.Rules, rr)
	}
	return res
}

func evalRule(rule Rule, its []item, newOnly bool) audit.RuleResult {
	rr := audit.RuleResult{ID: rule.ID, Description: rule.Description, Passed: true}
	seen := map[string]bool{}
	for i := range its {
		it := &its[i]
		if !rule.breaks(it) {
			continue
		}
		rr.Passed = false
		if it.kind == kindFinding {
			rr.Findings = append(rr.Findings, it.index)
		}
		s := it.sentence
		if newOnly {
			s = "new: " + s
		}
		if !seen[s] {
			seen[s] = true
			rr.Violations = append(rr.Violations, s)
		}
	}
	return rr
}

// breaks reports whether an item breaks the rule.
func (r *Rule) breaks(it *item) bool {
	if r.Match != nil && !r.Match.matches(it, false) {
		return false
	}
	if !r.Deny.matches(it, true) {
		return false
	}
	return r.Allow == nil || !r.Allow.matches(it, false)
}

// Fail-on kinds.
const (
	FailLeak    = "leak"
	FailPattern = "pattern"
	FailNew     = "new"
	FailConsent = "consent"
	// FailAfterReject, FailDespiteGPC and FailBeforeChoice fail on one kind
	// of consent finding each; FailConsent on all of them and on
	// consent-conflict findings.
	FailAfterReject  = audit.TypeAfterReject
	FailDespiteGPC   = audit.TypeDespiteGPC
	FailBeforeChoice = audit.TypeBeforeChoice
)

// FailOn builds the policy behind --fail-on: "leak" fails on any persona
// leak, "pattern" on any high-confidence value found without a persona
// (lower-confidence matches fail nothing), "consent" on any request that
// contradicts its own consent signal, "new" on anything not in the baseline
// (findings, third-party companies, pixel IDs). Values may also be given
// comma-separated in one string.
func FailOn(kinds []string) (*Policy, error) {
	p := &Policy{Name: "fail-on"}
	seen := map[string]bool{}
	for _, arg := range kinds {
		for _, k := range strings.Split(arg, ",") {
			k = strings.ToLower(strings.TrimSpace(k))
			if k == "" || seen[k] {
				continue
			}
			seen[k] = true
			rules, ok := failOnRules[k]
			if !ok {
				return nil, fmt.Errorf("--fail-on %q: want %s (comma-separated)", k, strings.Join(FailOnKinds(), ", "))
			}
			p.Rules = append(p.Rules, rules...)
		}
	}
	if len(p.Rules) == 0 {
		return nil, fmt.Errorf("--fail-on: want %s (comma-separated)", strings.Join(FailOnKinds(), ", "))
	}
	p.Name = "fail-on " + strings.Join(ruleIDs(p), ",")
	return p, nil
}

// FailOnKinds lists what --fail-on accepts.
func FailOnKinds() []string {
	return []string{FailLeak, FailPattern, FailConsent, FailAfterReject, FailDespiteGPC, FailBeforeChoice, FailNew}
}

var failOnRules = map[string][]Rule{
	FailConsent: {{ID: "fail-on-consent", Description: "No data to a third party against consent: before a choice, after reject, despite GPC, or while a request declares consent denied",
		Deny: &Selector{Types: []string{audit.TypeConsentConflict, audit.TypeBeforeChoice, audit.TypeAfterReject, audit.TypeDespiteGPC}}}},
	FailAfterReject: {{ID: "fail-on-after-reject", Description: "No data to a third party after reject all",
		Deny: &Selector{Types: []string{audit.TypeAfterReject}}}},
	FailDespiteGPC: {{ID: "fail-on-despite-gpc", Description: "No data to a third party while Global Privacy Control is sent",
		Deny: &Selector{Types: []string{audit.TypeDespiteGPC}}}},
	FailBeforeChoice: {{ID: "fail-on-before-choice", Description: "No data to a third party before a consent choice on a page with a banner",
		Deny: &Selector{Types: []string{audit.TypeBeforeChoice}}}},
	FailLeak: {{ID: "fail-on-leak", Description: "No persona data reaches a third party",
		Deny: &Selector{Types: []string{"leak"}}}},
	FailPattern: {{ID: "fail-on-pattern", Description: "No personal value (email, phone, address, tracking number, card, SSN) reaches a third party",
		Deny: &Selector{Types: []string{"pattern"}}}},
	FailNew: {
		{ID: "fail-on-new-finding", Description: "No finding that the baseline does not have",
			Deny: &Selector{Types: []string{"*"}}},
		{ID: "fail-on-new-third-party", Description: "No third-party company that the baseline does not have",
			Deny: &Selector{ThirdParties: true}},
		{ID: "fail-on-new-pixel", Description: "No pixel ID that the baseline does not have",
			Deny: &Selector{Pixels: true}},
	},
}

func ruleIDs(p *Policy) []string {
	var kinds []string
	for _, r := range p.Rules {
		k := strings.TrimPrefix(r.ID, "fail-on-")
		if strings.HasPrefix(k, "new") {
			k = "new"
		}
		if len(kinds) == 0 || kinds[len(kinds)-1] != k {
			kinds = append(kinds, k)
		}
	}
	return kinds
}

// NeedsBaseline reports whether the policy only makes sense with a baseline
// (it came from --fail-on new); without one every item counts as new.
func (p *Policy) NeedsBaseline() bool {
	for _, r := range p.Rules {
		if strings.HasPrefix(r.ID, "fail-on-new") {
			return true
		}
	}
	return false
}

// Combine joins policies (e.g. --policy and --fail-on) into one; rule IDs
// must stay unique.
func Combine(ps ...*Policy) (*Policy, error) {
	out := &Policy{}
	ids := map[string]string{}
	var names []string
	for _, p := range ps {
		if p == nil {
			continue
		}
		names = append(names, p.Name)
		for _, r := range p.Rules {
			if other, dup := ids[r.ID]; dup {
				return nil, fmt.Errorf("rule id %q is in both %s and %s", r.ID, other, p.Name)
			}
			ids[r.ID] = p.Name
			out.Rules = append(out.Rules, r)
		}
	}
	out.Name = strings.Join(names, " + ")
	return out, nil
}
