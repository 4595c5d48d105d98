package leak

import (
	"testing"

	"github.com/leakwatch/leakwatch/internal/sharedtest"
)

var update = sharedtest.Update

// TestGoldenVisit pins every finding on the realistic visit (matches,
// patterns, warnings) in testdata/visit.golden.json; refresh with -update.
func TestGoldenVisit(t *testing.T) {
	t.Parallel()
	type entry struct {
		Request string
		Result  Result
	}
	var got []entry
	for _, r := range benchRequests() {
		res := alicePool.Scan(r, ScanOptions{Patterns: true})
		if len(res.Matches)+len(res.Patterns)+len(res.Warnings) > 0 {
			got = append(got, entry{r.URL, res})
		}
	}
	sharedtest.GoldenJSON(t, "testdata/visit.golden.json", got, *update)
}
