package jobs

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/audit"
	"github.com/leakwatch/leakwatch/internal/sharedtest"
)

func conflict(company, page, denied string) audit.Finding {
	return audit.Finding{Type: audit.TypeConsentConflict, Vendor: "Google", Product: "Google Ads", Page: page,
		Receiver: &audit.Receiver{Host: "www.googleadservices.com", Domain: "googleadservices.com", Company: company},
		Summary:  "Google Ads hit declares " + denied + " denied yet carries the persona's email.",
		Details:  []audit.Detail{{Name: "consent", Value: "G100"}, {Name: "denied", Value: denied}}}
}

func TestCompare(t *testing.T) {
	t.Parallel()
	meta := audit.ThirdParty{Company: "Meta", Domains: []string{"facebook.com"}, DataKinds: []string{"email"}}
	metaMore := audit.ThirdParty{Company: "Meta", Domains: []string{"facebook.com"}, DataKinds: []string{"email", "phone"}}
	tiktok := audit.ThirdParty{Company: "TikTok", Domains: []string{"tiktok.com"}, DataKinds: []string{"address"}}
	tests := []struct {
		name                        string
		ref, cur                    audit.Report
		companies, kinds, conflicts int
	}{
		{"same", audit.Report{ThirdParties: []audit.ThirdParty{meta}}, audit.Report{ThirdParties: []audit.ThirdParty{meta}}, 0, 0, 0},
		{"new company", audit.Report{ThirdParties: []audit.ThirdParty{meta}}, audit.Report{ThirdParties: []audit.ThirdParty{meta, tiktok}}, 1, 0, 0},
		{"gone company is not news", audit.Report{ThirdParties: []audit.ThirdParty{meta, tiktok}}, audit.Report{ThirdParties: []audit.ThirdParty{meta}}, 0, 0, 0},
		{"new data kind", audit.Report{ThirdParties: []audit.ThirdParty{meta}}, audit.Report{ThirdParties: []audit.ThirdParty{metaMore}}, 0, 1, 0},
		{"fewer data kinds is not news", audit.Report{ThirdParties: []audit.ThirdParty{metaMore}}, audit.Report{ThirdParties: []audit.ThirdParty{meta}}, 0, 0, 0},
		{"new consent conflict", audit.Report{}, audit.Report{Findings: []audit.Finding{conflict("Google", "https://a/", "ad_storage")}}, 0, 0, 1},
		{"same conflict on another page is not news",
			audit.Report{Findings: []audit.Finding{conflict("Google", "https://a/", "ad_storage")}},
			audit.Report{Findings: []audit.Finding{conflict("Google", "https://b/", "ad_storage"), conflict("Google", "https://c/", "ad_storage")}}, 0, 0, 0},
		{"a conflict denying more is news",
			audit.Report{Findings: []audit.Finding{conflict("Google", "https://a/", "ad_storage")}},
			audit.Report{Findings: []audit.Finding{conflict("Google", "https://a/", "ad_storage, ad_user_data")}}, 0, 0, 1},
		{"one new conflict twice is listed once", audit.Report{},
			audit.Report{Findings: []audit.Finding{conflict("Google", "https://a/", "ad_storage"), conflict("Google", "https://b/", "ad_storage")}}, 0, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n := Compare(&tt.ref, &tt.cur)
			if len(n.NewCompanies) != tt.companies || len(n.NewDataKinds) != tt.kinds || len(n.NewConsentConflicts) != tt.conflicts {
				t.Errorf("Compare = %d companies, %d data kinds, %d conflicts; want %d, %d, %d",
					len(n.NewCompanies), len(n.NewDataKinds), len(n.NewConsentConflicts), tt.companies, tt.kinds, tt.conflicts)
			}
			if n.Empty() != (tt.companies+tt.kinds+tt.conflicts == 0) {
				t.Errorf("Empty() = %v", n.Empty())
			}
		})
	}
}

