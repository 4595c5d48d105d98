package consent

import (
	"reflect"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

func TestDetect(t *testing.T) {
	t.Parallel()
	tcOneTrust := tcHead().put(0, 16).put(0, 1).put(0, 16).put(0, 1).put(0, 12).String() // CMP id 28
	cases := []struct {
		name string
		reqs []Request
		want []string // "platform: kind detail @first xN"
	}{
		{name: "OneTrust script, self-hosted stub and cookie", reqs: []Request{
			{Index: 0, URL: "https://cdn.cookielaw.org/scripttemplates/otSDKStub.js"},
			{Index: 1, URL: "https://www.site.test/assets/otBannerSdk.js"},
			{Index: 2, URL: "https://www.site.test/", Headers: headers("Cookie", "OptanonConsent=isGpcEnabled=0&groups=C0001%3A1")},
			{Index: 3, URL: "https://www.site.test/a", Headers: headers("Cookie", "OptanonConsent=x")}},
			want: []string{"OneTrust: host cdn.cookielaw.org @0 x1", "OneTrust: path /otSDKStub.js on cdn.cookielaw.org @0 x1",
				"OneTrust: path /otBannerSdk.js on www.site.test @1 x1", "OneTrust: cookie OptanonConsent @2 x2"}},
		{name: "a TC string credits its CMP by id, and the framework", reqs: []Request{
			{Index: 5, URL: "https://ib.adnxs.com/getuid?gdpr=1&gdpr_consent=" + tcOneTrust}},
			want: []string{"IAB TCF: signal tcf in query gdpr_consent @5 x1", "OneTrust: cmp id CMP id 28 in query gdpr_consent @5 x1"}},
		{name: "Cookiebot cookie only with its value shape", reqs: []Request{
			{Index: 0, URL: "https://a.test/", Cookies: []traffic.Cookie{{Name: "CookieConsent", Value: "true"}}},
			{Index: 1, URL: "https://a.test/", Cookies: []traffic.Cookie{{Name: "CookieConsent", Value: "{stamp:%27abc%27%2Cnecessary:true}"}}}},
			want: []string{"Cookiebot: cookie CookieConsent @1 x1"}},
		{name: "TRUSTe seal and look-alike hosts are not platforms", reqs: []Request{
			{URL: "https://privacy-policy.truste.com/privacy-seal/seal?rid=1"},
			{URL: "https://notcookielaw.org/x.js"},
			{URL: "https://cookiebot.com.evil.test/uc.js"}}},
		{name: "Complianz plugin, GPP cookie, undecodable USP ignored", reqs: []Request{
			{Index: 1, URL: "https://blog.test/wp-content/plugins/complianz-gdpr/cookiebanner/js/complianz.min.js"},
			{Index: 2, URL: "https://blog.test/", Headers: headers("Cookie", "cmplz_marketing=deny; __gpp=DBABMA~"+gppSpecTC)},
			{Index: 3, URL: "https://x.test/?us_privacy=zzzz"}},
			want: []string{"IAB TCF: cmp id CMP id 31 in cookie __gpp @2 x1", "IAB GPP: cookie __gpp @2 x1",
				"Complianz: path /wp-content/plugins/complianz-gdpr on blog.test @1 x1", "Complianz: cookie cmplz_marketing @2 x1"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, p := range Detect(c.reqs) {
				for _, e := range p.Evidence {
					got = append(got, p.Name+": "+e.Kind+" "+e.Detail+" @"+itoa(e.FirstRequest)+" x"+itoa(e.Requests))
				}
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}

func TestRulesAreComplete(t *testing.T) {
	t.Parallel()
	names := map[string]bool{}
	for _, r := range Rules() {
		if names[r.Name] {
			t.Errorf("%s twice", r.Name)
		}
		names[r.Name] = true
		if r.Kind == "cmp" && (len(r.Hosts)+len(r.Paths) == 0 || len(r.Reject.Selectors) == 0 || len(r.Accept.Selectors) == 0) {
			t.Errorf("%s: a CMP needs hosts or paths and reject and accept selectors", r.Name)
		}
	}
	for _, want := range []string{"IAB TCF", "IAB GPP", "IAB US Privacy (CCPA)", "OneTrust", "Cookiebot", "Didomi",
		"Quantcast Choice", "Usercentrics", "TrustArc", "Sourcepoint", "CookieYes", "Osano", "Termly", "Complianz", "Google Funding Choices"} {
		if !names[want] {
			t.Errorf("no rule for %s", want)
		}
	}
}
