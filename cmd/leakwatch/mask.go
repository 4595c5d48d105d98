package main

import (
	"net/url"
	"slices"
	"strings"

	"github.com/leakwatch/leakwatch/internal/audit"
	"github.com/leakwatch/leakwatch/internal/leak"
	"github.com/leakwatch/leakwatch/internal/redact"
)

// personaValue is one value a tester gave, with its persona key.
type personaValue struct {
	field string
	value string
}

// personaValues lists every value of the personas with its key.
func personaValues(ps []leak.Persona) []personaValue {
	var out []personaValue
	add := func(field, v string) {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, personaValue{field, v})
		}
	}
	for _, p := range ps {
		add("email", p.Email)
		add("phone", p.Phone)
		add("first_name", p.FirstName)
		add("last_name", p.LastName)
		add("street", p.Street)
		add("city", p.City)
		add("state", p.State)
		add("zip", p.Zip)
		add("country", p.Country)
		add("date_of_birth", p.DateOfBirth)
		for _, t := range p.TrackingNumbers {
			add("tracking_numbers", t)
		}
		for k, v := range p.Custom {
			add("custom."+k, v)
		}
	}
	// Longest first, so a street is masked before the city inside it.
	slices.SortStableFunc(out, func(a, b personaValue) int { return len(b.value) - len(a.value) })
	return out
}

// maskReport masks persona values wherever they appear in plain or
// URL-encoded form, keeping only what a reader needs to see the match.
func maskReport(rep *audit.Report, values []personaValue) {
	var pairs []string
	for _, pv := range values {
		if len(pv.value) < 3 {
			continue // a 2-letter state or country is not worth hiding, and masking it would mangle text
		}
		m := redact.Mask(pv.value, pv.field)
		pairs = append(pairs, pv.value, m)
		if q := url.QueryEscape(pv.value); q != pv.value {
			pairs = append(pairs, q, url.QueryEscape(m))
		}
		if q := url.PathEscape(pv.value); q != pv.value {
			pairs = append(pairs, q, url.PathEscape(m))
		}
	}
	for i := range rep.Findings {
		f := &rep.Findings[i]
		if f.Type == audit.TypePattern && f.Value != "" {
			f.Value = redact.Mask(f.Value, f.Rule)
		}
		if f.Type == audit.TypeKeystroke && f.Evidence != "" {
			// The part that was sent is a prefix no value replacement finds.
			f.Evidence = redact.Mask(f.Evidence, f.Field)
		}
	}
	if len(pairs) == 0 {
		return
	}
	r := strings.NewReplacer(pairs...)
	rep.MapStrings(r.Replace)
}
