package crawlstats_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/leakwatch/leakwatch/internal/crawlstats"
	"github.com/leakwatch/leakwatch/internal/sharedtest"
)

func TestStatsGolden(t *testing.T) {
	t.Parallel()
	results := crawl(t)
	st, run := storeRun(t, sqliteDSN(t), results)
	s, err := crawlstats.Collect(context.Background(), st, run)
	if err != nil {
		t.Fatal(err)
	}
	checkTruth(t, s)
	for _, c := range []struct{ format, golden string }{
		{crawlstats.FormatText, "stats.txt"},
		{crawlstats.FormatMarkdown, "stats.md"},
		{crawlstats.FormatJSON, "stats.json"},
	} {
		t.Run(c.format, func(t *testing.T) {
			t.Parallel()
			var b bytes.Buffer
			if err := crawlstats.Render(&b, s, c.format, crawlstats.RenderOptions{Top: 25}); err != nil {
				t.Fatal(err)
			}
			sharedtest.Golden(t, filepath.Join("testdata", c.golden), b.Bytes(), *sharedtest.Update)
		})
	}
}

// checkTruth holds the statistics to what the captures are known to show
// (realworld/truth.json, the lab capture, the failures stored).
func checkTruth(t *testing.T, s *crawlstats.Stats) {
	t.Helper()
	if s.Sites != 11 || s.Done != 8 || s.Failed != 3 || s.Analysed != 8 {
		t.Errorf("counts %+v", s)
	}
	flows := map[[2]string]crawlstats.DataFlowStat{}
	for _, d := range s.DataFlows {
		flows[[2]string{d.DataKind, d.Company}] = d
	}
	for _, w := range []crawlstats.DataFlowStat{
		// unitedwaynefl, 211palmbeach, gryphon: Meta's udff[em], SHA-256.
		{DataKind: "email", Company: "Meta", Sites: 3, HashedSites: 3},
		{DataKind: "phone", Company: "Meta", Sites: 1, HashedSites: 1},    // gryphon's udff[ph]
		{DataKind: "email", Company: "Taboola", Sites: 1, HashedSites: 1}, // usmint, Blacklight's email
		{DataKind: "email", Company: "Klaviyo", Sites: 1, HashedSites: 0}, // mylabbox, plain
		{DataKind: "email", Company: "Google", Sites: 1, HashedSites: 0},  // the lab's GA hit
	} {
		if got := flows[[2]string{w.DataKind, w.Company}]; got != w {
			t.Errorf("%s to %s: %+v, want %+v", w.DataKind, w.Company, got, w)
		}
	}
	if len(s.DataFlows) != 5 {
		t.Errorf("data flows %+v, want only the five known", s.DataFlows)
	}
	var onetrust bool
	for _, c := range s.Consent {
		if c.Platform == "OneTrust" {
			onetrust = c.Sites == 1 && c.Violating == 1 && len(c.ByKind) == 1 && c.ByKind[0].Kind == "consent-conflict"
		}
	}
	if !onetrust {
		t.Errorf("consent %+v, want the lab's OneTrust site with a consent conflict", s.Consent)
	}
	fails := map[string]int{}
	for _, f := range s.Failures {
		fails[f.Class] = f.Sites
	}
	if fails["timeout"] != 2 || fails["dns"] != 1 || len(fails) != 2 {
		t.Errorf("failures %+v", s.Failures)
	}
}
