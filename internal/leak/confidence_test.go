package leak

import (
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// TestPatternConfidence: the ad-tech values real captures are full of come
// out low or are dropped; what a tester types in a form comes out high.
// want is a confidence, or "" when no finding of the rule may be reported.
func TestPatternConfidence(t *testing.T) {
	t.Parallel()
	jsonLD := `[{"@type":"Organization","telephone":"626-256-4673","address":{"streetAddress":"1500 East Duarte Road, Duarte, CA, 91010"}}]`
	button := `{"classList":"","destination":"mailto:scott.buzzard@harrisburg.k12.or.us","innerText":"scott.buzzard@harrisburg.k12.or.us"}`
	cases := []struct {
		name string
		req  *traffic.Request
		rule string
		want string
	}{
		// Ad-tech numbers that pass Luhn.
		{"cache-buster fraction", get("https://ad.doubleclick.net/ddm/activity/src=1;cb=0.4494358242955059"), "payment-card", ""},
		{"cache-buster fraction in query", get("https://t.example/p?cb=0.4494358242955059"), "payment-card", ""},
		{"floodlight ord", get("https://ad.doubleclick.net/ddm/activity/src=1;type=a;ord=4454885028824?"), "payment-card", ConfidenceLow},
		{"ord query", get("https://googleads.g.doubleclick.net/pagead/viewthroughconversion/1/?ord=4454885028824"), "payment-card", ConfidenceLow},
		{"correlator", get("https://securepubads.g.doubleclick.net/gampad/ads?correlator=4111111111111111"), "payment-card", ConfidenceLow},
		{"googlesyndication c", get("https://pagead2.googlesyndication.com/pcs/view?c=4497361660317247"), "payment-card", ConfidenceLow},
		{"heap v", get("https://heapanalytics.com/h?a=2111332626&v=4066001823029807"), "payment-card", ConfidenceLow},
		{"meta cas", get("https://www.facebook.com/tr/?id=1&cas=4497361660317247"), "payment-card", ConfidenceLow},
		{"prx_ord", get("http://jadserve.postrelease.com/trk.gif?prx_ord=3032360792502514"), "payment-card", ConfidenceLow},
		{"tubemogul uid cookie", get("https://rtd.tubemogul.com/upi/", traffic.Header{Name: "Cookie", Value: "uid=4066001823029807"}), "payment-card", ConfidenceLow},
		{"appnexus sync id", get("https://ib.adnxs.com/getuid?https://s.example/sync?partner_uid=4497361660317247"), "payment-card", ConfidenceLow},
		{"turn user id", get("https://r.turn.com/r/cs?pid=9&tuid=4111111111111111"), "payment-card", ConfidenceLow},
		{"bare number, unnamed", get("https://t.example/p?q=4111111111111111"), "payment-card", ConfidenceLow},
		{"number in a UUID-ish token", get("https://t.example/p?k=ab12cd34_4111111111111111_ffee"), "payment-card", ConfidenceLow},
		{"whole part of a decimal", get("https://t.example/p?q=4111111111111111.25"), "payment-card", ConfidenceLow},
		// Timestamps and technical names never make phones.
		{"unix time after a plus in a referer", get("https://t.example/p", traffic.Header{Name: "Referer", Value: "https://s.example/a?utm_term=%2B1325675465"}), "phone", ConfidenceLow},
		{"phone in cache-buster", get("https://t.example/p?rnd=(212)+555-1212"), "phone", ConfidenceLow},
		{"invalid region", get("https://t.example/p?phone=(555)+212-1212"), "phone", ConfidenceLow},
		// Page content a tag scraped.
		{"meta button mailto", get("https://www.facebook.com/tr/?id=1&ev=SubscribedButtonClick&cd[buttonFeatures]=" + q(button)), "email", ConfidenceLow},
		{"json-ld telephone", post("application/x-www-form-urlencoded", []byte("id=1&cd[JSON-LD]="+q(jsonLD))), "phone", ConfidenceLow},
		{"json-ld street", post("application/x-www-form-urlencoded", []byte("id=1&cd[JSON-LD]="+q(jsonLD))), "us-address", ConfidenceLow},
		{"decibel dom", post("application/json", []byte(`{"didom":{"v":[[["Call us: 1.800.728.3843"]]]}}`)), "phone", ConfidenceLow},
		{"tel link", get("https://t.example/p?link=tel:%2B12125551212"), "phone", ConfidenceLow},
		{"og meta", get("https://t.example/p?og:email=info%40site.example"), "email", ConfidenceLow},
		{"ga4 outbound link text", get("https://region1.google-analytics.com/g/collect?en=click&ep.link_text=info%40site.example"), "email", ConfidenceLow},
		{"gtm click url", post("application/json", []byte(`{"event":"gtm.linkClick","gtm.elementUrl":"mailto:info@site.example"}`)), "email", ConfidenceLow},
		// Machine-made addresses.
		{"sentry dsn", get("https://t.example/p?dsn=" + q("https://4f2c3a6e9b8d4e1f8a7b6c5d4e3f2a1b@o12345.ingest.sentry.io/67890")), "email", ConfidenceLow},
		{"hex local part", get("https://t.example/p?x=0123456789abcdef0123@mail.example.com"), "email", ConfidenceLow},
		// True positives.
		{"cardnumber field", get("https://pay.example/p?cardnumber=4111111111111111"), "payment-card", ConfidenceHigh},
		{"grouped card in a form", post("application/x-www-form-urlencoded", []byte("name=Bob&number=4111+1111+1111+1111")), "payment-card", ConfidenceHigh},
		{"grouped card with dashes", post("text/plain", []byte("card on file 4111-1111-1111-1111")), "payment-card", ConfidenceHigh},
		{"amex in cc field", get("https://pay.example/p?cc_number=378282246310005"), "payment-card", ConfidenceHigh},
		{"phone field", post("application/x-www-form-urlencoded", []byte("name=test&phone=(212)+555-1212")), "phone", ConfidenceHigh},
		{"phone in JSON value", post("application/json", []byte(`{"fields":[{"phone":{"value":"212-555-1212"}}]}`)), "phone", ConfidenceHigh},
		{"phone, neutral field", get("https://t.example/p?q=(212)+555-1212"), "phone", ConfidenceMedium},
		{"test email in JSON", post("application/json", []byte(`{"email":"test@test.org"}`)), "email", ConfidenceHigh},
		{"bob email, unnamed", post("application/json", []byte(`{"input_2":"bob@bob.com"}`)), "email", ConfidenceHigh},
		{"email in uid", get("https://t.example/p?uid=test%40test.org"), "email", ConfidenceHigh},
		{"ssn field", get("https://t.example/p?ssn=078-05-1120"), "us-ssn", ConfidenceHigh},
		{"ssn in id", get("https://t.example/p?order_id=078-05-1120"), "us-ssn", ConfidenceLow},
		{"address field", get("https://t.example/p?address=" + q("1600 Amphitheatre Parkway, Mountain View, CA 94043")), "us-address", ConfidenceHigh},
		{"tracking field", get("https://t.example/p?tracking=9400111899223197428497"), "usps-impb", ConfidenceHigh},
		{"tracking, no context", get("https://t.example/p?q=9400111899223197428497"), "usps-impb", ConfidenceMedium},
		{"tracking in an event label", get("https://www.google-analytics.com/collect?el=shipping+label+9400111899223197428497"), "usps-impb", ConfidenceMedium},
		{"usps tLabels", get("https://tools.usps.com/go/TrackConfirmAction?tLabels=9400111899223197428497"), "usps-impb", ConfidenceHigh},
		{"fedex in a tracking field", get("https://t.example/p?trackingNumber=986578788855"), "fedex", ConfidenceHigh},
		{"card in an acct_id", get("https://t.example/p?acct_id=4111111111111111"), "payment-card", ConfidenceLow},
	}
	p, _ := NewPool(nil)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			res := p.Scan(c.req, ScanOptions{Patterns: true})
			var got []PatternMatch
			for _, m := range res.Patterns {
				if m.Confidence == "" || m.Reason == "" || m.Count < 1 {
					t.Errorf("finding without confidence, reason or count: %+v", m)
				}
				if m.Rule == c.rule {
					got = append(got, m)
				}
			}
			switch {
			case c.want == "" && len(got) > 0:
				t.Fatalf("want no %s finding, got %+v", c.rule, got)
			case c.want == "":
			case len(got) == 0:
				t.Fatalf("no %s finding in %+v", c.rule, res.Patterns)
			default:
				for _, m := range got {
					if m.Confidence != c.want {
						t.Errorf("%s %q at %s: %s (%s), want %s", m.Rule, m.Value, m.Location, m.Confidence, m.Reason, c.want)
					}
				}
			}
		})
	}
}

