package redact

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/leakwatch/leakwatch/internal/audit"
	"github.com/leakwatch/leakwatch/internal/har"
	"github.com/leakwatch/leakwatch/internal/party"
	"github.com/leakwatch/leakwatch/internal/sharedtest"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// reanalysed are the realworld captures re-analysed besides every shared
// HAR: logins, forms and base64-heavy tracker traffic. Of the 42, two
// lose a finding, by design: a first-party session cookie (usmint.gov's
// "sid", cityofhope.org's "_sess") whose value was sent on to a tracker is
// redacted everywhere, so the cookie-sync finding it made is gone.
var reanalysed = []string{
	"chrome-devtools-abcmouse-login.har.gz", "chrome-devtools-classdojo-teacher-login.har.gz",
	"chrome-devtools-211palmbeach-contact-form.har.gz", "charles-cgilib-form.har.gz", "browsermob-amazon.har.gz",
	// Vendors' visitor IDs named "session" or "token" (Wix, Decibel,
	// Jornaya, Invoca), kept as the evidence they are.
	"chrome-devtools-gryphon-contact-form.har.gz", "chrome-har-savethechildren.har.gz", "chrome-har-suntrust.har.gz",
}

var classifierOnce = sync.OnceValues(func() (*party.Classifier, error) {
	return party.NewClassifier(context.Background(), party.Options{})
})

// TestReanalysisKeepsFindings: a redacted capture analysed again gives the
// same findings as the original (redaction removes secrets, never the
// evidence of a finding), for every shared HAR and a few real captures.
func TestReanalysisKeepsFindings(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join(sharedtest.Dir(t), "har", "*.har"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no shared HARs: %v", err)
	}
	for _, f := range reanalysed {
		files = append(files, sharedtest.Path(t, "realworld", f))
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			t.Parallel()
			c, err := har.ReadFile(context.Background(), path, har.Options{})
			if err != nil {
				t.Fatal(err)
			}
			before, after := findingKeys(t, c), findingKeys(t, Capture(c, Options{Secrets: []string{"TypedPassw0rd"}}))
			if lost, gained := diff(before, after), diff(after, before); len(lost)+len(gained) > 0 {
				t.Errorf("%d findings, %d after redaction\nlost:   %s\ngained: %s", len(before), len(after),
					strings.Join(lost, "\n        "), strings.Join(gained, "\n        "))
			}
		})
	}
}

// findingKeys analyses a capture and names each finding by what it says.
func findingKeys(t *testing.T, c *traffic.Capture) []string {
	t.Helper()
	cl, err := classifierOnce()
	if err != nil {
		t.Fatal(err)
	}
	rep, err := audit.Run(context.Background(), audit.Options{Classifier: cl, Workers: 1}, c)
	if err != nil {
		t.Fatal(err)
	}
	keys := make([]string, 0, len(rep.Findings))
	for _, f := range rep.Findings {
		host, req := "", -1
		if f.Receiver != nil {
			host = f.Receiver.Host
		}
		if f.Request != nil && f.Type != "identifier-cookie" {
			// An identifier-cookie finding names the cookies of a host that
			// look like identifiers; a session cookie among them
			// (ASP.NET_SessionId, JSESSIONID) loses its value, by design, so
			// the finding stays but may start at a later request.
			req = f.Request.Index
		}
		keys = append(keys, fmt.Sprintf("%s|%s|%s|%s|%s|%s|%s|%s|%s|%d", f.Type, f.Field, f.Rule, host, f.Channel,
			f.Location, f.Vendor, f.Account, f.Value, req))
	}
	slices.Sort(keys)
	return keys
}

// diff lists the keys of a not in b.
func diff(a, b []string) []string {
	var out []string
	for _, k := range a {
		if _, found := slices.BinarySearch(b, k); !found {
			out = append(out, k)
		}
	}
	return out
}
