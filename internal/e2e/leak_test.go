package e2e

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/audit"
)

// TestEveryPersonaPlaceFound: for every request in which a tracker client
// sent a persona value, the audit reports that value to that receiver in
// that request, at the place the client put it, with its encoding.
func TestEveryPersonaPlaceFound(t *testing.T) {
	t.Parallel()
	v := recorded(t)
	truth := groundTruth(t, v, shopper)
	got := leaks(analyse(t, v.capture, audit.Options{}, persona("shopper", shopper)))
	rawGzip := leakReadsRawGzip()
	for _, k := range sortedKeys(truth) {
		ev := truth[k]
		t.Run(k.String(), func(t *testing.T) {
			t.Parallel()
			fs := got[k]
			if len(fs) == 0 && !rawGzip && isRawGzip(ev.hit) {
				t.Skip("known gap in internal/leak: a request body that is gzip with no Content-Encoding " +
					"header (PostHog gzip-js, Content-Type text/plain) is searched as text, not inflated")
			}
			if len(fs) == 0 {
				t.Fatalf("no leak finding; the client sent it at %s", placesText(ev.places))
			}
			declared := ev.hit.Header.Get("Content-Encoding") == "gzip"
			for _, p := range distinct(ev.places) {
				if f, ok := findingAt(fs, p, declared); ok {
					checkFinding(t, f, k)
				} else {
					t.Errorf("nothing reported at %s %s (%s); findings:%s", p.Channel, p.Location,
						strings.Join(p.Layers, "+"), describe(fs))
				}
			}
		})
	}
}

// findingAt returns the finding at the place the client put the value.
func findingAt(fs []audit.Finding, p place, declaredGzip bool) (audit.Finding, bool) {
	for _, f := range fs {
		if f.Channel == p.Channel && sameLocation(f.Location, p.Location) &&
			sameEncoding(f.Encoding, p.Layers, declaredGzip) {
			return f, true
		}
	}
	return audit.Finding{}, false
}

// distinct keeps one place per channel, location (array positions aside)
// and layers: the audit names a place, not each array element.
func distinct(ps []place) []place {
	seen := map[string]bool{}
	var out []place
	for _, p := range ps {
		k := p.Channel + "|" + normPath(p.Location) + "|" + strings.Join(p.Layers, "+")
		if !seen[k] {
			seen[k] = true
			out = append(out, p)
		}
	}
	return out
}

// isRawGzip reports whether a request body is gzip with no
// Content-Encoding header saying so (PostHog's gzip-js).
func isRawGzip(h hit) bool {
	return bytes.HasPrefix(h.Body, []byte{0x1f, 0x8b}) && h.Header.Get("Content-Encoding") == ""
}

// checkFinding checks what a leak finding says besides where.
func checkFinding(t *testing.T, f audit.Finding, k sent) {
	t.Helper()
	if f.Persona != "shopper" || f.Receiver.Domain == "" || f.Receiver.Company == "" {
		t.Errorf("finding names persona %q, receiver %+v", f.Persona, f.Receiver)
	}
	if f.Request == nil || !strings.Contains(f.Request.URL, "://"+k.Host+"/") || f.Request.Method == "" {
		t.Errorf("finding request = %+v", f.Request)
	}
	if f.Page != "https://"+shopHost+"/account" {
		t.Errorf("finding page = %q", f.Page)
	}
	if want := "https://" + shopHost + initiators[k.Host]; f.Initiator != want {
		t.Errorf("finding initiator = %q, want %q", f.Initiator, want)
	}
}

// initiators are the scripts that send to each collector: the vendored
// clients themselves, and the shop's script for the replay batches it posts.
var initiators = map[string]string{
	posthogHost: "/vendor/posthog.js",
	snowHost:    "/vendor/snowplow.js",
	replayHost:  "/shop.js",
}

func placesText(ps []place) string {
	var parts []string
	for _, p := range ps {
		parts = append(parts, p.Channel+" "+p.Location+" "+strings.Join(p.Layers, "+"))
	}
	slices.Sort(parts)
	return strings.Join(slices.Compact(parts), "; ")
}

// TestNoLeakBeyondTruth: every leak finding is a value the client really
// sent to that receiver in that request.
func TestNoLeakBeyondTruth(t *testing.T) {
	t.Parallel()
	v := recorded(t)
	truth := groundTruth(t, v, shopper)
	got := leaks(analyse(t, v.capture, audit.Options{}, persona("shopper", shopper)))
	for _, k := range sortedKeys(got) {
		if truth[k] == nil {
			t.Errorf("%v: reported, but the request does not carry it:%s", k, describe(got[k]))
		}
	}
}

// TestEveryClientCarriesPersona guards the ground truth itself: each client
// and each way it sends must have carried persona values, or the other
// tests would pass on a site where nothing happened.
func TestEveryClientCarriesPersona(t *testing.T) {
	t.Parallel()
	v := recorded(t)
	truth := groundTruth(t, v, shopper)
	tests := []struct {
		name  string
		match func(h hit, p place) bool
	}{
		{"snowplow GET ue_px", func(h hit, p place) bool {
			return h.Host == snowHost && h.Method == "GET" && strings.HasPrefix(p.Location, "ue_px.")
		}},
		{"snowplow GET uid", func(h hit, p place) bool { return h.Host == snowHost && p.Location == "uid" }},
		{"snowplow POST tp2 ue_pr", func(h hit, p place) bool {
			return h.Host == snowHost && h.Method == "POST" && strings.Contains(p.Location, ".ue_pr.")
		}},
		{"snowplow submit_form", func(h hit, p place) bool {
			return h.Host == snowHost && strings.Contains(p.Location, ".elements.")
		}},
		{"posthog gzip-js", func(h hit, p place) bool {
			return h.Host == posthogHost && slices.Equal(p.Layers, []string{"gzip"})
		}},
		{"posthog base64", func(h hit, p place) bool {
			return h.Host == posthogHost && strings.Contains(h.RawQuery, "compression=base64") &&
				slices.Equal(p.Layers, []string{"base64"})
		}},
		{"snowplow GET hashed email context", func(h hit, p place) bool {
			return h.Host == snowHost && h.Method == "GET" && strings.HasPrefix(p.Location, "cx.") &&
				slices.Equal(p.Layers, []string{"base64", "sha256"})
		}},
		{"snowplow POST hashed email context", func(h hit, p place) bool {
			return h.Host == snowHost && h.Method == "POST" && strings.Contains(p.Location, ".co.") &&
				slices.Equal(p.Layers, []string{"sha256"})
		}},
		{"rrweb JSON", func(h hit, p place) bool { return h.Host == replayHost && h.Path == "/ingest/json" }},
		{"rrweb Content-Encoding gzip", func(h hit, p place) bool {
			return h.Host == replayHost && h.Path == "/ingest/gzip"
		}},
		{"rrweb base64 of gzip", func(h hit, p place) bool {
			return h.Host == replayHost && slices.Equal(p.Layers, []string{"base64", "gzip"})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, ev := range truth {
				for _, p := range ev.places {
					if tt.match(ev.hit, p) {
						return
					}
				}
			}
			t.Errorf("no persona value was sent this way")
		})
	}
}