// TestCardNetworks: the issuer prefix and the network's lengths both
// count.
func TestCardNetworks(t *testing.T) {
	t.Parallel()
	cases := []struct{ n, want string }{
		{"4111111111111111", "Visa"}, {"4222222222222", "Visa"}, {"5555555555554444", "Mastercard"},
		{"2221000000000009", "Mastercard"}, {"378282246310005", "American Express"}, {"6011111111111117", "Discover"},
		{"3530111333300000", "JCB"}, {"30569309025904", "Diners Club"}, {"6200000000000005", "UnionPay"},
		{"37828224631000", ""}, {"411111111111111", ""}, {"9111111111111111", ""}, {"555555555555444", ""},
	}
	for _, c := range cases {
		if got := cardNetwork(c.n); got != c.want {
			t.Errorf("cardNetwork(%s) = %q, want %q", c.n, got, c.want)
		}
	}
}

// TestLastName: the field a finding is judged by.
func TestLastName(t *testing.T) {
	t.Parallel()
	cases := [][2]string{
		{"fields[].phone.value", "phone"}, {"ud[em]", "em"}, {"e[].x", "x"},
		{"cd[buttonFeatures] > destination", "destination"}, {"_hp2_id.2111332626 > pageviewId", "pageviewId"},
		{"a > value", "a"}, {"Set-Cookie: uid", "uid"}, {"didom.v[][][]", "v"}, {"", ""},
		{";ord", "ord"}, {"properties.$email", "email"}, {"X-Request-Id", "X-Request-Id"},
	}
	for _, c := range cases {
		if got := lastName(c[0]); got != c[1] {
			t.Errorf("lastName(%q) = %q, want %q", c[0], got, c[1])
		}
	}
}

// TestEpoch: Unix times in seconds and milliseconds between 2000 and 2100.
func TestEpoch(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"1325675465": "seconds", "+1325675465": "seconds",
		"1700000000123": "milliseconds", "2125551212": "seconds", "0325675465": "", "(212) 555-1212": "", "9999999999": ""} {
		if got := epoch([]byte(in)); got != want {
			t.Errorf("epoch(%s) = %q, want %q", in, got, want)
		}
	}
	if !strings.Contains(judge(span{rule: "phone", value: "+1325675465", start: 0, end: 11}, "q", []byte("+1325675465"), nil).reason, "Unix time") {
		t.Error("a timestamp after a plus is not called one")
	}
}
