package policy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	t.Parallel()
	p, err := Parse([]byte(`
name: release gate
description: what ships
rules:
  - id: ga
    description: GA gets page URLs
    match: { company: "Google", domain: google-analytics.com }
    allow: { meanings: [page_url, referrer] }
    deny:  { data: ["*"] }
  - deny: { categories: [ad], data: [email, custom.member_id], channel: query }
  - id: tp
    deny: { third_parties: true, pages: "/account/*" }
`), "gate.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "release gate" || p.Description != "what ships" || len(p.Rules) != 3 {
		t.Fatalf("policy: %+v", p)
	}
	r := p.Rules[0]
	if r.ID != "ga" || r.Line != 5 || r.Match.Companies[0] != "Google" || r.Match.Domains[0] != "google-analytics.com" ||
		len(r.Allow.Meanings) != 2 || r.Deny.Data[0] != "*" {
		t.Errorf("rule 0: %+v %+v %+v", r, r.Match, r.Allow)
	}
	r = p.Rules[1]
	if r.ID != "rule-2" || r.Description != "rule-2" || r.Deny.Categories[0] != "ad" || r.Deny.Data[1] != "custom.member_id" || r.Deny.Channels[0] != "query" {
		t.Errorf("rule 1: %+v %+v", r, r.Deny)
	}
	if r := p.Rules[2]; !r.Deny.ThirdParties || r.Deny.Pages[0] != "/account/*" {
		t.Errorf("rule 2: %+v", r.Deny)
	}
	q, err := Parse([]byte("rules: [{deny: {data: email}}]"), "dir/strict.yml")
	if err != nil || q.Name != "strict" {
		t.Errorf("name from file: %+v %v", q, err)
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, yaml, want string
	}{
		{"not yaml", "rules: [", "not valid YAML"},
		{"empty", "", "empty policy"},
		{"top-level list", "- a", "policy must be a mapping"},
		{"unknown top key", "name: x\nrulez: []\n", `line 2: unknown key "rulez" in policy`},
		{"no rules", "name: x\n", "no rules"},
		{"rules not list", "rules: {a: b}", "rules must be a list"},
		{"unknown rule key", "rules:\n  - id: a\n    deny: {data: email}\n    severity: high\n", `line 4: unknown key "severity" in rule`},
		{"unknown selector key", "rules:\n  - id: a\n    deny:\n      comapny: Meta\n", `line 4: unknown key "comapny" in deny (valid: data, patterns`},
		{"no deny", "rules:\n  - id: a\n    match: {company: Meta}\n", "line 2: rule a has no deny"},
		{"duplicate id", "rules:\n  - {id: a, deny: {data: email}}\n  - {id: a, deny: {data: zip}}\n", `line 3: rule id "a" already used on line 2`},
		{"duplicate key", "rules:\n  - id: a\n    id: b\n    deny: {data: email}\n", `key "id" appears twice`},
		{"alias of key", "rules:\n  - deny: {company: Meta, companies: Google}\n", "company is given twice"},
		{"empty selector", "rules:\n  - deny: {}\n", "deny selects nothing"},
		{"unknown data kind", "rules:\n  - deny: {data: [emial]}\n", `data value "emial" is not known (known: city, country`},
		{"unknown finding type", "rules:\n  - deny: {finding_types: sesion-replay}\n", `finding_types value "sesion-replay" is not known`},
		{"unknown channel", "rules:\n  - deny: {channels: [headers]}\n", `channels value "headers" is not known`},
		{"unknown meaning", "rules:\n  - deny: {meanings: [url]}\n", `meanings value "url" is not known`},
		{"bad bool", "rules:\n  - deny: {third_parties: maybe}\n", "third_parties must be true or false"},
		{"map as value", "rules:\n  - deny: {company: {a: b}}\n", "company must be a value or a list"},
		{"nested list", "rules:\n  - deny: {company: [[a]]}\n", "each value of company must be a non-empty string"},
		{"empty list", "rules:\n  - deny: {company: []}\n", "company is an empty list"},
		{"null value", "rules:\n  - deny: {company: ~}\n", "company is empty"},
		{"id not scalar", "rules:\n  - {id: [a], deny: {data: email}}\n", "id must be a single value"},
		{"alias rule", "rules:\n  - &r {deny: {data: email}}\n  - *r\n", "aliases are not supported"},
		{"alias value", "rules:\n  - deny: &d {data: email}\n  - allow: *d\n    deny: {data: zip}\n", "aliases are not supported"},
		{"two documents", "rules: [{deny: {data: email}}]\n---\nrules: []\n", "one YAML document"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse([]byte(tc.yaml), "p.yaml")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("want error containing %q, got %v", tc.want, err)
			}
			if !strings.HasPrefix(err.Error(), "policy p.yaml: ") {
				t.Errorf("error does not name the file: %v", err)
			}
		})
	}
}

func TestLoad(t *testing.T) {
	t.Parallel()
	if _, err := Load(filepath.Join(t.TempDir(), "missing.yaml")); err == nil || !strings.Contains(err.Error(), "read policy") {
		t.Errorf("missing file: %v", err)
	}
	path := filepath.Join(t.TempDir(), "p.yaml")
	os.WriteFile(path, []byte("rules: [{id: x, deny: {patterns: us-ssn}}]"), 0o600)
	p, err := Load(path)
	if err != nil || p.Rules[0].Deny.Patterns[0] != "us-ssn" {
		t.Errorf("load: %+v %v", p, err)
	}
}

func TestGlob(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"*", "", true},
		{"*", "anything", true},
		{"google", "Google", true},
		{"goog*", "Google LLC", true},
		{"*.facebook.com", "www.facebook.com", true},
		{"*.facebook.com", "facebook.com", false},
		{"custom.*", "custom.member_id", true},
		{"custom.*", "email", false},
		{"/account/*", "/account/orders/12", true},
		{"/account/*", "/accounts", false},
		{"a?c", "abc", true},
		{"a?c", "ac", false},
		{"*a*a*a*a*b", strings.Repeat("a", 200), false},
		{"Ünï*", "ünïcode", true},
	}
	for _, tc := range tests {
		if got := glob(tc.pattern, tc.s); got != tc.want {
			t.Errorf("glob(%q, %q) = %v", tc.pattern, tc.s, got)
		}
	}
}

func TestPagePath(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"https://shop.example/account/orders?id=1#x": "/account/orders",
		"https://shop.example":                       "/",
		"/track?n=1":                                 "/track",
	} {
		if got := pagePath(in); got != want {
			t.Errorf("pagePath(%q) = %q, want %q", in, got, want)
		}
	}
}
