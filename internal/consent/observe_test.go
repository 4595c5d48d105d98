package consent

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/pixel"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// brief renders a signal as "kind source field=raw" (and "!" on error).
func brief(s Signal) string {
	out := fmt.Sprintf("%s %s %s=%s", s.Kind, s.Source, s.Field, s.Raw)
	if s.Err != "" {
		out += " !"
	}
	return out
}

func TestObserve(t *testing.T) {
	t.Parallel()
	gpp := "DBABMA~" + gppSpecTC
	cases := []struct {
		name  string
		req   Request
		want  []string
		check func(t *testing.T, sigs []Signal)
	}{
		{name: "user sync URL", req: Request{URL: "https://ib.adnxs.com/getuid?gdpr=1&gdpr_consent=" + gppSpecTC +
			"&us_privacy=1YNN&gpp=" + gpp + "&gpp_sid=2,6&addtl_consent=1~7.12.35"},
			want: []string{"gdpr_applies query gdpr=1", "tcf query gdpr_consent=" + gppSpecTC, "usp query us_privacy=1YNN",
				"gpp query gpp=" + gpp, "gpp_sid query gpp_sid=2,6", "addtl_consent query addtl_consent=1~7.12.35"},
			check: func(t *testing.T, sigs []Signal) {
				if !*sigs[0].Applies || sigs[1].TC.CMPID != 31 || sigs[2].USP.OptedOut() || sigs[3].GPP.Sections[0].TC == nil ||
					!reflect.DeepEqual(sigs[4].SectionIDs, []int{2, 6}) || !reflect.DeepEqual(sigs[5].ACProviders, []int{7, 12, 35}) {
					t.Errorf("decoded %+v", sigs)
				}
			}},
		{name: "unfilled macros and empty values are not signals",
			req: Request{URL: "https://x.test/sync?gdpr=${GDPR}&gdpr_consent=${GDPR_CONSENT_755}&us_privacy=&gpp=[GPP]&gpp_sid={{SID}}"}},
		{name: "Floodlight ;-parameters in the path", req: Request{URL: "https://ad.doubleclick.net/ddm/activity/src=1;type=a;gdpr=0;gdpr_consent=" + gppSpecTC + ";ord=1?"},
			want: []string{"gdpr_applies path gdpr=0", "tcf path gdpr_consent=" + gppSpecTC}},
		{name: "a value that does not decode is reported with its error", req: Request{URL: "https://x.test/?gdpr_consent=hello"},
			want: []string{"tcf query gdpr_consent=hello !"}},
		{name: "generic names count only when they decode",
			req:  Request{URL: "https://x.test/?consent=yes&usp=abc&gpp=1&ccpa=1YYN&consent=" + gppSpecTC + "&gpp=DBABBgA~xlgWE"},
			want: []string{"usp query ccpa=1YYN", "tcf query consent=" + gppSpecTC, "gpp query gpp=DBABBgA~xlgWE !"},
			check: func(t *testing.T, sigs []Signal) {
				if g := sigs[2].GPP; g == nil || g.Sections[0].Name != "usca" {
					t.Errorf("a GPP string with a bad section keeps its header: %+v", g)
				}
			}},
		{name: "a name written with an escaped name byte", req: Request{URL: "https://x.test/c", Method: "POST",
			BodyMIME: "application/json", Body: `{"us\u005fprivacy":"1YYN","x":"%2F"}`},
			want: []string{"usp json body us_privacy=1YYN"}},
		{name: "a form name with a %-escaped name byte", req: Request{URL: "https://x.test/c", Method: "POST",
			BodyMIME: "application/x-www-form-urlencoded", Body: "a=1&us%5Fprivacy=1YNN"},
			want: []string{"usp body us_privacy=1YNN"}},
		{name: "escapes that form no channel name", req: Request{URL: "https://x.test/c", Method: "POST",
			BodyMIME: "application/x-www-form-urlencoded", Body: "a=%5F&u=https%3A%2F%2Fx.test%2Fus&privacy%5Fpolicy=1"}},
		{name: "OpenRTB bid request", req: Request{URL: "https://prebid.test/openrtb2/auction", Method: "POST", BodyMIME: "application/json",
			Body: `{"regs":{"ext":{"gdpr":1,"us_privacy":"1YYN"},"gpp":"` + gpp + `","gpp_sid":[2]},"user":{"ext":{"consent":"` + gppSpecTC + `"}}}`},
			want: []string{"gdpr_applies json body gdpr=1", "usp json body us_privacy=1YYN", "gpp json body gpp=" + gpp,
				"gpp_sid json body gpp_sid=2", "tcf json body consent=" + gppSpecTC},
			check: func(t *testing.T, sigs []Signal) {
				if !sigs[1].USP.OptedOut() {
					t.Errorf("USP %+v: want opted out", sigs[1].USP)
				}
			}},
		{name: "form body", req: Request{URL: "https://x.test/collect", Method: "POST", BodyMIME: "application/x-www-form-urlencoded",
			Body: "a=1&gdpr_consent=" + gppSpecTC}, want: []string{"tcf body gdpr_consent=" + gppSpecTC}},
		{name: "cookies from the header and the recorded list, once each", req: Request{URL: "https://www.example.test/",
			Headers: headers("Cookie", "euconsent-v2="+gppSpecTC+"; usprivacy=1YYN; OTGPPConsent="+gpp+"; __gpp_sid=2; other=1"),
			Cookies: []traffic.Cookie{{Name: "usprivacy", Value: "1YYN"}, {Name: "addtl_consent", Value: "1~89"}}},
			want: []string{"tcf cookie euconsent-v2=" + gppSpecTC, "usp cookie usprivacy=1YYN", "gpp cookie OTGPPConsent=" + gpp,
				"gpp_sid cookie __gpp_sid=2", "addtl_consent cookie addtl_consent=1~89"}},
		{name: "opt-out headers", req: Request{URL: "https://x.test/", Headers: headers("Sec-GPC", "1", "DNT", "0")},
			want: []string{"gpc header Sec-GPC=1", "dnt header DNT=0"}},
		{name: "GA4 Consent Mode", req: Request{URL: "https://region1.google-analytics.com/g/collect?v=2&tid=G-1&en=page_view&gcs=G100&gcd=13p3p3p2p5&npa=1"},
			want: []string{"consent_mode pixel gcs,gcd,npa=gcs=G100&gcd=13p3p3p2p5&npa=1"},
			check: func(t *testing.T, sigs []Signal) {
				cm := sigs[0].ConsentMode
				if cm.AdStorage.State != pixel.ConsentDenied || cm.AnalyticsStorage.State != pixel.ConsentDenied ||
					cm.AdUserData.State != pixel.ConsentDenied || cm.AdPersonalization.State != pixel.ConsentDenied {
					t.Errorf("consent mode %+v", cm)
				}
			}},
		{name: "Google endpoint pixel has no decoder for", req: Request{URL: "https://www.google.com/pagead/landing?gcs=G111&rnd=1&gtm=2wgad0"},
			want: []string{"consent_mode query gcs=gcs=G111"},
			check: func(t *testing.T, sigs []Signal) {
				if sigs[0].ConsentMode.AdStorage.State != pixel.ConsentGranted {
					t.Errorf("consent mode %+v", sigs[0].ConsentMode)
				}
			}},
		{name: "gcs on a host that is not Google's is not Consent Mode", req: Request{URL: "https://google.example.test/collect?gcs=G111"}},
		{name: "Meta Limited Data Use", req: Request{URL: "https://www.facebook.com/tr/?id=42&ev=PageView&dpo=LDU&dpoco=1&dpost=1000"},
			want: []string{"meta_ldu pixel dpo=LDU"},
			check: func(t *testing.T, sigs []Signal) {
				if l := sigs[0].LDU; !l.Enabled || l.Country != "United States" || l.State != "California" {
					t.Errorf("LDU %+v", l)
				}
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.req.Index = 3
			sigs := Observe(c.req)
			var got []string
			for _, s := range sigs {
				got = append(got, brief(s))
				if s.Request != 3 {
					t.Errorf("request %d", s.Request)
				}
			}
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
			if c.check != nil {
				c.check(t, sigs)
			}
		})
	}
}

func TestFromTraffic(t *testing.T) {
	t.Parallel()
	r := &traffic.Request{Index: 4, URL: "https://x.test/", Method: "POST",
		Params: []traffic.Param{{Name: "gdpr_consent", Value: gppSpecTC}}}
	got := FromTraffic(r)
	if got.Index != 4 || got.Body != "gdpr_consent="+gppSpecTC || got.BodyMIME != "application/x-www-form-urlencoded" {
		t.Fatalf("got %+v", got)
	}
	gz := &traffic.Request{URL: "https://x.test/", Body: []byte{0x1f, 0x8b}, Headers: headers("Content-Encoding", "gzip")}
	if FromTraffic(gz).Body != "" {
		t.Error("a Content-Encoded body was kept as text")
	}
}
