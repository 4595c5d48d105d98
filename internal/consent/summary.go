package consent

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/leakwatch/leakwatch/internal/pixel"
)

// Summary reads a signal in one line, for people: what it says, decoded.
func (s Signal) Summary() string {
	if s.Err != "" {
		return fmt.Sprintf("%s in %s %q could not be decoded: %s", kindName(s.Kind), s.Source, s.Field, s.Err)
	}
	switch s.Kind {
	case KindTCF:
		if s.TC != nil {
			return tcSummary(s.TC)
		}
	case KindGPP:
		if s.GPP != nil {
			return gppSummary(s.GPP)
		}
	case KindUSP:
		if s.USP != nil {
			return uspSummary(*s.USP)
		}
	case KindConsentMode:
		if s.ConsentMode != nil {
			return consentModeSummary(s.ConsentMode)
		}
	case KindMetaLDU:
		if s.LDU != nil {
			if !s.LDU.Enabled {
				return "Meta Limited Data Use: off"
			}
			return fmt.Sprintf("Meta Limited Data Use: on (country %s, state %s)", orDash(s.LDU.Country), orDash(s.LDU.State))
		}
	case KindGPPSID:
		names := make([]string, len(s.SectionIDs))
		for i, id := range s.SectionIDs {
			names[i] = GPPSectionName(id)
		}
		return "GPP sections that apply: " + orDash(strings.Join(names, ", "))
	case KindAddtlConsent:
		return fmt.Sprintf("Google Additional Consent: %d ad technology providers consented", len(s.ACProviders))
	}
	if s.Applies != nil && s.Kind == KindGDPRApplies {
		return "GDPR applies: " + map[bool]string{true: "yes", false: "no"}[*s.Applies]
	}
	if s.Applies != nil {
		return fmt.Sprintf("%s: %s", kindName(s.Kind), onOff(*s.Applies))
	}
	return kindName(s.Kind) + ": " + s.Raw
}

func kindName(k Kind) string {
	switch k {
	case KindTCF:
		return "TCF consent string"
	case KindGDPRApplies:
		return "GDPR applies"
	case KindGPP:
		return "GPP string"
	case KindGPPSID:
		return "GPP section ids"
	case KindUSP:
		return "US Privacy string"
	case KindAddtlConsent:
		return "Google Additional Consent"
	case KindConsentMode:
		return "Google Consent Mode"
	case KindMetaLDU:
		return "Meta Limited Data Use"
	case KindGPC:
		return "Global Privacy Control"
	case KindDNT:
		return "Do Not Track"
	}
	return string(k)
}

func tcSummary(t *TCString) string {
	return fmt.Sprintf("TCF v%d (CMP %d, policy %d, vendor list %d, updated %s): consent to purposes %s; legitimate interest for %s; %d vendors consented, %d by legitimate interest",
		t.Version, t.CMPID, t.PolicyVersion, t.VendorListVersion, t.LastUpdated.UTC().Format("2006-01-02"),
		ids(t.PurposesConsent), ids(t.PurposesLITransparency), t.VendorConsents.Len(), t.VendorLI.Len())
}

func gppSummary(g *GPP) string {
	parts := make([]string, 0, len(g.Sections))
	for _, sec := range g.Sections {
		p := sec.Name
		switch {
		case sec.Err != "":
			p += " (undecodable)"
		case sec.US != nil:
			if o := sec.US.OptOuts(); len(o) > 0 {
				p += " (opted out: " + strings.Join(o, ", ") + ")"
			} else {
				p += " (no opt-out)"
			}
		case sec.USP != nil:
			p += " (" + uspSummary(*sec.USP) + ")"
		case sec.TC != nil:
			p += fmt.Sprintf(" (consent to purposes %s)", ids(sec.TC.PurposesConsent))
		}
		parts = append(parts, p)
	}
	return fmt.Sprintf("GPP v%d: %s", g.Version, orDash(strings.Join(parts, "; ")))
}

func uspSummary(u USP) string {
	if !u.Applies() {
		return "US Privacy: does not apply"
	}
	return fmt.Sprintf("US Privacy: notice %s, opted out of sale %s, LSPA covered %s", yn(u.Notice), yn(u.OptOutSale), yn(u.LSPACovered))
}

func consentModeSummary(c *ConsentMode) string {
	g := c.GoogleConsent
	out := fmt.Sprintf("Google Consent Mode (%s): ad_storage %s, analytics_storage %s, ad_user_data %s, ad_personalization %s",
		orDash(c.Product), cmState(g.AdStorage), cmState(g.AnalyticsStorage), cmState(g.AdUserData), cmState(g.AdPersonalization))
	if g.NPA == "1" {
		out += "; non-personalised ads (npa=1)"
	}
	if g.DMA == "1" {
		out += "; EEA user under the Digital Markets Act (dma=1)"
	}
	return out
}

// cmState is a signal's state in words, saying when the site set none and
// the tag assumed one.
func cmState(s pixel.ConsentSignal) string {
	if s.State == pixel.ConsentUnknown {
		if _, implicit, ok := strings.Cut(s.Source, "implicit "); ok {
			return "not set (tag assumes " + implicit + ")"
		}
		return "not set"
	}
	return string(s.State)
}

// Denied reports whether a Consent Mode state denies ad storage or ad
// user data, and names which.
func Denied(g pixel.GoogleConsent) []string {
	var out []string
	if g.AdStorage.State == pixel.ConsentDenied {
		out = append(out, "ad_storage")
	}
	if g.AdUserData.State == pixel.ConsentDenied {
		out = append(out, "ad_user_data")
	}
	return out
}

// Granted reports which of ad storage and ad user data a Consent Mode
// state declares granted (set by the site, not assumed by the tag).
func Granted(g pixel.GoogleConsent) []string {
	var out []string
	if g.AdStorage.State == pixel.ConsentGranted {
		out = append(out, "ad_storage")
	}
	if g.AdUserData.State == pixel.ConsentGranted {
		out = append(out, "ad_user_data")
	}
	return out
}

func ids(xs []int) string {
	if len(xs) == 0 {
		return "none"
	}
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ",")
}

func yn(v string) string {
	switch v {
	case "Y":
		return "yes"
	case "N":
		return "no"
	}
	return "not said"
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
