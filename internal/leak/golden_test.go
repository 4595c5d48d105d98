package leak

import (
	"bytes"
	"encoding/json"
	"os"
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
	data, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	const path = "testdata/visit.golden.json"
	if *update {
		if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(bytes.TrimSpace(want), bytes.TrimSpace(data)) {
		t.Errorf("findings differ from %s (run with -update if intended):\n%s", path, data)
	}
}