// hostileNotice names values a capture controls: a page URL with line
// breaks and a Slack mention, a company with a bidi override.
func hostileNotice() Notice {
	ref := audit.Report{ThirdParties: []audit.ThirdParty{{Company: "Meta", Domains: []string{"facebook.com"}, DataKinds: []string{"email"}}}}
	cur := audit.Report{
		ThirdParties: []audit.ThirdParty{
			{Company: "Meta", Domains: []string{"facebook.com"}, DataKinds: []string{"email", "phone"}},
			{Company: "Evil\u202eCorp <!channel>", Domains: []string{"evil.example"}, DataKinds: []string{"address"}},
		},
		Findings: []audit.Finding{conflict("Google", "https://shop.example/?q=1\r\nBcc: victim@example.com <!here|x>&", "ad_storage")},
	}
	n := Compare(&ref, &cur)
	n.SiteID, n.SiteURL, n.ScanID, n.Against, n.Reference = 7, "https://shop.example/\nSubject: x", 42, 41, "previous scan"
	n.Finished = time.Date(2026, 12, 6, 2, 0, 0, 0, time.UTC)
	return n
}

func TestPayloads(t *testing.T) {
	t.Parallel()
	n := hostileNotice()
	subject, body := n.Email()
	if strings.ContainsAny(subject, "\r\n\u202e") {
		t.Errorf("subject has a line break or bidi control: %q", subject)
	}
	for _, l := range strings.Split(body, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "Bcc:") || strings.HasPrefix(l, "Subject:") || strings.ContainsAny(l, "\r\u202e") {
			t.Errorf("body line injected: %q", l)
		}
	}
	slack, err := n.Slack()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(slack), "<!") {
		t.Errorf("Slack message can mention: %s", slack)
	}
	js, err := n.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var indented, slackIndented strings.Builder
	var v any
	_ = json.Unmarshal(js, &v)
	b, _ := json.MarshalIndent(v, "", "  ")
	indented.Write(b)
	_ = json.Unmarshal(slack, &v)
	b, _ = json.MarshalIndent(v, "", "  ")
	slackIndented.Write(b)
	sharedtest.Golden(t, "testdata/notice.txt", []byte("Subject: "+subject+"\n\n"+body), *sharedtest.Update)
	sharedtest.Golden(t, "testdata/notice.json", []byte(indented.String()+"\n"), *sharedtest.Update)
	sharedtest.Golden(t, "testdata/notice-slack.json", []byte(slackIndented.String()+"\n"), *sharedtest.Update)
}

func TestPayloadBounds(t *testing.T) {
	t.Parallel()
	var cur audit.Report
	for i := range 500 {
		cur.ThirdParties = append(cur.ThirdParties, audit.ThirdParty{Company: strings.Repeat("x", 5000) + string(rune('a'+i%26)) + strings.Repeat("y", i)})
	}
	n := Compare(&audit.Report{}, &cur)
	js, _ := n.JSON()
	slack, _ := n.Slack()
	_, body := n.Email()
	if len(js) > 200_000 || len(slack) > 40_000 || len(body) > 40_000 {
		t.Errorf("sizes: JSON %d, Slack %d, e-mail %d bytes", len(js), len(slack), len(body))
	}
	if !strings.Contains(body, "… and 450 more") {
		t.Error("the e-mail does not say how many it left out")
	}
}

func TestSign(t *testing.T) {
	t.Parallel()
	// RFC 4231 test case 2.
	got := Sign([]byte("Jefe"), []byte("what do ya want for nothing?"))
	want := "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
	if got != want {
		t.Errorf("Sign = %s, want %s", got, want)
	}
	if !Verify([]byte("Jefe"), []byte("what do ya want for nothing?"), want) || Verify([]byte("Jefe"), []byte("what do ya want for nothing!"), want) {
		t.Error("Verify disagrees with Sign")
	}
}

func FuzzParseSchedule(f *testing.F) {
	for _, s := range []string{"0 2 * * *", "@daily", "@every 1h", "CRON_TZ=Europe/Paris */5 * * * 1-5", "0 0 30 2 *", "@every 0s", "* * * * * *"} {
		f.Add(s)
	}
	base := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, text string) {
		s, err := ParseSchedule(text)
		if err != nil {
			return
		}
		// Latest stays bounded over a day whatever the schedule.
		start := time.Now()
		s.Latest(base, base.Add(24*time.Hour))
		if time.Since(start) > time.Second {
			t.Fatalf("Latest over a day of %q took %s", text, time.Since(start))
		}
	})
}
