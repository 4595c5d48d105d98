package pixel

import (
	"path/filepath"
	"testing"

	"github.com/leakwatch/leakwatch/internal/sharedtest"
)

var update = sharedtest.Update

// goldenHit is a Hit with its request index, as the JSON report shows it.
type goldenHit struct {
	Request int `json:"request"`
	Hit
}

// checkGolden compares v, as indented JSON, with testdata/golden/name.
func checkGolden(t *testing.T, name string, v any) {
	t.Helper()
	sharedtest.GoldenJSON(t, filepath.Join("testdata", "golden", name), v, *update)
}

// TestGoldenHits pins every decoded hit of two real captures, field by field.
func TestGoldenHits(t *testing.T) {
	t.Parallel()
	for _, file := range []string{"health-shop-oraquick.har", "pagexray-verizon.har"} {
		var hits []goldenHit
		for _, r := range loadHAR(t, file) {
			for _, h := range Decode(r) {
				hits = append(hits, goldenHit{h.RequestIndex, h})
			}
		}
		checkGolden(t, file+".hits.json", hits)
	}
}

// TestGoldenFindings pins the configuration and behaviour findings of two
// real captures.
func TestGoldenFindings(t *testing.T) {
	t.Parallel()
	for _, file := range []string{"health-shop-mylabbox.har", "pagexray-ferguson.har"} {
		page := harPageURL(t, file)
		a := NewAnalyzer()
		for _, r := range loadHAR(t, file) {
			a.Request(r, testParty(page, r.URL), page)
		}
		checkGolden(t, file+".findings.json", a.Findings())
	}
}
