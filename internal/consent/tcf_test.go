package consent

import (
	"strings"
	"testing"
	"time"

	gdpr "github.com/prebid/go-gdpr/vendorconsent/tcf2"
)

// Published example strings: the GPP specification's tcfeuv2 example, and
// the full TC string (core, disclosed vendors, publisher TC) and allowed
// vendors segment of SirDataFR/iabtcfv2's tests (Apache-2.0 facts).
const (
	gppSpecTC     = "CPXxRfAPXxRfAAfKABENB-CgAAAAAAAAAAYgAAAAAAAA"
	sirdataCore   = "COxR03kOxR1CqBcABCENAgCMAP_AAH_AAAqIF3EXySoGY2thI2YVFxBEIYwfJxyigMgChgQIsSwNQIeFLBoGLiAAHBGYJAQAGBAEEACBAQIkHGBMCQAAgAgBiRCMQEGMCzNIBIBAggEbY0FACCVmHkHSmZCY7064O__QLuIJEFQMAkSBAIACLECIQwAQDiAAAYAlAAABAhIaAAgIWBQEeAAAACAwAAgAAABBAAACAAQAAICIAAABAAAgAiAQAAAAGgIQAACBABACRIAAAEANCAAgiCEAQg4EAo4AAA"
	sirdataFull   = sirdataCore + ".IF3EXySoGY2tho2YVFzBEIYwfJxyigMgShgQIsS0NQIeFLBoGPiAAHBGYJAQAGBAkkACBAQIsHGBMCQABgAgRiRCMQEGMDzNIBIBAggkbY0FACCVmnkHS3ZCY70-6u__QA.elAAAAAAAWA"
	iabtcfAllowed = "COw4XqLOw4XqLAAAAAENAXCAAP-gAAAfwIAAACngAI8AEFABgACAA4A.QF3QAgABAA1A"
)

func TestParseTCExamples(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, in string
		check    func(t *testing.T, tc *TCString)
	}{
		{"GPP spec tcfeuv2 section", gppSpecTC, func(t *testing.T, tc *TCString) {
			want := TCString{Version: 2, CMPID: 31, CMPVersion: 640, ConsentScreen: 1, ConsentLanguage: "EN",
				VendorListVersion: 126, PolicyVersion: 2, IsServiceSpecific: true, PublisherCC: "DE"}
			if tc.Version != want.Version || tc.CMPID != want.CMPID || tc.CMPVersion != want.CMPVersion ||
				tc.ConsentLanguage != want.ConsentLanguage || tc.VendorListVersion != want.VendorListVersion ||
				tc.PolicyVersion != want.PolicyVersion || !tc.IsServiceSpecific || tc.PublisherCC != "DE" {
				t.Errorf("got %+v", tc)
			}
			if len(tc.PurposesConsent) != 0 || tc.VendorConsents.Len() != 0 {
				t.Errorf("purposes %v vendors %d, want none", tc.PurposesConsent, tc.VendorConsents.Len())
			}
			if !tc.Created.Equal(time.Date(2022, 4, 20, 22, 0, 0, 0, time.UTC)) {
				t.Errorf("created %v", tc.Created)
			}
		}},
		{"core, disclosed vendors and publisher TC", sirdataFull, func(t *testing.T, tc *TCString) {
			if got := strings.Join(tc.Segments, ","); got != "core,disclosed vendors,publisher TC" {
				t.Errorf("segments %s", got)
			}
			if tc.DisclosedVendors == nil || tc.DisclosedVendors.Has(1) || !tc.DisclosedVendors.Has(9) {
				t.Errorf("disclosed vendors: want 9 and not 1, got %+v", tc.DisclosedVendors)
			}
			if p := tc.PublisherTC; p == nil || !contains(p.PurposesConsent, 1) || p.NumCustomPurposes != 2 {
				t.Errorf("publisher TC %+v", p)
			}
			if tc.CMPID != 92 || tc.PublisherCC != "FR" || tc.VendorConsents.MaxVendorID != 750 {
				t.Errorf("core %d %s %d", tc.CMPID, tc.PublisherCC, tc.VendorConsents.MaxVendorID)
			}
		}},
		{"allowed vendors segment", iabtcfAllowed, func(t *testing.T, tc *TCString) {
			if tc.AllowedVendors == nil || tc.AllowedVendors.Has(10) || !tc.AllowedVendors.Has(53) {
				t.Errorf("allowed vendors: want 53 and not 10, got %+v", tc.AllowedVendors)
			}
			if len(tc.PublisherRestrictions) != 1 || tc.PublisherRestrictions[0].PurposeID != 1 ||
				tc.PublisherRestrictions[0].TypeName != "require consent" {
				t.Errorf("restrictions %+v", tc.PublisherRestrictions)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			tc, err := ParseTC(c.in)
			if err != nil {
				t.Fatal(err)
			}
			c.check(t, tc)
			agreeWithPrebid(t, c.in, tc)
		})
	}
}

