package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/audit"
)

// TestSharedHARReportInChromium opens the HTML report of a real capture (the
// golden report that `leakwatch analyze` writes for the shared
// health-shop-mylabbox.har, see cmd/leakwatch/testdata) and checks the same
// things as for the fixture: nothing fetched, nothing logged, the right
// companies named, and filtering works.
func TestSharedHARReportInChromium(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "cmd", "leakwatch", "testdata", "reports", "health-shop-mylabbox.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep audit.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Render(&buf, &rep, "html", Options{}); err != nil {
		t.Fatal(err)
	}
	page, log, doc := openReport(t, buf.Bytes())
	summary := page.Text("#summary")
	for _, tp := range rep.ThirdParties {
		named := strings.Contains(summary, tp.Company)
		if len(tp.DataKinds) > 0 && !named {
			t.Errorf("summary does not name %s, which received %v", tp.Company, tp.DataKinds)
		}
	}
	visible := func() []string {
		s := page.Str(`() => Array.from(document.querySelectorAll('article.card'))
			.filter(c => !c.hidden && c.offsetParent !== null).map(c => c.dataset.company).join("\n")`)
		if s == "" {
			return nil
		}
		return strings.Split(s, "\n")
	}
	if n := len(visible()); n < len(rep.ThirdParties) {
		t.Errorf("%d cards shown for %d third parties", n, len(rep.ThirdParties))
	}
	page.Select("#f-company", "Klaviyo")
	if got := visible(); len(got) != 1 || got[0] != "Klaviyo" {
		t.Errorf("company filter Klaviyo shows %q", got)
	}
	page.Click("#f-reset")
	page.Select("#f-kind", "ZIP code")
	if got := visible(); len(got) != 1 || got[0] != "Meta" {
		t.Errorf("data filter ZIP code shows %q, want only Meta (udff[zp])", got)
	}
	checkQuiet(t, log, doc)
}
