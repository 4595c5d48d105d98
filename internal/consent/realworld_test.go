package consent

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/har"
	"github.com/leakwatch/leakwatch/internal/sharedtest"
)

// realworld lists, per shared real-world capture, the consent platforms
// and the distinct consent states its requests carry. Every row was
// checked against the raw HAR requests (URLs, Cookie headers, bodies), not
// copied from output: e.g. savethechildren loads consent.cookiebot.com and
// sends us_privacy=1--- to Criteo; everydayhealth's gdpr_consent is a TCF
// v1.1 string of CMP 18 (decoded by hand: bits 78-89), once cut short;
// privacy-policy.truste.com there is TRUSTe's seal, not a banner. Captures
// with nothing consent-related have an empty row.
var realworld = []struct {
	file      string
	platforms []string
	states    []string
}{
	{"browsermob-amazon", nil, nil},
	{"charles-cgilib-form", nil, nil},
	{"chrome-devtools-211palmbeach-contact-form", nil, nil},
	{"chrome-devtools-abcmouse-login", nil, []string{"consent_mode gcs=G111&gcd=11v1v1l1l5&dma=0"}},
	{"chrome-devtools-arbitersports-email-click", nil, nil},
	{"chrome-devtools-arbitersports-search", nil, nil},
	{"chrome-devtools-brightcheck-optout", nil, []string{"consent_mode gcd=13l3l3l3l1l1&npa=0&dma=0",
		"consent_mode gcd=13l3l3l3l1l1&npa=0&dma=0&pscdl=noapi"}},
	{"chrome-devtools-classdojo-teacher-login", []string{"OneTrust"}, nil},
	{"chrome-devtools-crisis-center-contact", nil, nil},
	{"chrome-devtools-davidlawrencecenters-click", nil, nil},
	{"chrome-devtools-gryphon-contact-form", nil, nil},
	{"chrome-devtools-kidsa-z-button-click", nil, []string{"consent_mode gcd=11l1l1l1l1&dma=0"}},
	{"chrome-devtools-ncmhs", nil, nil},
	{"chrome-devtools-ncssinc-contact-form", nil, nil},
	{"chrome-devtools-responsecrisiscenter-contact", nil, nil},
	{"chrome-devtools-solari-contact-form", nil, nil},
	{"chrome-devtools-unitedwaynefl-contact-form", nil, nil},
	{"chrome-devtools-xtramath", nil, []string{"consent_mode gcd=11l1l1l1l1&dma=0"}},
	{"chrome-har-capturer-cnn", nil, nil},
	{"chrome-har-cdph-ca-gov", nil, nil},
	{"chrome-har-cityofhope", nil, []string{"consent_mode npa=1", "gdpr_applies false"}},
	{"chrome-har-connectforhealthco", nil, []string{"consent_mode gcd=13l3l3l3l1l1&npa=0&dma=0", "gdpr_applies false"}},
	{"chrome-har-dchealthlink-challenge", nil, nil},
	{"chrome-har-domesticshelters", nil, nil},
	{"chrome-har-everydayhealth", []string{"IAB TCF"}, []string{"gdpr_applies false", "gdpr_applies true",
		"tcf error", "tcf v1 cmp 18 purposes [1 2 3 4 5]"}},
	{"chrome-har-kynect", nil, []string{"consent_mode gcd=13l3l3l3l1l1&npa=0&dma=0"}},
	{"chrome-har-mahealthconnector", nil, []string{"consent_mode gcd=13l3l3l3l1l1&dma=0",
		"consent_mode gcd=13l3l3l3l1l1&npa=0&dma=0", "gdpr_applies false"}},
	{"chrome-har-marchofdimes", []string{"OneTrust"}, []string{"gdpr_applies false"}},
	{"chrome-har-marylandhealthconnection", nil, []string{"consent_mode gcd=13l3l3l3l1l1&npa=0&dma=0", "gdpr_applies false"}},
	{"chrome-har-nevadahealthlink", nil, []string{"consent_mode gcd=13l3l3l3l1l1&dma=0",
		"consent_mode gcd=13l3l3l3l1l1&npa=0&dma=0", "gdpr_applies false"}},
	{"chrome-har-nj-gov", nil, []string{"consent_mode gcd=13l3l3l3l1l1&npa=0&dma=0"}},
	{"chrome-har-nsvrc", nil, nil},
	{"chrome-har-nystateofhealth", nil, []string{"consent_mode gcd=13l3l3l3l1l1&dma=0", "consent_mode gcd=13l3l3l3l1l1&npa=0&dma=0"}},
	{"chrome-har-plannedparenthood", nil, []string{"gdpr_applies false", "meta_ldu off"}},
	{"chrome-har-ppgulfcoast", nil, []string{"gdpr_applies false", "meta_ldu off"}},
	{"chrome-har-savethechildren", []string{"IAB US Privacy (CCPA)", "Cookiebot"}, []string{"consent_mode gcs=G111",
		"gdpr_applies false", "usp 1---"}},
	{"chrome-har-sba-gov", nil, nil},
	{"chrome-har-suntrust", nil, []string{"gdpr_applies false"}},
	{"chrome-har-theclinickc", []string{"OneTrust"}, []string{"gdpr_applies false",
		"meta_ldu on (country geolocated by Meta, state geolocated by Meta)"}},
	{"chrome-har-usmint", nil, nil},
	{"firebug-cnn", []string{"TrustArc"}, nil},
	{"firefox-cgilib-form", nil, nil},
}

