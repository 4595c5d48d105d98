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
