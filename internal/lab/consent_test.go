package lab

import (
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/consent"
)

// TestTCStringDecodes: the lab's TC strings decode, with the consent
// package's decoder, to the purposes and vendors of the choice.
func TestTCStringDecodes(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 12, 6, 10, 30, 0, 0, time.UTC)
	tests := []struct {
		name     string
		accept   bool
		purposes []int
		vendors  int
	}{
		{"accept", true, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, len(labTCFVendors)},
		{"reject", false, nil, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := tcString(tcChoice{Accept: tc.accept, At: at})
			got, err := consent.ParseTC(s)
			if err != nil {
				t.Fatalf("ParseTC(%q): %v", s, err)
			}
			if !reflect.DeepEqual(got.PurposesConsent, tc.purposes) {
				t.Errorf("purposes %v, want %v", got.PurposesConsent, tc.purposes)
			}
			if n := got.VendorConsents.Len(); n != tc.vendors {
				t.Errorf("%d vendors consented, want %d", n, tc.vendors)
			}
			for _, id := range labTCFVendors {
				if got.VendorConsents.Has(id) != tc.accept {
					t.Errorf("vendor %d consented %v, want %v", id, !tc.accept, tc.accept)
				}
			}
			if got.CMPID != labCMPID || got.PublisherCC != labPublisherCC || got.ConsentLanguage != labLanguage ||
				!got.Created.Equal(at) || got.PolicyVersion != labTCFPolicy {
				t.Errorf("head %+v", got)
			}
		})
	}
}

// TestConsentEndpoint: POST /consent sets the TC string and choice cookies;
// a bad choice is refused; gpc.json says the site honours GPC.
func TestConsentEndpoint(t *testing.T) {
	t.Parallel()
	s := startLab(t)
	c := s.Client()
	for _, choice := range []string{"accept", "reject", "maybe"} {
		req, _ := http.NewRequest(http.MethodPost, s.URL+"consent", strings.NewReader(url.Values{"choice": {choice}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, body := do(t, c, req)
		if choice == "maybe" {
			if resp.StatusCode != http.StatusBadRequest {
				t.Errorf("choice %q: status %d, want 400", choice, resp.StatusCode)
			}
			continue
		}
		var j map[string]string
		if err := json.Unmarshal([]byte(body), &j); err != nil || j["choice"] != choice {
			t.Fatalf("choice %q: answer %q (%v)", choice, body, err)
		}
		cookies := map[string]string{}
		for _, ck := range resp.Cookies() {
			cookies[ck.Name] = ck.Value
		}
		if cookies[choiceCookie] != choice || cookies[tcCookie] != j["tcString"] {
			t.Errorf("choice %q: cookies %v", choice, cookies)
		}
		tc, err := consent.ParseTC(cookies[tcCookie])
		if err != nil || tc.HasPurpose(1) != (choice == "accept") {
			t.Errorf("choice %q: TC string %q: purpose 1 %v, err %v", choice, cookies[tcCookie], tc != nil && tc.HasPurpose(1), err)
		}
	}
	resp, body := get(t, c, s.URL+".well-known/gpc.json")
	var g struct {
		GPC bool `json:"gpc"`
	}
	if resp.StatusCode != http.StatusOK || json.Unmarshal([]byte(body), &g) != nil || !g.GPC {
		t.Errorf("gpc.json: %d %q", resp.StatusCode, body)
	}
}

// TestConsentViolationsTruth: exactly one tag ignores a reject and one
// ignores GPC, and they are different vendors.
func TestConsentViolationsTruth(t *testing.T) {
	t.Parallel()
	got := ConsentViolations()
	want := []ConsentViolation{
		{Vendor: "Snap", Kind: ViolationDespiteGPC, Collectors: []string{"tr.snapchat.com"}},
		{Vendor: "Pinterest", Kind: ViolationAfterReject, Collectors: []string{"ct.pinterest.com"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ConsentViolations() = %+v, want %+v", got, want)
	}
}
