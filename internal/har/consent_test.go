package har

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// TestConsentRoundTrip: the consent mode, the opt-out signals and each
// page's banner answers survive a write and a read.
func TestConsentRoundTrip(t *testing.T) {
	t.Parallel()
	yes, no := true, false
	t0 := time.Date(2026, 12, 6, 10, 0, 0, 250000000, time.UTC)
	tests := []struct {
		name   string
		mode   string
		optOut *traffic.OptOut
		acts   []traffic.ConsentAction
	}{
		{name: "reject answered", mode: traffic.ConsentReject, acts: []traffic.ConsentAction{
			{Platform: "OneTrust", Action: traffic.ConsentReject, Time: t0, Index: 7, Result: traffic.ConsentAnswered, Detail: "api: OneTrust.RejectAll()"}}},
		{name: "not found and gpc", mode: traffic.ConsentAccept,
			optOut: &traffic.OptOut{GPC: true, DNT: true, WellKnown: []traffic.GPCSupport{
				{Origin: "https://shop.example", Status: 200, GPC: &yes, LastUpdate: "2026-01-01"},
				{Origin: "https://b.example", Status: 200, GPC: &no},
				{Origin: "https://c.example", Error: "net::ERR_FAILED"}}},
			acts: []traffic.ConsentAction{
				{Platform: "Sourcepoint", Action: traffic.ConsentAccept, Time: t0, Result: traffic.ConsentNotFound, Detail: "no button"},
				{Platform: "IAB TCF v2", Action: traffic.ConsentAccept, Result: traffic.ConsentNotShown}}},
		{name: "opt-out only", optOut: &traffic.OptOut{GPC: true}},
		{name: "nothing"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := liveCapture()
			c.Source = "live"
			c.Consent, c.OptOut = tc.mode, tc.optOut
			c.Pages[1].Consent = tc.acts
			assertRoundTrip(t, c, Options{Name: "live"})
		})
	}
}

// TestConsentFieldHostile: a malformed field costs a warning, never the file.
func TestConsentFieldHostile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, har, warn string
	}{
		{"log field of the wrong type", `{"log":{"entries":[],"_leakwatch_consent":"accept"}}`, "_leakwatch_consent"},
		{"page field of the wrong type", `{"log":{"pages":[{"id":"p","_leakwatch_consent":{"a":1}}],"entries":[]}}`, "page 0"},
		{"bad time", `{"log":{"pages":[{"id":"p","_leakwatch_consent":[{"platform":"x","time":"yesterday"}]}],"entries":[]}}`, "_leakwatch_consent time"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := Read(context.Background(), strings.NewReader(tc.har), Options{Name: "x"})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(strings.Join(c.Warnings, "\n"), tc.warn) {
				t.Errorf("warnings %q, want one about %q", c.Warnings, tc.warn)
			}
		})
	}
}