// agreeWithPrebid checks a decoded core segment field by field against
// Prebid's go-gdpr, an independent decoder, when it accepts the string.
func agreeWithPrebid(t *testing.T, in string, tc *TCString) {
	t.Helper()
	ref, err := gdpr.ParseString(in)
	if err != nil {
		return
	}
	if int(ref.Version()) != tc.Version || int(ref.CmpID()) != tc.CMPID || int(ref.CmpVersion()) != tc.CMPVersion ||
		int(ref.ConsentScreen()) != tc.ConsentScreen ||
		// go-gdpr renders a letter past Z as the next ASCII character; "?" here.
		!strings.Contains(tc.ConsentLanguage, "?") && ref.ConsentLanguage() != tc.ConsentLanguage ||
		int(ref.VendorListVersion()) != tc.VendorListVersion || int(ref.TCFPolicyVersion()) != tc.PolicyVersion ||
		!ref.Created().Equal(tc.Created) || !ref.LastUpdated().Equal(tc.LastUpdated) ||
		int(ref.MaxVendorID()) != tc.VendorConsents.MaxVendorID {
		t.Fatalf("metadata differs from go-gdpr: %+v", tc)
	}
	m := ref.(gdpr.ConsentMetadata)
	for p := 1; p <= 24; p++ {
		if m.PurposeAllowed(purpose(p)) != tc.HasPurpose(p) || m.PurposeLITransparency(purpose(p)) != contains(tc.PurposesLITransparency, p) {
			t.Fatalf("purpose %d differs from go-gdpr", p)
		}
	}
	for v := 1; v <= tc.VendorConsents.MaxVendorID; v++ {
		if m.VendorConsent(uint16(v)) != tc.VendorConsents.Has(v) {
			t.Fatalf("vendor %d consent differs from go-gdpr", v)
		}
	}
	for v := 1; v <= tc.VendorLI.MaxVendorID; v++ {
		if m.VendorLegitInterest(uint16(v)) != tc.VendorLI.Has(v) {
			t.Fatalf("vendor %d legitimate interest differs from go-gdpr", v)
		}
	}
}

func TestParseTCHostile(t *testing.T) {
	t.Parallel()
	fullRange := tcHead().put(65535, 16).put(1, 1).put(4095, 12)
	for i := 0; i < 4095; i++ {
		fullRange.put(1, 1).put(1, 16).put(65535, 16)
	}
	fullRange.put(0, 16).put(0, 1).put(0, 12)
	cases := []struct {
		name, in string
		wantErr  string // "" for success
	}{
		{"empty", "", "empty segment"},
		{"bad base64", "CO!x", "not base64"},
		{"version 3", (&bitWriter{}).put(3, 6).String() + "AAAAAAAAAAAA", "version 3"},
		{"truncated head", gppSpecTC[:20], "string ends"},
		{"bit field longer than the string", tcHead().put(65535, 16).put(0, 1).put(0, 64).String(), "string ends"},
		{"4095 range entries announced, none sent", tcHead().put(65535, 16).put(1, 1).put(4095, 12).String(), "string ends"},
		{"range past max vendor id", tcHead().put(10, 16).put(1, 1).put(1, 12).put(1, 1).put(5, 16).put(11, 16).String(), "outside 1-10"},
		{"range ending before it starts", tcHead().put(10, 16).put(1, 1).put(1, 12).put(1, 1).put(5, 16).put(4, 16).String(), "outside"},
		{"vendor 0", tcHead().put(10, 16).put(1, 1).put(1, 12).put(0, 1).put(0, 16).String(), "outside"},
		{"4095 ranges of every vendor", fullRange.String(), ""},
		{"too many segments", strings.Repeat(gppSpecTC+".", 9) + gppSpecTC, "segments"},
		{"oversized", strings.Repeat("A", maxEncodedLen+1), "more than"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			tc, err := ParseTC(c.in)
			switch {
			case c.wantErr == "" && err != nil:
				t.Fatal(err)
			case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)):
				t.Fatalf("err = %v, want %q", err, c.wantErr)
			case c.wantErr == "" && (len(tc.VendorConsents.Ranges) != 1 || tc.VendorConsents.Len() != 65535):
				t.Fatalf("ranges %d, len %d: want one merged range of 65535", len(tc.VendorConsents.Ranges), tc.VendorConsents.Len())
			}
		})
	}
}

func TestParseTCTruncatedNeverPanics(t *testing.T) {
	t.Parallel()
	for _, s := range []string{sirdataFull, iabtcfAllowed, gppSpecTC} {
		for i := range len(s) {
			if tc, err := ParseTC(s[:i]); err == nil && tc == nil {
				t.Fatalf("prefix %d: no result and no error", i)
			}
		}
	}
}

func TestPrebidAcceptsTheExamples(t *testing.T) {
	t.Parallel()
	for _, s := range []string{gppSpecTC, sirdataFull, iabtcfAllowed} {
		if _, err := gdpr.ParseString(s); err != nil {
			t.Errorf("go-gdpr rejects %.20s...: %v (the cross-check would be skipped)", s, err)
		}
	}
}

func TestParseTCv1(t *testing.T) {
	t.Parallel()
	// A TCF v1.1 string with a range section (default consent, vendors
	// 3-5 excepted), built field by field from the v1.1 layout.
	w := &bitWriter{}
	w.put(1, 6).put(15000000000, 36).put(15000000000, 36).put(18, 12).put(2, 12).put(0, 6)
	w.put(4, 6).put(13, 6).put(180, 12).put(0xFFFF00, 24).put(10, 16).put(1, 1).put(1, 1)
	w.put(1, 12).put(1, 1).put(3, 16).put(5, 16)
	tc, err := ParseTC(w.String())
	if err != nil {
		t.Fatal(err)
	}
	if tc.Version != 1 || tc.CMPID != 18 || tc.VendorListVersion != 180 || len(tc.PurposesConsent) != 16 {
		t.Errorf("got %+v", tc)
	}
	if got := tc.VendorConsents.IDs(0); len(got) != 7 || tc.VendorConsents.Has(4) || !tc.VendorConsents.Has(10) {
		t.Errorf("vendors %v: want 1-2 and 6-10", got)
	}
}
