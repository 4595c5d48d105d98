package pixel_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/har"
	"github.com/leakwatch/leakwatch/internal/party"
	"github.com/leakwatch/leakwatch/internal/pixel"
	"github.com/leakwatch/leakwatch/internal/sharedtest"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// TestCookieSyncRealCaptures runs the analyzer over every shared real
// capture and holds each cookie-sync finding to the identifier rules: no
// letters-only identifier, no UUID fragment, no timestamp, no identifier
// that is a substring of another one reported to the same receiver, and one
// finding per (identifier, giver, receiver).
func TestCookieSyncRealCaptures(t *testing.T) {
	t.Parallel()
	files := sharedtest.Captures(t)
	if len(files) == 0 {
		t.Skip("no shared captures")
	}
	cls, err := party.NewClassifier(context.Background(), party.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			t.Parallel()
			c, err := har.ReadFile(context.Background(), file, har.Options{})
			if err != nil {
				t.Fatal(err)
			}
			fs := analyzeCapture(c, cls)
			checkSyncFindings(t, fs)
		})
	}
}

// analyzeCapture feeds a capture to an Analyzer the way the audit does.
func analyzeCapture(c *traffic.Capture, cls *party.Classifier) []pixel.Finding {
	pages := map[string]string{}
	for _, p := range c.Pages {
		if strings.HasPrefix(p.URL, "http") {
			pages[p.ID] = p.URL
		}
	}
	first := ""
	a := pixel.NewAnalyzer()
	for _, r := range c.Requests {
		if first == "" {
			first = r.URL
		}
		page := pages[r.PageID]
		if page == "" {
			page = first
		}
		a.Request(r, cls.Classify(page, r.URL, r.ResourceType), page)
	}
	return a.Findings()
}

func checkSyncFindings(t *testing.T, fs []pixel.Finding) {
	t.Helper()
	seen := map[[3]string]bool{}
	byReceiver := map[string][]string{}
	n := 0
	for _, f := range fs {
		if f.Type != pixel.FindingCookieSync {
			continue
		}
		n++
		id, giver, receiver := detailOf(f, "identifier"), detailOf(f, "giver"), detailOf(f, "receiver")
		for _, name := range []string{"identifier", "cookie", "giver", "giver_kind", "receiver", "first_request"} {
			if detailOf(f, name) == "" {
				t.Errorf("%s: no %s detail", f.Summary, name)
			}
		}
		if why := badIdentifier(id); why != "" {
			t.Errorf("%s: identifier %q is %s", f.Summary, id, why)
		}
		k := [3]string{id, giver, receiver}
		if seen[k] {
			t.Errorf("two findings for identifier %q from %s to %s", id, giver, receiver)
		}
		seen[k] = true
		byReceiver[receiver] = append(byReceiver[receiver], id)
	}
	for r, ids := range byReceiver {
		for _, x := range ids {
			for _, y := range ids {
				if x != y && strings.Contains(y, x) && !strings.HasSuffix(y, "…") {
					t.Errorf("to %s: identifier %q is part of %q, reported separately", r, x, y)
				}
			}
		}
	}
	t.Logf("%d cookie-sync finding(s)", n)
}

// badIdentifier says why id is not an identifier, or "".
func badIdentifier(id string) string {
	letters, digits := 0, 0
	for _, c := range id {
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			letters++
		case c >= '0' && c <= '9':
			digits++
		}
	}
	switch {
	case digits == 0:
		return "letters only"
	case letters == 0 && digits == len(id) && (len(id) == 10 || len(id) == 13) &&
		id[0] >= '1' && id[0] <= '2':
		return "a timestamp"
	case uuidFragmentShape(id):
		return "a UUID fragment"
	}
	return ""
}

// uuidFragmentShape reports hyphen-joined hex groups laid out like part of
// a UUID ("90b1-11e7").
func uuidFragmentShape(s string) bool {
	parts := strings.Split(s, "-")
	if len(parts) < 2 || len(parts) > 4 {
		return false
	}
	layout := []int{8, 4, 4, 4, 12}
	for start := 0; start+len(parts) <= len(layout); start++ {
		ok := true
		for i, p := range parts {
			if len(p) != layout[start+i] || strings.Trim(strings.ToLower(p), "0123456789abcdef") != "" {
				ok = false
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func detailOf(f pixel.Finding, name string) string {
	for _, d := range f.Details {
		if d.Name == name {
			return d.Value
		}
	}
	return ""
}
