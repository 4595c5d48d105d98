package consent

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// TCString is a decoded IAB TCF v2 TC string: the core segment and the
// optional segments after it (disclosed vendors, allowed vendors,
// publisher TC). Ids are 1-based as in the specification.
type TCString struct {
	Version           int       `json:"version"`
	Created           time.Time `json:"created"`
	LastUpdated       time.Time `json:"last_updated"`
	CMPID             int       `json:"cmp_id"`
	CMPVersion        int       `json:"cmp_version"`
	ConsentScreen     int       `json:"consent_screen"`
	ConsentLanguage   string    `json:"consent_language"`
	VendorListVersion int       `json:"vendor_list_version"`
	PolicyVersion     int       `json:"tcf_policy_version"`
	IsServiceSpecific bool      `json:"is_service_specific"`
	// UseNonStandardTexts was UseNonStandardStacks before TCF 2.2.
	UseNonStandardTexts  bool  `json:"use_non_standard_texts"`
	SpecialFeatureOptIns []int `json:"special_feature_opt_ins,omitempty"`
	PurposesConsent      []int `json:"purposes_consent,omitempty"`
	// PurposesLITransparency are the purposes processed on legitimate
	// interest whose transparency was established (not objected to).
	PurposesLITransparency []int                  `json:"purposes_li_transparency,omitempty"`
	PurposeOneTreatment    bool                   `json:"purpose_one_treatment"`
	PublisherCC            string                 `json:"publisher_cc"`
	VendorConsents         VendorSet              `json:"vendor_consents"`
	VendorLI               VendorSet              `json:"vendor_legitimate_interests"`
	PublisherRestrictions  []PublisherRestriction `json:"publisher_restrictions,omitempty"`
	// Segments names the segments present, in order: "core", then
	// "disclosed vendors", "allowed vendors", "publisher TC" or
	// "unknown segment type N".
	Segments         []string     `json:"segments"`
	DisclosedVendors *VendorSet   `json:"disclosed_vendors,omitempty"`
	AllowedVendors   *VendorSet   `json:"allowed_vendors,omitempty"`
	PublisherTC      *PublisherTC `json:"publisher_tc,omitempty"`
}

// PublisherRestriction is one restriction a publisher set on vendors for
// a purpose. Type 0: purpose flatly not allowed; 1: requires consent;
// 2: requires legitimate interest; 3: undefined.
type PublisherRestriction struct {
	PurposeID int           `json:"purpose_id"`
	Type      int           `json:"type"`
	TypeName  string        `json:"type_name"`
	Vendors   []VendorRange `json:"vendors"`
}

// PublisherTC is the publisher's own purposes segment.
type PublisherTC struct {
	PurposesConsent              []int `json:"purposes_consent,omitempty"`
	PurposesLITransparency       []int `json:"purposes_li_transparency,omitempty"`
	NumCustomPurposes            int   `json:"num_custom_purposes"`
	CustomPurposesConsent        []int `json:"custom_purposes_consent,omitempty"`
	CustomPurposesLITransparency []int `json:"custom_purposes_li_transparency,omitempty"`
}

// HasPurpose reports whether purpose id was consented to.
func (t *TCString) HasPurpose(id int) bool { return contains(t.PurposesConsent, id) }

// restrictionTypes names publisher restriction types.
var restrictionTypes = [4]string{"not allowed", "require consent", "require legitimate interest", "undefined"}

// segmentNames names the typed segments after the core one.
var segmentNames = map[int]string{1: "disclosed vendors", 2: "allowed vendors", 3: "publisher TC"}

// ParseTC decodes a TCF v2 TC string ("CP...", segments joined by "."),
// or a TCF v1.1 consent string ("BO...", Version 1: the v1 fields only,
// purposes allowed as PurposesConsent). A malformed, truncated or
// oversized string is an error.
func ParseTC(s string) (*TCString, error) {
	if len(s) > maxEncodedLen {
		return nil, fmt.Errorf("TC string: %d characters, more than %d", len(s), maxEncodedLen)
	}
	parts := strings.Split(s, ".")
	if len(parts) > 8 {
		return nil, fmt.Errorf("TC string: %d segments", len(parts))
	}
	r, err := newBitReader(parts[0])
	if err != nil {
		return nil, fmt.Errorf("TC string core segment: %w", err)
	}
	t := &TCString{Segments: []string{"core"}}
	if err := t.readCore(r); err != nil {
		return nil, fmt.Errorf("TC string core segment: %w", err)
	}
	for i, p := range parts[1:] {
		if err := t.readSegment(p); err != nil {
			return nil, fmt.Errorf("TC string segment %d: %w", i+2, err)
		}
	}
	return t, nil
}

