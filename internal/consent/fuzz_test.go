package consent

import (
	"strings"
	"testing"
)

// FuzzParseTC checks that ParseTC never panics, that what it returns is
// consistent (sorted, merged ranges inside 1..MaxVendorID) and that a
// string it and Prebid's go-gdpr both accept decodes the same.
func FuzzParseTC(f *testing.F) {
	for _, s := range []string{gppSpecTC, sirdataFull, iabtcfAllowed, "BObzkKNObzkt0ASABAENCF-AAAAkF7_______9______9uz_Ov", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tc, err := ParseTC(s)
		if err != nil {
			return
		}
		for _, vs := range []VendorSet{tc.VendorConsents, tc.VendorLI} {
			checkRanges(t, vs)
		}
		if tc.Version == 2 && !strings.Contains(s, ".") {
			agreeWithPrebid(t, s, tc)
		}
	})
}

// checkRanges fails unless a set's ranges are sorted, disjoint, not
// adjacent and inside 1..MaxVendorID.
func checkRanges(t *testing.T, vs VendorSet) {
	t.Helper()
	prev := 0
	for _, r := range vs.Ranges {
		if r.From <= prev+1 && prev > 0 || r.From < 1 || r.To < r.From || r.To > vs.MaxVendorID {
			t.Fatalf("bad ranges %+v", vs)
		}
		prev = r.To
	}
}

// FuzzParseGPP checks that ParseGPP never panics and that a decoded
// string names one id per section.
func FuzzParseGPP(f *testing.F) {
	for _, s := range []string{"DBABMA~" + gppSpecTC, "DBACNY~" + gppSpecTC + "~1YNN", "DBABBgA~xlgWEYCZAA",
		"DBABrGA~DSJgmkoZJSA.YA~BlgWEYCY.QA~BSFgmiU~bSFgmJQ.YA~BWJYJllA~bSFgmSZQ.YA", "DBGBM~x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		g, _ := ParseGPP(s)
		if g != nil && len(g.SectionIDs) != len(g.Sections) {
			t.Fatalf("%d ids, %d sections", len(g.SectionIDs), len(g.Sections))
		}
	})
}

// FuzzParseUSP checks that ParseUSP never panics and accepts only four
// characters.
func FuzzParseUSP(f *testing.F) {
	for _, s := range []string{"1YNN", "1---", "1yny", "2YNN", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if _, err := ParseUSP(s); err == nil && len(s) != 4 {
			t.Fatalf("accepted %q", s)
		}
	})
}

// FuzzObserve checks that Observe never panics on any URL, cookie header
// and body, and that every signal names its request.
func FuzzObserve(f *testing.F) {
	f.Add("https://ib.adnxs.com/getuid?gdpr=1&gdpr_consent="+gppSpecTC, "euconsent-v2="+gppSpecTC, `{"regs":{"gpp":"DBABMA~`+gppSpecTC+`","gpp_sid":[2]}}`)
	f.Add("https://www.google-analytics.com/g/collect?v=2&tid=G-1&en=x&gcs=G101&gcd=13r3r3r2r5l1", "usprivacy=1YNN", "us_privacy=1YYN&addtl_consent=1~1.2")
	f.Add("https://ad.doubleclick.net/activity;gdpr=1;gdpr_consent=${GDPR_CONSENT_755}", "", "[[[[[[[[")
	f.Fuzz(func(t *testing.T, u, cookie, body string) {
		req := Request{Index: 7, URL: u, Method: "POST", Body: body, Headers: headers("Cookie", cookie, "Sec-GPC", "1")}
		for _, s := range Observe(req) {
			if s.Request != 7 || s.Kind == "" {
				t.Fatalf("signal %+v", s)
			}
		}
	})
}
