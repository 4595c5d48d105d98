package crawlstats_test

import (
	"io"
	"testing"

	"github.com/leakwatch/leakwatch/internal/crawlstats"
	"github.com/leakwatch/leakwatch/internal/store"
)

// FuzzReadResult feeds stored report JSON (written by workers from
// websites' traffic, so outside-influenced) to the reader: it never
// panics, and its rows always write as JSONL and CSV.
func FuzzReadResult(f *testing.F) {
	f.Add([]byte(`{"schema":"leakwatch/report/v1"}`))
	f.Add([]byte(`{"schema":"leakwatch/report/v1","findings":[{"type":"pattern","rule":"email","confidence":"high",` +
		`"receiver":{"host":"=cmd|' /C calc'!A0","company":"\u202eX"},"encoding":["url","sha256"],"requests":[5,-2]}],` +
		`"companies":[{"name":"A","third_party":-7,"findings":[0,0]}],"consent":{"platforms":[{"name":"OneTrust","kind":"cmp","evidence":null}]}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		s := crawlstats.ReadResult(store.CrawlResult{RunID: 1, Site: "s.example", State: store.Done, Report: b})
		for _, format := range []string{crawlstats.FormatJSONL, crawlstats.FormatCSV} {
			w, err := crawlstats.NewWriter(io.Discard, format)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range append([]crawlstats.Record{s.Row}, s.Flows...) {
				if err := w.Write(r); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
		}
	})
}
