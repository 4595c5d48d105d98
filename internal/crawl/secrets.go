package crawl

import (
	"context"
	_ "embed"
	"strings"

	"github.com/leakwatch/leakwatch/internal/browser"
)

// secretSelectorWords mark a selector that names a password field: the
// fallback when a step says nothing and the page cannot be asked (the
// step failed before focusing the field). Kept few: text wrongly taken
// for a secret is removed from the evidence ("otp" is in "footprint").
var secretSelectorWords = []string{"pass", "pwd", "secret"}

// TypedSecrets lists the text of type steps that is secret before they
// run: steps marked secret: true, and steps whose selector names a
// password field ("#password", "input[name=pwd]"). Text typed into a
// field the page marks as a password is found as it is typed
// (Options.OnSecret).
func TypedSecrets(steps []Step) []string {
	var out []string
	for _, st := range steps {
		if st.Action == "type" && st.Text != "" && (st.Secret || secretSelector(st.Selector)) {
			out = append(out, st.Text)
		}
	}
	return out
}

func secretSelector(sel string) bool {
	s := strings.ToLower(sel)
	for _, w := range secretSelectorWords {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

//go:embed js/secret_field.js
var secretFieldJS string

// typeStep types a step's text and tells Options.OnSecret when it is
// secret: marked so, or typed into a field the page marks as one.
func (c *crawler) typeStep(ctx context.Context, tab *browser.Tab, st Step) error {
	err := tab.TypeDelay(ctx, st.Selector, st.Text, st.Delay)
	if c.o.OnSecret == nil || st.Text == "" {
		return err
	}
	// The focused element is the one typed into only when typing worked.
	if st.Secret || secretSelector(st.Selector) || err == nil && secretField(ctx, tab) {
		c.o.OnSecret(st.Text)
	}
	return err
}

// secretField asks the page whether the focused element takes a secret.
func secretField(ctx context.Context, tab *browser.Tab) bool {
	v, err := tab.Eval(ctx, secretFieldJS)
	return err == nil && strings.TrimSpace(string(v)) == "true"
}

// PersonaField is one persona value by its persona key ("email",
// "first_name", "tracking_numbers", "custom.<name>"), as leak.Persona's
// Values lists them (crawl does not import leak; the types convert).
type PersonaField struct {
	Field string
	Value string
}

// personaKinds maps persona keys to the form-field kinds the filler types
// them into.
var personaKinds = []struct{ field, kind string }{
	{"email", "email"}, {"phone", "tel"}, {"first_name", "given-name"}, {"last_name", "family-name"},
	{"street", "street-address"}, {"city", "address-level2"}, {"state", "address-level1"},
	{"zip", "postal-code"}, {"country", "country"}, {"date_of_birth", "bday"},
}

// FormValues maps a persona's values onto the form-field kinds the filler
// types (Options.FormValues): each field's kind, "name" for first and last
// name together, "search" for the first tracking number, and custom
// values under their own names.
func FormValues(values []PersonaField) map[string]string {
	m := map[string]string{}
	var first, last string
	for _, v := range values {
		if strings.TrimSpace(v.Value) == "" {
			continue
		}
		for _, pk := range personaKinds {
			if pk.field == v.Field {
				m[pk.kind] = v.Value
			}
		}
		switch {
		case v.Field == "first_name":
			first = v.Value
		case v.Field == "last_name":
			last = v.Value
		case v.Field == "tracking_numbers" && m["search"] == "":
			m["search"] = v.Value
		case strings.HasPrefix(v.Field, "custom."):
			m[strings.TrimPrefix(v.Field, "custom.")] = v.Value
		}
	}
	if name := strings.TrimSpace(first + " " + last); name != "" {
		m["name"] = name
	}
	return m
}

// DefaultPersona is the persona the filler types when given none
// (DefaultFormValues), by persona key, in personaKinds order: the values
// to look for in what the site sent. The birth date is left out: a date
// alone matches too much that is not it.
func DefaultPersona() []PersonaField {
	d := DefaultFormValues()
	var out []PersonaField
	for _, pk := range personaKinds {
		if v := d[pk.kind]; v != "" && pk.field != "date_of_birth" {
			out = append(out, PersonaField{pk.field, v})
		}
	}
	return out
}
