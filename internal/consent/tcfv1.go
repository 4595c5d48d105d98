package consent

import (
	"errors"
	"fmt"
)

// readV1 reads the rest of a TCF v1.1 consent string after its version:
// the metadata, PurposesAllowed (24 bits) and the vendor consents, a bit
// field or a range list whose entries are the exceptions to DefaultConsent.
func (t *TCString) readV1(r *bitReader) error {
	created, err1 := r.read(36)
	updated, err2 := r.read(36)
	t.Created, t.LastUpdated = deciseconds(created), deciseconds(updated)
	var err3, err4, err5, err6, err7, err8 error
	t.CMPID, err3 = r.int(12)
	t.CMPVersion, err4 = r.int(12)
	t.ConsentScreen, err5 = r.int(6)
	t.ConsentLanguage, err6 = r.letters(2)
	t.VendorListVersion, err7 = r.int(12)
	t.PurposesConsent, err8 = r.set(24)
	if err := errors.Join(err1, err2, err3, err4, err5, err6, err7, err8); err != nil {
		return fmt.Errorf("fixed fields: %w", errTruncated)
	}
	maxID, err := r.int(16)
	if err != nil {
		return fmt.Errorf("max vendor id: %w", err)
	}
	isRange, err := r.bool()
	if err != nil {
		return fmt.Errorf("encoding type: %w", err)
	}
	if !isRange {
		// A v1 bit field reads like a v2 one: rewind to reuse it.
		r.pos -= 17
		t.VendorConsents, err = readVendorSet(r)
		return err
	}
	t.VendorConsents, err = readV1Ranges(r, maxID)
	return err
}

// readV1Ranges reads DefaultConsent and the exception ranges.
func readV1Ranges(r *bitReader, maxID int) (VendorSet, error) {
	def, err := r.bool()
	if err != nil {
		return VendorSet{}, fmt.Errorf("default consent: %w", err)
	}
	ex, err := readRanges(r, maxID)
	if err != nil {
		return VendorSet{}, err
	}
	s := VendorSet{MaxVendorID: maxID, Encoding: "range"}
	if !def {
		s.Ranges = ex
		return s, nil
	}
	next := 1 // every vendor but the exceptions
	for _, e := range ex {
		if e.From > next {
			s.Ranges = append(s.Ranges, VendorRange{next, e.From - 1})
		}
		next = e.To + 1
	}
	if next <= maxID {
		s.Ranges = append(s.Ranges, VendorRange{next, maxID})
	}
	return s, nil
}