// stateOf summarises a signal as the consent state it claims.
func stateOf(s Signal) string {
	switch {
	case s.Err != "":
		return string(s.Kind) + " error"
	case s.ConsentMode != nil:
		return "consent_mode " + s.Raw
	case s.LDU != nil && s.LDU.Enabled:
		return fmt.Sprintf("meta_ldu on (country %s, state %s)", s.LDU.Country, s.LDU.State)
	case s.LDU != nil:
		return "meta_ldu off"
	case s.TC != nil:
		return fmt.Sprintf("tcf v%d cmp %d purposes %v", s.TC.Version, s.TC.CMPID, s.TC.PurposesConsent)
	case s.Applies != nil:
		return fmt.Sprintf("%s %v", s.Kind, *s.Applies)
	}
	return string(s.Kind) + " " + s.Raw
}

func TestRealWorldCaptures(t *testing.T) {
	t.Parallel()
	dir := sharedtest.Dir(t)
	files, err := filepath.Glob(filepath.Join(dir, "realworld", "*.har.gz"))
	if err != nil || len(files) != len(realworld) {
		t.Fatalf("%d captures (%v), %d rows", len(files), err, len(realworld))
	}
	for _, row := range realworld {
		t.Run(row.file, func(t *testing.T) {
			t.Parallel()
			c, err := har.ReadFile(context.Background(), filepath.Join(dir, "realworld", row.file+".har.gz"), har.Options{})
			if err != nil {
				t.Fatal(err)
			}
			reqs := Requests(c)
			sigs := ObserveAll(reqs)
			var platforms []string
			for _, p := range DetectSignals(reqs, sigs) {
				platforms = append(platforms, p.Name)
			}
			seen := map[string]bool{}
			var states []string
			for _, s := range sigs {
				if st := stateOf(s); !seen[st] {
					seen[st] = true
					states = append(states, st)
				}
			}
			sort.Strings(states)
			if !reflect.DeepEqual(platforms, row.platforms) {
				t.Errorf("platforms %q, want %q", platforms, row.platforms)
			}
			if !reflect.DeepEqual(states, row.states) {
				t.Errorf("states\n%s\nwant\n%s", strings.Join(states, "\n"), strings.Join(row.states, "\n"))
			}
		})
	}
}
