package redact

import (
	"slices"
	"strings"

	"github.com/leakwatch/leakwatch/internal/audit"
)

// PersonaValue is one value a tester gave, by its persona key ("email",
// "first_name", "tracking_numbers", "custom.<name>"...): leak.Persona's
// Values, handed over by the command.
type PersonaValue struct {
	Field string
	Value string
}

// minMasked is the shortest persona value masked in free text: a
// two-letter state or country is not worth hiding, and replacing it
// everywhere would mangle text.
const minMasked = 3

// minMaskedPrefix is the shortest typed prefix (a keystroke finding's
// evidence) masked wherever it appears: shorter ones are common text.
const minMaskedPrefix = 6

// MaskReport masks persona values in every string of the report, keeping
// only what a reader needs to see which value matched (Mask): as they are
// and in every encoded form the report can print them in (URL-encoded once
// or twice, "+" for spaces, base64, hex, JSON-escaped, compressed inside
// those), in URLs, headers and bodies as well as in the findings' own
// fields. Pattern findings' values and keystroke evidence are masked by
// their kind.
func MaskReport(rep *audit.Report, values []PersonaValue) {
	if rep == nil {
		return
	}
	values = slices.Clone(values)
	for i := range rep.Findings {
		f := &rep.Findings[i]
		if f.Type == audit.TypePattern && f.Value != "" {
			// The same number is in the request's URL and body: masked
			// there too, as its kind is.
			values = append(values, PersonaValue{f.Rule, f.Value})
			f.Value = Mask(f.Value, f.Rule)
		}
		if f.Type == audit.TypeKeystroke && f.Evidence != "" {
			// The part that was sent is a prefix no value replacement
			// finds; a long one is masked where it was sent too.
			if len(f.Evidence) >= minMaskedPrefix {
				values = append(values, PersonaValue{f.Field, f.Evidence})
			}
			f.Evidence = Mask(f.Evidence, f.Field)
		}
	}
	pairs := maskPairs(values)
	if len(pairs) == 0 {
		return
	}
	rep.MapStrings(memo(newMasker(pairs).mask))
}

// maskPairs lists each value (and its case and "+" variants) with its
// mask, longest first, so a street is masked before the city inside it.
func maskPairs(values []PersonaValue) []string {
	vals := slices.Clone(values)
	slices.SortStableFunc(vals, func(a, b PersonaValue) int {
		if d := len(b.Value) - len(a.Value); d != 0 {
			return d
		}
		return strings.Compare(a.Value, b.Value)
	})
	seen := map[string]bool{}
	var pairs []string
	add := func(v, m string) {
		if !seen[v] && v != m {
			seen[v] = true
			pairs = append(pairs, v, m)
		}
	}
	for _, pv := range vals {
		v := strings.TrimSpace(pv.Value)
		if len(v) < minMasked {
			continue
		}
		for _, form := range []string{v, strings.ToLower(v), strings.ToUpper(v)} {
			m := Mask(form, pv.Field)
			add(form, m)
			add(strings.ReplaceAll(form, " ", "+"), strings.ReplaceAll(m, " ", "+"))
		}
	}
	return pairs
}

// masker masks persona values through every layer of a text.
type masker struct {
	rep *pairReplacer
	inf decoders
}

func newMasker(pairs []string) *masker {
	return &masker{rep: newPairReplacer(pairs...), inf: decoders{dead: newHashSet(maxDeadEnds)}}
}

func (m *masker) mask(s string) string {
	if s == "" {
		return s
	}
	held := func(string) string { return "a persona value" }
	return newLayered(m.rep.Replace, held, "masked", &m.inf).rewrite(s, 0)
}
