package report

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/audit"
	"github.com/leakwatch/leakwatch/internal/har"
	"github.com/leakwatch/leakwatch/internal/party"
	"github.com/leakwatch/leakwatch/internal/sharedtest"
)

// TestTextFitsNewsSites renders real news-site captures (hundreds of
// requests, dozens of companies, many identifier flows) and checks that the
// default text report stays readable: about 150 lines, with the folds
// named, while --verbose still shows everything. (A test of the renderers
// only; it reads and audits the captures as `leakwatch analyze` does.)
func TestTextFitsNewsSites(t *testing.T) {
	t.Parallel()
	cl, err := party.NewClassifier(context.Background(), party.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path     []string
		maxLines int
	}{
		// The aim is about 150 lines for a news page of 600 requests, with
		// room for a few more products or identifiers than these have,
		// and for the consent section (TCF, GDPR flags: 8 lines here).
		{[]string{"realworld", "chrome-har-everydayhealth.har.gz"}, 170},
		{[]string{"realworld", "chrome-har-capturer-cnn.har.gz"}, 155},
		{[]string{"har", "pagexray-expressen.har"}, 120},
	}
	for _, tt := range tests {
		t.Run(tt.path[len(tt.path)-1], func(t *testing.T) {
			t.Parallel()
			c, err := har.ReadFile(context.Background(), sharedtest.Path(t, tt.path...), har.Options{})
			if err != nil {
				t.Fatal(err)
			}
			rep, err := audit.Run(context.Background(), audit.Options{Classifier: cl}, c)
			if err != nil {
				t.Fatal(err)
			}
			short, verbose := renderLines(t, rep, Options{}), renderLines(t, rep, Options{Verbose: true})
			if len(short) > tt.maxLines {
				t.Errorf("default text report is %d lines, want at most %d", len(short), tt.maxLines)
			}
			if len(verbose) <= len(short) {
				t.Errorf("--verbose report (%d lines) is not longer than the default (%d)", len(verbose), len(short))
			}
			text := strings.Join(short, "\n")
			for _, want := range []string{"Not checked:", "Observed:", "IDENTIFIERS SHARED BETWEEN COMPANIES", "recorded: "} {
				if !strings.Contains(text, want) {
					t.Errorf("default report lacks %q", want)
				}
			}
			var html bytes.Buffer
			if err := Render(&html, rep, "html", Options{}); err != nil {
				t.Fatal(err)
			}
			page := html.String()
			if n := strings.Count(page, `<article class="card`); n != len(rep.ThirdParties) {
				t.Errorf("HTML has %d company cards for %d third parties", n, len(rep.ThirdParties))
			}
			if len(rep.ThirdParties) > shortCompanies && !strings.Contains(page, `<details class="more fold">`) {
				t.Errorf("HTML of %d companies does not fold the long tail", len(rep.ThirdParties))
			}
			for _, never := range []string{"No persona value", "No personal data was found"} {
				if strings.Contains(text, never) || strings.Contains(page, never) {
					t.Errorf("report without a persona says %q", never)
				}
			}
		})
	}
}

func renderLines(t *testing.T, rep *audit.Report, opts Options) []string {
	t.Helper()
	var buf bytes.Buffer
	opts.Width = 100
	if err := Render(&buf, rep, "text", opts); err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimRight(buf.String(), "\n"), "\n")
}
