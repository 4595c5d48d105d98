package crawl

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/leakwatch/leakwatch/internal/browser"
)

// Field is a text field of a page, as the page describes it.
type Field struct {
	Selector     string `json:"selector"`
	Type         string `json:"type"`
	Autocomplete string `json:"autocomplete"`
	Name         string `json:"name"`
	ID           string `json:"id"`
	Placeholder  string `json:"placeholder"`
	Label        string `json:"label"`
	Filled       bool   `json:"filled"`
	// Form is the field's form's position in document.forms, -1 for none.
	Form int `json:"form"`
}

// Kinds are the form value kinds FillForms understands, named after the
// HTML autocomplete tokens; any other FormValues key is a custom kind,
// matched against a field's name, id, placeholder and label.
var Kinds = []string{"email", "tel", "given-name", "family-name", "name", "street-address",
	"address-level2", "address-level1", "postal-code", "country", "bday", "search"}

// autocompleteKind maps autocomplete tokens to kinds.
var autocompleteKind = map[string]string{
	"email": "email", "tel": "tel", "tel-national": "tel", "given-name": "given-name",
	"family-name": "family-name", "name": "name", "street-address": "street-address",
	"address-line1": "street-address", "address-level2": "address-level2",
	"address-level1": "address-level1", "postal-code": "postal-code", "country": "country",
	"country-name": "country", "bday": "bday",
}

// typeKind maps input types to kinds.
var typeKind = map[string]string{"email": "email", "tel": "tel", "search": "search"}

// nameRules recognize a field by its name, id, placeholder or label, in
// order: the first match wins (given-name before name).
var nameRules = []struct {
	kind string
	re   *regexp.Regexp
}{
	{"email", regexp.MustCompile(`(?i)e-?mail`)},
	{"tel", regexp.MustCompile(`(?i)phone|mobile|\btel|telefon`)},
	{"given-name", regexp.MustCompile(`(?i)first.?name|given|fname|vorname|prenom`)},
	{"family-name", regexp.MustCompile(`(?i)last.?name|surname|family|lname|nachname`)},
	{"postal-code", regexp.MustCompile(`(?i)zip|postal|post.?code|\bplz\b`)},
	{"address-level2", regexp.MustCompile(`(?i)\bcity\b|town|\bort\b|locality`)},
	{"address-level1", regexp.MustCompile(`(?i)\bstate\b|province|region`)},
	{"country", regexp.MustCompile(`(?i)country|\bland\b`)},
	{"street-address", regexp.MustCompile(`(?i)street|address|strasse|addr`)},
	{"bday", regexp.MustCompile(`(?i)birth|bday|\bdob\b`)},
	{"search", regexp.MustCompile(`(?i)search|^q$|query`)},
	{"name", regexp.MustCompile(`(?i)^name$|full.?name|your.?name|^name\b`)},
}

// Classify returns the kind of a field given the values on offer: the
// autocomplete token, then the input type, then custom kinds and name rules.
func Classify(f Field, values map[string]string) string {
	for _, tok := range strings.Fields(strings.ToLower(f.Autocomplete)) {
		if k, ok := autocompleteKind[tok]; ok {
			return k
		}
	}
	if k, ok := typeKind[strings.ToLower(f.Type)]; ok {
		return k
	}
	hints := []string{f.Name, f.ID, f.Placeholder, f.Label}
	for _, k := range customKinds(values) {
		for _, h := range hints {
			if h != "" && strings.Contains(strings.ToLower(h), strings.ToLower(k)) {
				return k
			}
		}
	}
	for _, r := range nameRules {
		for _, h := range hints {
			if h != "" && r.re.MatchString(h) {
				return r.kind
			}
		}
	}
	return ""
}

// customKinds are the FormValues keys that are not standard kinds, sorted.
func customKinds(values map[string]string) []string {
	var out []string
	for k := range values {
		std := false
		for _, s := range Kinds {
			std = std || s == k
		}
		if !std && k != "" {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

//go:embed js/fields.js
var fieldsJS string

// Fill is one field FillForms typed into.
type Fill struct {
	Field Field
	Kind  string
	Value string
}

// FillForms types values into the page's empty visible fields, key by key,
// and leaves each field (firing change and blur) without submitting.
func FillForms(ctx context.Context, tab *browser.Tab, values map[string]string) ([]Fill, error) {
	raw, err := tab.Eval(ctx, "("+stripComments(fieldsJS)+")()")
	if err != nil {
		return nil, fmt.Errorf("find form fields: %w", err)
	}
	var fields []Field
	if err := json.Unmarshal(raw, &fields); err != nil {
		return nil, fmt.Errorf("find form fields: %w", err)
	}
	var done []Fill
	for _, f := range fields {
		kind := Classify(f, values)
		v, ok := values[kind]
		if kind == "" || !ok || v == "" || f.Filled {
			continue
		}
		if err := tab.Type(ctx, f.Selector, v); err != nil {
			return done, fmt.Errorf("fill %s field: %w", kind, err)
		}
		if _, err := tab.Eval(ctx, "document.activeElement && document.activeElement.blur()"); err != nil {
			return done, fmt.Errorf("leave %s field: %w", kind, err)
		}
		done = append(done, Fill{Field: f, Kind: kind, Value: v})
	}
	return done, nil
}

func stripComments(js string) string {
	var keep []string
	for _, line := range strings.Split(js, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "//") {
			continue
		}
		keep = append(keep, line)
	}
	return strings.TrimSpace(strings.Join(keep, "\n"))
}

// SubmitForms submits each form that got a value in fills once, in page
// order, through the first field typed into it; fields outside a form are
// left alone. It marks each submission on the page (traffic.Page.Submits)
// and calls after once each was sent, to let what it set off happen. It
// stops at the first form that can no longer be submitted (the page left).
func SubmitForms(ctx context.Context, tab *browser.Tab, fills []Fill, after func()) (int, error) {
	seen := map[int]bool{}
	n := 0
	for _, f := range fills {
		if f.Field.Form < 0 || seen[f.Field.Form] {
			continue
		}
		seen[f.Field.Form] = true
		form := fmt.Sprintf("form:nth-of-type(%d)", f.Field.Form+1)
		if id := f.Field.ID; id != "" {
			form = "#" + id
		}
		tab.MarkSubmit(form)
		if err := tab.Submit(ctx, f.Field.Selector); err != nil {
			return n, fmt.Errorf("submit the form of the %s field: %w", f.Kind, err)
		}
		n++
		if after != nil {
			after()
		}
	}
	return n, nil
}
