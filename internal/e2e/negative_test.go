package e2e

import (
	"slices"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/audit"
	"github.com/leakwatch/leakwatch/internal/leak"
)

// stranger is a persona whose values were never shown or typed.
var stranger = visitor{
	Email:     "bartholomew.zylstra@elsewhere.org",
	Phone:     "212-555-0199",
	FirstName: "Bartholomew",
	LastName:  "Zylstra",
	Street:    "19 Quarry Lane",
	City:      "Tallahassee",
	State:     "FL",
	Zip:       "32301",
}

// TestStrangerIsSilent: a persona whose values the visit never held gets
// no leak finding, alone or next to the real one.
func TestStrangerIsSilent(t *testing.T) {
	t.Parallel()
	v := recorded(t)
	if truth := groundTruth(t, v, stranger); len(truth) > 0 {
		t.Fatalf("the site sent the stranger's values: %v", sortedKeys(truth))
	}
	tests := []struct {
		name     string
		withReal bool
	}{{"alone", false}, {"beside the shopper", true}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			personas := []leak.Persona{persona("stranger", stranger)}
			if tt.withReal {
				personas = append(personas, persona("shopper", shopper))
			}
			rep := analyse(t, v.capture, audit.Options{IncludeFirstParty: true}, personas...)
			real := 0
			for _, f := range rep.Findings {
				switch {
				case f.Type == audit.TypeLeak && f.Persona == "stranger":
					t.Errorf("stranger's %s found at %s %q in request %d (%s)", f.Field, f.Channel,
						f.Location, f.Request.Index, f.Evidence)
				case f.Type == audit.TypeLeak:
					real++
				}
			}
			if tt.withReal && real == 0 {
				t.Error("the shopper's values went unreported beside the stranger")
			}
		})
	}
}

// TestFirstPartyIsNoReceiver: the shop's own host receives the whole form
// (POST /api/profile) but is never reported as a receiver, unless asked.
func TestFirstPartyIsNoReceiver(t *testing.T) {
	t.Parallel()
	v := recorded(t)
	rep := analyse(t, v.capture, audit.Options{}, persona("shopper", shopper))
	for _, f := range rep.Findings {
		if f.Receiver != nil && strings.HasSuffix(f.Receiver.Host, "shop.test") {
			t.Errorf("first party reported as receiver: %s %s %s", f.Type, f.Field, f.Receiver.Host)
		}
	}
	for _, tp := range rep.ThirdParties {
		for _, h := range tp.Hosts {
			if h == shopHost {
				t.Errorf("first party %s listed among third parties (%s)", h, tp.Company)
			}
		}
	}
	if !slices.Contains(rep.FirstParty.Domains, "shop.test") {
		t.Errorf("first party domains = %v", rep.FirstParty.Domains)
	}
	// The same data sent to the shop itself is there to find when asked for,
	// so the silence above is the party rule, not a blind search.
	all := analyse(t, v.capture, audit.Options{IncludeFirstParty: true}, persona("shopper", shopper))
	own := map[string]bool{}
	for _, f := range all.Findings {
		if f.Type == audit.TypeLeak && f.Receiver.Host == shopHost && strings.HasSuffix(f.Request.URL, "/api/profile") {
			own[f.Field] = true
		}
	}
	for _, f := range []string{"email", "phone", "first_name", "last_name", "street", "city", "zip"} {
		if !own[f] {
			t.Errorf("with first parties included, %s sent to /api/profile is not reported (got %v)", f, own)
		}
	}
}

// TestPatternsWithoutPersona: with no persona at all, the email address and
// phone number the clients sent are still found by their shape, in every
// third-party request that carried them, and never in first-party ones.
func TestPatternsWithoutPersona(t *testing.T) {
	t.Parallel()
	v := recorded(t)
	truth := groundTruth(t, v, shopper)
	rep := analyse(t, v.capture, audit.Options{})
	found := map[sent]bool{}
	for _, f := range rep.Findings {
		switch {
		case f.Type == audit.TypeLeak:
			t.Errorf("leak finding without a persona: %+v", f)
		case f.Type == audit.TypePattern && strings.HasSuffix(f.Receiver.Host, "shop.test"):
			t.Errorf("pattern %s reported for the first party", f.Rule)
		case f.Type == audit.TypePattern:
			found[sent{Field: f.Rule, Host: f.Receiver.Host, Index: f.Request.Index}] = true
		}
	}
	rawGzip := leakReadsRawGzip()
	for _, k := range sortedKeys(truth) {
		if k.Field != "email" && k.Field != "phone" {
			continue
		}
		if !found[k] && (rawGzip || !isRawGzip(truth[k].hit)) {
			t.Errorf("%v: no %s pattern finding (sent at %s)", k, k.Field, placesText(truth[k].places))
		}
	}
}
