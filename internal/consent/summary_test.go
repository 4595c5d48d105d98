package consent

import (
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/pixel"
)

func TestSummary(t *testing.T) {
	t.Parallel()
	yes, no := true, false
	usp, _ := ParseUSP("1YYN")
	implicit := pixel.ConsentSignal{State: pixel.ConsentUnknown, Source: "gcd: not set, implicit granted"}
	denied := pixel.ConsentSignal{State: pixel.ConsentDenied}
	for _, c := range []struct {
		s    Signal
		want string
	}{
		{Signal{Kind: KindGDPRApplies, Applies: &yes}, "GDPR applies: yes"},
		{Signal{Kind: KindGDPRApplies, Applies: &no}, "GDPR applies: no"},
		{Signal{Kind: KindGPC, Applies: &yes}, "Global Privacy Control: on"},
		{Signal{Kind: KindUSP, USP: &usp}, "US Privacy: notice yes, opted out of sale yes, LSPA covered no"},
		{Signal{Kind: KindConsentMode, ConsentMode: &ConsentMode{Product: "Google Ads", GoogleConsent: pixel.GoogleConsent{
			AdStorage: denied, AnalyticsStorage: implicit, AdUserData: denied, AdPersonalization: pixel.ConsentSignal{State: pixel.ConsentGranted}, NPA: "1"}}},
			"Google Consent Mode (Google Ads): ad_storage denied, analytics_storage not set (tag assumes granted), ad_user_data denied, ad_personalization granted; non-personalised ads (npa=1)"},
		{Signal{Kind: KindMetaLDU, LDU: &LimitedDataUse{Enabled: true, Options: "LDU", Country: "1", State: "1000"}},
			"Meta Limited Data Use: on (country 1, state 1000)"},
		{Signal{Kind: KindTCF, Source: "cookie", Field: "euconsent-v2", Err: "bad base64"},
			`TCF consent string in cookie "euconsent-v2" could not be decoded: bad base64`},
		{Signal{Kind: KindGPPSID, SectionIDs: []int{2, 7}}, "GPP sections that apply: tcfeuv2, usnat"},
	} {
		if got := c.s.Summary(); got != c.want {
			t.Errorf("Summary() = %q\n want %q", got, c.want)
		}
	}
	tc, err := ParseTC("COvFyGBOvFyGBAbAAAENAPCAAOAAAAAAAAAAAEEUACCKAAA")
	if err != nil {
		t.Fatal(err)
	}
	if got := (Signal{Kind: KindTCF, TC: tc}).Summary(); !strings.HasPrefix(got, "TCF v2 (CMP ") {
		t.Errorf("TC summary %q", got)
	}
}

func TestClickID(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"https://t.example/p?gclid=abc": "gclid=abc",
		"https://www.google-analytics.com/g/collect?dl=" + "https%3A%2F%2Fs.example%2F%3Fwbraid%3Dxyz": "wbraid=xyz",
		"https://t.example/p?q=1":    "",
		"https://t.example/p?dl=%3A": "",
	} {
		n, v := ClickID(in)
		got := n
		if n != "" {
			got += "=" + v
		}
		if got != want {
			t.Errorf("ClickID(%q) = %q, want %q", in, got, want)
		}
	}
}
