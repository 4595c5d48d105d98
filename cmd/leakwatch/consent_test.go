package main

import (
	"reflect"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/consent"
	"github.com/leakwatch/leakwatch/internal/lab"
)

func TestConsentRuns(t *testing.T) {
	t.Parallel()
	tests := []struct {
		consent string
		profile string
		gpc     bool
		withGPC bool
		want    []string // label/mode/gpc
		bad     bool
	}{
		{consent: "", want: []string{"//false"}},
		{consent: "reject", gpc: true, want: []string{"/reject/true"}},
		{consent: "all", want: []string{"none/none/false", "reject/reject/false", "accept/accept/false"}},
		{consent: "all", withGPC: true, want: []string{"none/none/false", "reject/reject/false", "accept/accept/false", "gpc/none/true"}},
		{consent: "all", gpc: true, withGPC: true, want: []string{"none/none/true", "reject/reject/true", "accept/accept/true"}},
		{consent: "Reject", bad: true},
		{consent: "deny", bad: true},
		{consent: "all", profile: "/tmp/p", bad: true},
	}
	for _, tc := range tests {
		f := scanFlags{consent: tc.consent, gpc: tc.gpc, profile: tc.profile}
		runs, err := f.consentRuns(tc.withGPC)
		if tc.bad {
			if err == nil {
				t.Errorf("--consent %q: no error", tc.consent)
			}
			continue
		}
		var got []string
		for _, r := range runs {
			got = append(got, r.label+"/"+r.mode+"/"+map[bool]string{true: "true", false: "false"}[r.gpc])
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("--consent %q gpc %v: %v (%v), want %v", tc.consent, tc.gpc, got, err, tc.want)
		}
	}
}

func TestWithLabel(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"report.html": "report.reject.html", "dir/scan.har": "dir/scan.reject.har",
		"noext": "noext.reject", "": "", "-": "-"} {
		if got := withLabel(in, "reject"); got != want {
			t.Errorf("withLabel(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestConsentRulesFromTable: every platform of internal/consent's table
// becomes a crawler rule with its banner and answers; a CMP keeps only
// its own globals, so a TCF API alone does not make every site Quantcast.
func TestConsentRulesFromTable(t *testing.T) {
	t.Parallel()
	table := consent.Rules()
	rules := consentRules(labConsentRule(lab.ConsentPlatform()))
	if len(rules) != len(table)+1 || rules[len(rules)-1].Name != lab.ConsentPlatform().Name {
		t.Fatalf("%d rules from %d platforms and the lab's", len(rules), len(table))
	}
	for i, p := range table {
		r := rules[i]
		if r.Name != p.Name || !reflect.DeepEqual(r.Banner, p.Banner) || r.Reject.API != p.Reject.API ||
			!reflect.DeepEqual(r.Accept.Selectors, p.Accept.Selectors) || r.Reject.Frame != p.Reject.Frame {
			t.Errorf("rule %d: %+v from %+v", i, r, p)
		}
		for _, g := range r.Globals {
			if g == "__tcfapi" && p.Kind != "framework" {
				t.Errorf("CMP %s keeps the framework's global %s", p.Name, g)
			}
		}
		if p.Kind == "cmp" && len(r.Globals) == 0 && len(r.Banner) == 0 {
			t.Errorf("CMP %s cannot be recognised in a page", p.Name)
		}
	}
}

func TestConsentFlagUsage(t *testing.T) {
	t.Parallel()
	code, _, errOut := runCmd(t, "", "scan", "--consent", "maybe", "https://example.com/")
	if code != exitUsage || !strings.Contains(errOut, "--consent") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}
