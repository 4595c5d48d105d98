package redact

import (
	"reflect"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/audit"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

func sampleReport() *audit.Report {
	jwt := "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlMTIz"
	return &audit.Report{
		Schema:     audit.Schema,
		FirstParty: audit.FirstParty{Domains: []string{"shop.example"}},
		Pages:      []audit.PageInfo{{URL: "https://shop.example/cb?access_token=UrlToken5555", Title: "Hi TypedPassw0rd"}},
		Pixels: []audit.PixelHit{{Vendor: "Meta", Product: "Meta Pixel", Account: "1",
			Request: audit.RequestRef{URL: "https://www.facebook.com/tr?id=1&dl=https%3A%2F%2Fshop.example%2Fcb%3Faccess_token%3DUrlToken5555"},
			Fields:  []audit.Field{{Name: "ud[em]", Value: "ff8d98", Meaning: audit.MeaningHashedEmail}, {Name: "cd[t]", Value: jwt}}}},
		Findings: []audit.Finding{{Type: audit.TypeLeak, Field: "email", Value: "a****@example.com",
			Evidence: "Cookie: c_user=100004567890123; sessionid=s3cr3tSessionValue123", Page: "https://shop.example/cb?access_token=UrlToken5555",
			Receiver: &audit.Receiver{Host: "www.facebook.com", Domain: "facebook.com", Company: "Meta"},
			Details:  []audit.Detail{{Name: "note", Value: "sent with Bearer " + jwt}}}},
		Requests: []audit.RequestDetail{
			{Index: 0, URL: "https://shop.example/login", Method: "POST",
				Headers: []string{"Cookie: sessionid=s3cr3tSessionValue123; _ga=GA1.2.111.222", "X-CSRF-Token: CsrfTok987654",
					"Authorization: Bearer " + jwt, ":authority: shop.example"},
				Body: "username=alice%40example.com&password=Hunter2Secret%21"},
			{Index: 3, URL: "https://www.facebook.com/tr?id=1&ev=PageView", Method: "GET",
				Headers: []string{"Cookie: c_user=100004567890123; xs=44%3AabcDEF%3A2; fr=FrCookie0123abc", "Referer: https://shop.example/?q=Hunter2Secret%21"}},
		},
		Warnings: []string{"typed TypedPassw0rd into #password"},
	}
}

func TestReportRemovesEverySecret(t *testing.T) {
	t.Parallel()
	red := Report(sampleReport(), Options{Secrets: []string{"TypedPassw0rd"}})
	assertNoSecrets(t, red)
	assertKept(t, red, []string{"_ga=GA1.2.111.222", "username=alice%40example.com", "a****@example.com", "ud[em]", "ff8d98", ":authority: shop.example"})
	in := sampleReport()
	if Report(in, Options{}) != in || strings.Contains(in.Requests[0].Headers[0], "s3cr3t") {
		t.Error("Report does not redact in place")
	}
	want := map[string]string{
		red.Requests[0].Headers[0]:    "Cookie: sessionid=[REDACTED]; _ga=GA1.2.111.222",
		red.Requests[0].Headers[1]:    "X-CSRF-Token: [REDACTED]",
		red.Requests[0].Headers[2]:    "Authorization: Bearer [REDACTED]",
		red.Requests[1].Headers[0]:    "Cookie: c_user=[REDACTED]; xs=[REDACTED]; fr=FrCookie0123abc",
		red.Pixels[0].Fields[1].Value: "[REDACTED]",
		red.Findings[0].Evidence:      "Cookie: c_user=[REDACTED]; sessionid=[REDACTED]",
	}
	for got, w := range want {
		if got != w {
			t.Errorf("got %q, want %q", got, w)
		}
	}
	if Report(nil, Options{}) != nil {
		t.Error("nil report")
	}
}

func TestReportUntouchedWithoutSecrets(t *testing.T) {
	t.Parallel()
	r := &audit.Report{Schema: audit.Schema, Findings: []audit.Finding{{Type: "leak", Field: "zip", Value: "94***", Location: "ud[zp]"}},
		Requests: []audit.RequestDetail{{URL: "https://t.example/p?zp=abc", Headers: []string{"Accept: */*"}}}}
	red := Report(r, Options{})
	if red.Findings[0].Value != "94***" || red.Requests[0].URL != r.Requests[0].URL || red.Requests[0].Headers[0] != "Accept: */*" {
		t.Errorf("changed: %+v", red)
	}
	if strings.Contains(red.Requests[0].URL, Placeholder) {
		t.Error("placeholder without a secret")
	}
}

// TestRedactorReport: secrets seen only in the capture (a Basic password on
// a first-party request) leave a report whose evidence lacks them.
func TestRedactorReport(t *testing.T) {
	t.Parallel()
	rep := &audit.Report{Schema: audit.Schema,
		Requests: []audit.RequestDetail{{URL: "https://www.google-analytics.com/g/collect", Body: "en=page_view&ep.note=BasicPass77"}},
		Findings: []audit.Finding{{Type: "leak", Evidence: "note=BasicPass77 sess s3cr3tSessionValue123"}}}
	x := NewRedactor(Options{})
	var seen traffic.Collector
	if err := sampleCapture().Visit(x.Tee(&seen)); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&seen.Capture, sampleCapture()) {
		t.Error("Tee changed what it passed on")
	}
	x.Report(rep)
	assertNoSecrets(t, rep)
	if rep.Findings[0].Evidence != "note=[REDACTED] sess [REDACTED]" {
		t.Errorf("evidence: %q", rep.Findings[0].Evidence)
	}
	// Without the capture the Basic password is unknown.
	alone := &audit.Report{Findings: []audit.Finding{{Evidence: "note=BasicPass77"}}}
	if Report(alone, Options{}); alone.Findings[0].Evidence != "note=BasicPass77" {
		t.Errorf("report alone: %q", alone.Findings[0].Evidence)
	}
}
