package leak

import (
	"bytes"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// personaKeys are the keys a persona file may use, in documentation order.
var personaKeys = []string{
	"name", "email", "phone", "first_name", "last_name", "street", "city",
	"state", "zip", "country", "date_of_birth", "tracking_numbers", "custom",
}

// LoadPersonas reads a persona file (YAML or JSON): one persona, a list of
// personas, or a mapping {personas: [...]}.
func LoadPersonas(path string) ([]Persona, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read persona file: %w", err)
	}
	return ParsePersonas(data, path)
}

// ParsePersonas parses persona data; name is used in error messages.
func ParsePersonas(data []byte, name string) ([]Persona, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("persona file %s: empty", name)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("persona file %s: %w", name, err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, fmt.Errorf("persona file %s: no persona found", name)
	}
	root := doc.Content[0]
	var items []*yaml.Node
	switch {
	case root.Kind == yaml.SequenceNode:
		items = root.Content
	case root.Kind == yaml.MappingNode && len(root.Content) == 2 && root.Content[0].Value == "personas":
		list := root.Content[1]
		if list.Kind != yaml.SequenceNode {
			return nil, fmt.Errorf("persona file %s: line %d: personas must be a list", name, list.Line)
		}
		items = list.Content
	case root.Kind == yaml.MappingNode:
		items = []*yaml.Node{root}
	default:
		return nil, fmt.Errorf("persona file %s: line %d: expected a persona mapping or a list of them", name, root.Line)
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("persona file %s: the persona list is empty", name)
	}
	out := make([]Persona, 0, len(items))
	for i, n := range items {
		p, err := decodePersona(n)
		if err != nil {
			return nil, fmt.Errorf("persona file %s: persona %d (line %d): %w", name, i+1, n.Line, err)
		}
		out = append(out, p)
	}
	return out, nil
}

func decodePersona(n *yaml.Node) (Persona, error) {
	var p Persona
	if n.Kind != yaml.MappingNode {
		return p, fmt.Errorf("expected a mapping of keys (%s)", strings.Join(personaKeys, ", "))
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i].Value
		if !validKey(k) {
			return p, fmt.Errorf("unknown key %q (valid keys: %s)", k, strings.Join(personaKeys, ", "))
		}
		v := n.Content[i+1]
		if err := setPersonaKey(&p, k, v); err != nil {
			return p, fmt.Errorf("key %s (line %d): %w", k, v.Line, err)
		}
	}
	return p, nil
}

func validKey(k string) bool {
	for _, v := range personaKeys {
		if v == k {
			return true
		}
	}
	return false
}

func setPersonaKey(p *Persona, k string, v *yaml.Node) error {
	switch k {
	case "tracking_numbers":
		if v.Kind == yaml.ScalarNode {
			if v.Tag == "!!null" {
				return nil
			}
			p.TrackingNumbers = []string{v.Value}
			return nil
		}
		if v.Kind != yaml.SequenceNode {
			return fmt.Errorf("expected a list of tracking numbers")
		}
		for _, e := range v.Content {
			if e.Kind != yaml.ScalarNode {
				return fmt.Errorf("line %d: expected a tracking number", e.Line)
			}
			p.TrackingNumbers = append(p.TrackingNumbers, e.Value)
		}
		return nil
	case "custom":
		if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
			return nil
		}
		if v.Kind != yaml.MappingNode {
			return fmt.Errorf("expected a mapping of name to value")
		}
		p.Custom = map[string]string{}
		for i := 0; i+1 < len(v.Content); i += 2 {
			val := v.Content[i+1]
			if val.Kind != yaml.ScalarNode {
				return fmt.Errorf("custom.%s (line %d): expected a plain value", v.Content[i].Value, val.Line)
			}
			p.Custom[v.Content[i].Value] = val.Value
		}
		return nil
	}
	if v.Kind != yaml.ScalarNode {
		return fmt.Errorf("expected a plain value")
	}
	val := v.Value
	if v.Tag == "!!null" {
		val = ""
	}
	*stringField(p, k) = val
	return nil
}

// stringField returns the address of a persona's single-valued field.
func stringField(p *Persona, k string) *string {
	switch k {
	case "name":
		return &p.Name
	case "email":
		return &p.Email
	case "phone":
		return &p.Phone
	case "first_name":
		return &p.FirstName
	case "last_name":
		return &p.LastName
	case "street":
		return &p.Street
	case "city":
		return &p.City
	case "state":
		return &p.State
	case "zip":
		return &p.Zip
	case "country":
		return &p.Country
	default: // date_of_birth
		return &p.DateOfBirth
	}
}

// Label names the persona in findings: its Name, or "persona <i+1>".
func (p Persona) Label(i int) string {
	if strings.TrimSpace(p.Name) != "" {
		return p.Name
	}
	return fmt.Sprintf("persona %d", i+1)
}