// readCore reads the core segment's fixed fields, vendor sections and
// publisher restrictions.
func (t *TCString) readCore(r *bitReader) error {
	var err error
	if t.Version, err = r.int(6); err != nil {
		return fmt.Errorf("version: %w", err)
	}
	switch {
	case t.Version == 1:
		t.Segments[0] = "core (TCF v1.1)"
		return t.readV1(r)
	case t.Version != 2:
		return fmt.Errorf("version %d, not 1 or 2", t.Version)
	}
	if err := t.readHead(r); err != nil {
		return err
	}
	if t.VendorConsents, err = readVendorSet(r); err != nil {
		return fmt.Errorf("vendor consents: %w", err)
	}
	if t.VendorLI, err = readVendorSet(r); err != nil {
		return fmt.Errorf("vendor legitimate interests: %w", err)
	}
	if t.PublisherRestrictions, err = readRestrictions(r); err != nil {
		return fmt.Errorf("publisher restrictions: %w", err)
	}
	return nil
}

// readHead reads the fixed-width fields from Created to PublisherCC.
func (t *TCString) readHead(r *bitReader) error {
	ints := []struct {
		dst  *int
		bits int
	}{{&t.CMPID, 12}, {&t.CMPVersion, 12}, {&t.ConsentScreen, 6}}
	created, err1 := r.read(36)
	updated, err2 := r.read(36)
	t.Created, t.LastUpdated = deciseconds(created), deciseconds(updated)
	errs := []error{err1, err2}
	for _, f := range ints {
		var err error
		*f.dst, err = r.int(f.bits)
		errs = append(errs, err)
	}
	var err error
	t.ConsentLanguage, err = r.letters(2)
	errs = append(errs, err)
	t.VendorListVersion, err = r.int(12)
	errs = append(errs, err)
	t.PolicyVersion, err = r.int(6)
	errs = append(errs, err)
	t.IsServiceSpecific, err = r.bool()
	errs = append(errs, err)
	t.UseNonStandardTexts, err = r.bool()
	errs = append(errs, err)
	t.SpecialFeatureOptIns, err = r.set(12)
	errs = append(errs, err)
	t.PurposesConsent, err = r.set(24)
	errs = append(errs, err)
	t.PurposesLITransparency, err = r.set(24)
	errs = append(errs, err)
	t.PurposeOneTreatment, err = r.bool()
	errs = append(errs, err)
	t.PublisherCC, err = r.letters(2)
	errs = append(errs, err)
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("fixed fields: %w", errTruncated)
	}
	return nil
}

// deciseconds converts a TCF timestamp (deciseconds since the epoch).
func deciseconds(ds uint64) time.Time {
	return time.UnixMilli(int64(ds) * 100).UTC()
}

// readRestrictions reads NumPubRestrictions (12 bits) and each
// restriction: purpose (6 bits), type (2 bits), vendor ranges.
func readRestrictions(r *bitReader) ([]PublisherRestriction, error) {
	n, err := r.int(12)
	if err != nil {
		return nil, err
	}
	if 20*n > r.left() { // each takes at least 8+12 bits
		return nil, fmt.Errorf("%d restrictions: %w", n, errTruncated)
	}
	var out []PublisherRestriction
	for i := 0; i < n; i++ {
		purpose, err1 := r.int(6)
		typ, err2 := r.int(2)
		if err := errors.Join(err1, err2); err != nil {
			return nil, fmt.Errorf("restriction %d: %w", i+1, err)
		}
		vendors, err := readRanges(r, 1<<16-1)
		if err != nil {
			return nil, fmt.Errorf("restriction %d: %w", i+1, err)
		}
		out = append(out, PublisherRestriction{PurposeID: purpose, Type: typ, TypeName: restrictionTypes[typ], Vendors: vendors})
	}
	return out, nil
}

// readSegment reads one segment after the core one, by its 3-bit type.
func (t *TCString) readSegment(s string) error {
	r, err := newBitReader(s)
	if err != nil {
		return err
	}
	typ, err := r.int(3)
	if err != nil {
		return fmt.Errorf("segment type: %w", err)
	}
	name, ok := segmentNames[typ]
	if !ok {
		t.Segments = append(t.Segments, fmt.Sprintf("unknown segment type %d", typ))
		return nil
	}
	t.Segments = append(t.Segments, name)
	switch typ {
	case 1, 2:
		vs, err := readVendorSet(r)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if typ == 1 {
			t.DisclosedVendors = &vs
		} else {
			t.AllowedVendors = &vs
		}
	case 3:
		p, err := readPublisherTC(r)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		t.PublisherTC = p
	}
	return nil
}

// readPublisherTC reads the publisher purposes segment after its type.
func readPublisherTC(r *bitReader) (*PublisherTC, error) {
	p := &PublisherTC{}
	var err1, err2, err3, err4, err5 error
	p.PurposesConsent, err1 = r.set(24)
	p.PurposesLITransparency, err2 = r.set(24)
	p.NumCustomPurposes, err3 = r.int(6)
	if err3 == nil {
		p.CustomPurposesConsent, err4 = r.set(p.NumCustomPurposes)
		p.CustomPurposesLITransparency, err5 = r.set(p.NumCustomPurposes)
	}
	if err := errors.Join(err1, err2, err3, err4, err5); err != nil {
		return nil, errTruncated
	}
	return p, nil
}

// contains reports whether ids holds id.
func contains(ids []int, id int) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}
