package consent

import (
	"fmt"
	"strings"
)

// USSection is a decoded GPP US section (usnat or a state's): its version,
// the core segment's fields in wire order, and the GPC subsection when the
// section has one. Field values are the 2-bit codes of the specification:
// for notices and MSPA flags 0 not applicable, 1 yes, 2 no; for opt-outs
// 0 not applicable, 1 opted out, 2 did not opt out; for consents
// (sensitive data, known child, personal data) 0 not applicable, 1 no
// consent, 2 consent.
type USSection struct {
	Version int       `json:"version"`
	Fields  []USField `json:"fields"`
	// GPC is the Global Privacy Control subsection's flag, nil when absent.
	GPC *bool `json:"gpc,omitempty"`
	// Layout names the field layout used; a version the table does not
	// know is read with the newest layout its length fits.
	Layout string `json:"layout"`
}

// USField is one field of a US section; list fields (sensitive data
// processing) hold one value per category.
type USField struct {
	Name   string `json:"name"`
	Values []int  `json:"values"`
}

// Value returns the first value of the named field.
func (s *USSection) Value(name string) (int, bool) {
	for _, f := range s.Fields {
		if f.Name == name && len(f.Values) > 0 {
			return f.Values[0], true
		}
	}
	return 0, false
}

// OptOuts returns the opt-out fields set to 1 (opted out), in wire order.
func (s *USSection) OptOuts() []string {
	var out []string
	for _, f := range s.Fields {
		if strings.HasSuffix(f.Name, "OptOut") && len(f.Values) == 1 && f.Values[0] == 1 {
			out = append(out, f.Name)
		}
	}
	return out
}

// usField is one field of a layout: its name and how many 2-bit values.
type usField struct {
	name  string
	count int
}

// usLayout is the field layout of one version of a US section.
type usLayout struct {
	version int
	name    string
	fields  []usField
}

// usSpec describes one GPP US section: id, name, whether a GPC
// subsection may follow, and its layouts by version.
type usSpec struct {
	id      int
	name    string
	gpc     bool
	layouts []usLayout
}

func one(name string) usField             { return usField{name, 1} }
func many(name string, count int) usField { return usField{name, count} }
func mspa() []usField {
	return []usField{one("MspaCoveredTransaction"), one("MspaOptOutOptionMode"), one("MspaServiceProviderMode")}
}
func concat(parts ...[]usField) []usField {
	var o []usField
	for _, p := range parts {
		o = append(o, p...)
	}
	return o
}

// stateCommon is the layout most state sections share.
func stateCommon(extraNotice bool, sensitive, child int) []usField {
	head := []usField{one("SharingNotice"), one("SaleOptOutNotice"), one("TargetedAdvertisingOptOutNotice")}
	if extraNotice {
		head = append(head, one("SensitiveDataProcessingOptOutNotice"))
	}
	return concat(head, []usField{one("SaleOptOut"), one("TargetedAdvertisingOptOut"),
		many("SensitiveDataProcessing", sensitive), many("KnownChildSensitiveDataConsents", child)}, mspa())
}

// usnatFields is the usnat core layout with n sensitive and c child fields.
func usnatFields(n, c int) []usField {
	return concat([]usField{one("SharingNotice"), one("SaleOptOutNotice"), one("SharingOptOutNotice"),
		one("TargetedAdvertisingOptOutNotice"), one("SensitiveDataProcessingOptOutNotice"), one("SensitiveDataLimitUseNotice"),
		one("SaleOptOut"), one("SharingOptOut"), one("TargetedAdvertisingOptOut"),
		many("SensitiveDataProcessing", n), many("KnownChildSensitiveDataConsents", c), one("PersonalDataConsents")}, mspa())
}

// usSpecs are the US sections decoded, from the GPP specification.
var usSpecs = []usSpec{
	{7, "usnat", true, []usLayout{{1, "usnat v1", usnatFields(12, 2)}, {2, "usnat v2", usnatFields(16, 3)}}},
	{8, "usca", true, []usLayout{{1, "usca v1", concat([]usField{one("SaleOptOutNotice"), one("SharingOptOutNotice"),
		one("SensitiveDataLimitUseNotice"), one("SaleOptOut"), one("SharingOptOut"), many("SensitiveDataProcessing", 9),
		many("KnownChildSensitiveDataConsents", 2), one("PersonalDataConsents")}, mspa())}}},
	{9, "usva", false, []usLayout{{1, "usva v1", stateCommon(false, 8, 1)}}},
	{10, "usco", true, []usLayout{{1, "usco v1", stateCommon(false, 7, 1)}}},
	{11, "usut", false, []usLayout{{1, "usut v1", stateCommon(true, 8, 1)}}},
	{12, "usct", true, []usLayout{{1, "usct v1", stateCommon(false, 8, 3)}}},
}

// bits returns the number of bits a layout's core segment takes.
func (l usLayout) bits() int {
	n := 6
	for _, x := range l.fields {
		n += 2 * x.count
	}
	return n
}

// pick returns the layout for version, or for an unknown version the
// newest layout the segment's length fits.
func (s usSpec) pick(version, bits int) (usLayout, bool) {
	for _, l := range s.layouts {
		if l.version == version {
			return l, true
		}
	}
	for i := len(s.layouts) - 1; i >= 0; i-- {
		if l := s.layouts[i]; l.bits() <= bits {
			return l, true
		}
	}
	return usLayout{}, false
}

// parseUS decodes a US section: core segment, then a GPC subsection
// ("." then subsection type 1 and the GPC bit) for sections that have one.
func parseUS(spec usSpec, s string) (*USSection, error) {
	parts := strings.Split(s, ".")
	if len(parts) > 4 {
		return nil, fmt.Errorf("%d subsections", len(parts))
	}
	r, err := newBitReader(parts[0])
	if err != nil {
		return nil, err
	}
	v, err := r.int(6)
	if err != nil {
		return nil, fmt.Errorf("version: %w", err)
	}
	l, ok := spec.pick(v, r.bits())
	if !ok {
		return nil, fmt.Errorf("version %d: no layout fits %d bits", v, r.bits())
	}
	out := &USSection{Version: v, Layout: l.name}
	if l.version != v {
		out.Layout += fmt.Sprintf(" (version %d read by length)", v)
	}
	for _, x := range l.fields {
		vals := make([]int, x.count)
		for i := range vals {
			if vals[i], err = r.int(2); err != nil {
				return nil, fmt.Errorf("%s: %w", x.name, err)
			}
		}
		out.Fields = append(out.Fields, USField{x.name, vals})
	}
	for _, sub := range parts[1:] {
		if err := out.readSubsection(spec, sub); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// readSubsection reads an optional subsection; only GPC (type 1) is known.
func (s *USSection) readSubsection(spec usSpec, sub string) error {
	r, err := newBitReader(sub)
	if err != nil {
		return fmt.Errorf("subsection: %w", err)
	}
	typ, err := r.int(2)
	if err != nil {
		return fmt.Errorf("subsection type: %w", err)
	}
	if typ != 1 || !spec.gpc {
		return fmt.Errorf("unknown subsection type %d", typ)
	}
	g, err := r.bool()
	if err != nil {
		return fmt.Errorf("GPC: %w", err)
	}
	s.GPC = &g
	return nil
}