// PersonaValue is one persona value with its persona key: "email",
// "first_name", "tracking_numbers", "custom.<name>"...
type PersonaValue struct {
	Field string
	Value string
}

// fieldValue is the name the pool builder knows a PersonaValue by.
type fieldValue = PersonaValue

// Values lists the persona's values that are set, trimmed, in a fixed
// order (the persona file's key order, tracking numbers as given, custom
// keys sorted): the one list of a persona's fields every other package
// (masking, form filling) uses.
func (p Persona) Values() []PersonaValue {
	var out []PersonaValue
	for _, fv := range p.values() {
		if v := strings.TrimSpace(fv.Value); v != "" {
			out = append(out, PersonaValue{fv.Field, v})
		}
	}
	return out
}

// PersonaFromValues builds a persona from values keyed as Values returns
// them; unknown keys are ignored.
func PersonaFromValues(name string, vals []PersonaValue) Persona {
	p := Persona{Name: name}
	for _, fv := range vals {
		switch k := fv.Field; {
		case k == "tracking_numbers":
			p.TrackingNumbers = append(p.TrackingNumbers, fv.Value)
		case strings.HasPrefix(k, "custom."):
			if p.Custom == nil {
				p.Custom = map[string]string{}
			}
			p.Custom[strings.TrimPrefix(k, "custom.")] = fv.Value
		case k != "name" && k != "custom" && validKey(k):
			*stringField(&p, k) = fv.Value
		}
	}
	return p
}

// values lists the persona's values in a fixed order (custom keys sorted).
func (p Persona) values() []fieldValue {
	out := []fieldValue{
		{"email", p.Email}, {"phone", p.Phone}, {"first_name", p.FirstName},
		{"last_name", p.LastName}, {"street", p.Street}, {"city", p.City},
		{"state", p.State}, {"zip", p.Zip}, {"country", p.Country},
		{"date_of_birth", p.DateOfBirth},
	}
	for _, t := range p.TrackingNumbers {
		out = append(out, fieldValue{"tracking_numbers", t})
	}
	keys := make([]string, 0, len(p.Custom))
	for k := range p.Custom {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		out = append(out, fieldValue{"custom." + k, p.Custom[k]})
	}
	return out
}

// Validate returns warnings for empty or malformed values. A persona with
// warnings is still usable; the values concerned may never match.
func (p Persona) Validate() []string {
	var w []string
	set := 0
	for _, fv := range p.values() {
		v := strings.TrimSpace(fv.Value)
		if v == "" {
			if fv.Field == "tracking_numbers" || strings.HasPrefix(fv.Field, "custom.") {
				w = append(w, fmt.Sprintf("%s: empty value", fv.Field))
			}
			continue
		}
		set++
		if msg := checkValue(fv.Field, v); msg != "" {
			w = append(w, fmt.Sprintf("%s %q: %s", fv.Field, v, msg))
		}
	}
	if set == 0 {
		w = append(w, "persona has no values to look for")
	}
	return w
}

func checkValue(field, v string) string {
	switch field {
	case "email":
		at := strings.IndexByte(v, '@')
		if at <= 0 || at == len(v)-1 || strings.Count(v, "@") != 1 {
			return "not an email address (expected one @ between a name and a domain)"
		}
	case "phone":
		n := len(digitsOnly(v))
		if n == 0 {
			return "phone number has no digits"
		}
		if n < 6 || n > 15 {
			return fmt.Sprintf("phone number has %d digits (expected 6 to 15)", n)
		}
	case "date_of_birth":
		if _, ok := parseDate(v); !ok {
			return "unparseable date (use YYYY-MM-DD)"
		}
	case "zip":
		if len(digitsOnly(v)) == 0 && len(v) < 3 {
			return "postal code looks malformed"
		}
	case "state":
		if _, _, ok := usStates.lookup(v); !ok {
			return "not a US state or Canadian province name or code; matched only as given"
		}
	case "country":
		if _, _, ok := countries.lookup(v); !ok && countryAliases[strings.ToLower(v)] == "" {
			return "country not in the name/code table; matched only as given"
		}
	}
	if len(v) < 2 {
		return "value is a single character and will only match hashed"
	}
	return ""
}

// dateLayouts are the input formats accepted for date_of_birth.
var dateLayouts = []string{
	"2006-01-02", "2006/01/02", "20060102", "01/02/2006", "1/2/2006",
	"02.01.2006", "2 January 2006", "January 2, 2006", "Jan 2, 2006",
	"2 Jan 2006", time.RFC3339, "2006-01-02T15:04:05Z",
}

func parseDate(v string) (time.Time, bool) {
	v = strings.TrimSpace(v)
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, v); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
