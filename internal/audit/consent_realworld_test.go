package audit

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// realWorldConsent is what the real captures show of consent, each row
// checked against the raw requests: the platforms detected (exactly), and
// readings that must be among the consent signals. Captures not listed
// show no consent platform.
var realWorldConsent = map[string]struct {
	platforms []string
	readings  []string
}{
	"chrome-har-savethechildren": {[]string{"Cookiebot", "IAB US Privacy (CCPA)"}, []string{
		"Google Consent Mode (Google): ad_storage granted, analytics_storage granted",
		"US Privacy: does not apply"}},
	"chrome-har-everydayhealth": {[]string{"IAB TCF"}, []string{
		"TCF v1 (CMP 18, policy 0, vendor list 133, updated 2019-02-11): consent to purposes 1,2,3,4,5",
		"GDPR applies: yes", "GDPR applies: no"}},
	"chrome-har-theclinickc":                  {[]string{"OneTrust"}, []string{"Meta Limited Data Use: on"}},
	"chrome-har-marchofdimes":                 {[]string{"OneTrust"}, nil},
	"chrome-devtools-classdojo-teacher-login": {[]string{"OneTrust"}, nil},
	"firebug-cnn":                             {[]string{"TrustArc"}, nil},
	"chrome-har-plannedparenthood":            {nil, []string{"Meta Limited Data Use: off"}},
	"chrome-har-ppgulfcoast":                  {nil, []string{"Meta Limited Data Use: off", "GDPR applies: no"}},
	"chrome-har-suntrust":                     {nil, []string{"GDPR applies: no"}},
	"chrome-har-cityofhope":                   {nil, []string{"ad_personalization denied; non-personalised ads (npa=1)"}},
	"chrome-har-nj-gov": {nil, []string{
		"ad_storage not set (tag assumes granted), analytics_storage not set (tag assumes granted)"}},
	"chrome-devtools-abcmouse-login": {nil, []string{
		"Google Consent Mode (Google Analytics 4): ad_storage granted, analytics_storage granted"}},
}

// TestRealWorldConsent: the report's consent section names the platforms
// and the Consent Mode, TCF, US Privacy and Limited Data Use states the
// real captures carry, and nothing where they carry none.
func TestRealWorldConsent(t *testing.T) {
	t.Parallel()
	dir, truth := loadTruth(t)
	for name := range truth.FirstParty {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := auditFile(t, filepath.Join(dir, name+".har.gz"), nil)
			want := realWorldConsent[name]
			var platforms, readings []string
			if r.Consent != nil {
				for _, p := range r.Consent.Platforms {
					platforms = append(platforms, p.Name)
				}
				for _, s := range r.Consent.Signals {
					readings = append(readings, s.Reading)
				}
			}
			slices.Sort(platforms)
			if !slices.Equal(platforms, want.platforms) {
				t.Errorf("platforms %q, want %q", platforms, want.platforms)
			}
			for _, w := range want.readings {
				if !slices.ContainsFunc(readings, func(s string) bool { return strings.Contains(s, w) }) {
					t.Errorf("no consent signal reads %q; readings:\n%s", w, strings.Join(readings, "\n"))
				}
			}
			for _, f := range r.Findings {
				if f.Type == TypeConsentConflict {
					t.Errorf("consent conflict on a capture typed with no persona: %s", f.Summary)
				}
			}
		})
	}
}
