package redact

import (
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/audit"
)

func TestMask(t *testing.T) {
	t.Parallel()
	tests := []struct {
		value, kind, want string
	}{
		{"maria.lopez@gmail.com", "email", "m****@gmail.com"},
		{"  Maria@Example.org ", "email", "M****@Example.org"},
		{"m@x.io", "email", "****@x.io"},
		{"not-an-email", "email", "n****"},
		{"+1 (415) 555-0142", "phone", "+* (***) ***-**42"},
		{"4155550142", "phone", "********42"},
		{"12", "phone", "****"},
		{"Maria", "first_name", "M****"},
		{"Ñúñez", "last_name", "Ñ****"},
		{"J", "first_name", "****"},
		{"1234 Elm Street", "street", "1****"},
		{"Oakland", "city", "O****"},
		{"CA", "state", "C*"},
		{"US", "country", "US"},
		{"94607", "zip", "94***"},
		{"94607-1234", "zip", "94***"},
		{"1984-03-07", "date_of_birth", "1984-**-**"},
		{"03/07/1984", "date_of_birth", "**/**/1984"},
		{"March 7, 1984", "date_of_birth", "***** *, 1984"},
		{"9400111899223197428490", "tracking_numbers", "9400****90"},
		{"9400 1118 9922 3197 4284 90", "tracking_numbers", "9400****90"},
		{"EC123456785US", "upu-s10", "EC12****US"},
		{"1Z999AA10123456784", "ups", "1Z99****84"},
		{"12345", "tracking_numbers", "1****"},
		{"4111111111111111", "payment-card", "****1111"},
		{"123-45-6789", "us-ssn", "****6789"},
		{"MBR-0042-XYZ", "custom.member_id", "MB****"},
		{"abc", "custom.code", "****"},
		{"", "email", ""},
		{"   ", "zip", ""},
		{"something", "", "so****"},
	}
	for _, tc := range tests {
		if got := Mask(tc.value, tc.kind); got != tc.want {
			t.Errorf("Mask(%q, %q) = %q, want %q", tc.value, tc.kind, got, tc.want)
		}
	}
}

// TestMaskNeverReveals checks that no mask shows the whole value.
func TestMaskNeverReveals(t *testing.T) {
	t.Parallel()
	kinds := []string{"email", "phone", "first_name", "street", "zip", "date_of_birth", "tracking_numbers", "payment-card", "custom.x", ""}
	values := []string{"a", "ab", "abc", "abcd", "abcde", "a@b", "12", "12345", "1234567890", "x@y.z", "Éric"}
	for _, k := range kinds {
		for _, v := range values {
			if got := Mask(v, k); got == v && len(v) > 0 {
				t.Errorf("Mask(%q, %q) reveals the value", v, k)
			}
		}
	}
}

// TestMaskReportEncoded: a persona value is masked in every encoded form
// a report prints, wherever it is, and the mask is encoded the same way.
func TestMaskReportEncoded(t *testing.T) {
	t.Parallel()
	email := "john.doe@example.com"
	b64 := base64.StdEncoding.EncodeToString([]byte(`{"em":"` + email + `","city":"Springfield"}`))
	tests := []struct{ name, in, want string }{
		{"plain", "e=" + email, "e=j****@example.com"},
		{"upper case", "E=" + strings.ToUpper(email), "E=J****@EXAMPLE.COM"},
		{"URL-encoded", "e=john.doe%40example.com", "e=j****%40example.com"},
		{"URL-encoded twice", "u=https%3A%2F%2Fx%2F%3Fe%3Djohn.doe%2540example.com", "u=https%3A%2F%2Fx%2F%3Fe%3Dj****%2540example.com"},
		{"plus for spaces", "s=Elm+Street+12&c=Springfield", "s=E****&c=S****"},
		{"base64", "d=" + b64, "d=" + base64.StdEncoding.EncodeToString([]byte(`{"em":"j****@example.com","city":"S****"}`))},
		{"hex", "h=" + hex.EncodeToString([]byte(email)), "h=" + hex.EncodeToString([]byte("j****@example.com"))},
		{"JSON-escaped", `{"p":"{\"e\":\"john.doe@example.com\"}"}`, `{"p":"{\"e\":\"j****@example.com\"}"}`},
		{"JSON unicode escape", `{"e":"john.doe\u0040example.com"}`, `{"e":"j****\u0040example.com"}`},
	}
	values := []PersonaValue{{"email", email}, {"city", "Springfield"}, {"street", "Elm Street 12"}, {"state", "IL"}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rep := &audit.Report{
				Findings: []audit.Finding{{Type: audit.TypeLeak, Value: email, Evidence: tc.in, Request: &audit.RequestRef{URL: "https://t.example/?" + tc.in}}},
				Requests: []audit.RequestDetail{{URL: "https://t.example/?" + tc.in, Body: tc.in, Headers: []string{"Referer: " + tc.in}}},
			}
			MaskReport(rep, values)
			d := rep.Requests[0]
			for _, got := range []string{rep.Findings[0].Evidence, strings.TrimPrefix(rep.Findings[0].Request.URL, "https://t.example/?"),
				strings.TrimPrefix(d.URL, "https://t.example/?"), d.Body, strings.TrimPrefix(d.Headers[0], "Referer: ")} {
				if got != tc.want {
					t.Errorf("got  %q\nwant %q", got, tc.want)
				}
			}
			if rep.Findings[0].Value != "j****@example.com" {
				t.Errorf("finding value %q", rep.Findings[0].Value)
			}
		})
	}
}

// TestMaskReportPatternValues: a pattern finding's value (a card number)
// is masked in its request's URL and body as in the finding.
func TestMaskReportPatternValues(t *testing.T) {
	t.Parallel()
	card := "4111111111111111"
	rep := &audit.Report{
		Findings: []audit.Finding{{Type: audit.TypePattern, Rule: "payment-card", Value: card,
			Request: &audit.RequestRef{URL: "https://t.example/?cc=" + card}}},
		Requests: []audit.RequestDetail{{URL: "https://t.example/?cc=" + card, Body: `{"cc":"` + card + `"}`}},
	}
	MaskReport(rep, nil)
	got := rep.Findings[0].Value + " " + rep.Findings[0].Request.URL + " " + rep.Requests[0].URL + " " + rep.Requests[0].Body
	if strings.Contains(got, card) || !strings.Contains(got, "cc=****1111") || rep.Findings[0].Value != "****1111" {
		t.Errorf("card kept: %s", got)
	}
}
