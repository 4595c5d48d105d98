package pixel

import (
	"fmt"
	"os"
	"testing"
)

func TestDumpHAR(t *testing.T) {
	name := os.Getenv("DUMP_HAR")
	if name == "" {
		t.Skip()
	}
	for _, r := range loadHAR(t, name) {
		for _, h := range Decode(r) {
			fmt.Printf("#%d %s/%s acct=%q ev=%q n=%d\n", h.RequestIndex, h.Vendor, h.Product, h.Account, h.Event, len(h.Fields))
			if os.Getenv("DUMP_FIELDS") != "" {
				for _, f := range h.Fields {
					v := f.Value
					if len(v) > 80 {
						v = v[:80] + "..."
					}
					fmt.Printf("    %-30s %-14s %q\n", f.Name, f.Meaning, v)
				}
			}
		}
	}
}

func TestDumpFindings(t *testing.T) {
	name := os.Getenv("DUMP_HAR")
	if name == "" {
		t.Skip()
	}
	reqs := loadHAR(t, name)
	page := harPageURL(t, name)
	a := NewAnalyzer()
	for _, r := range reqs {
		a.Request(r, testParty(page, r.URL), page)
	}
	for _, f := range a.Findings() {
		fmt.Printf("%s | %s | %s | %v | %v\n", f.Type, f.Domain, f.Summary, f.Details, f.Requests)
	}
}
