package sharedtest

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

// Update is the one -update flag of every test binary that uses shared
// test helpers: `go test ./internal/PKG -update` rewrites that package's
// golden files.
var Update = flag.Bool("update", false, "rewrite golden files in testdata/ instead of comparing with them")

// Golden compares got with the golden file at path; with update it writes
// got there instead (tests pass their -update flag).
func Golden(tb testing.TB, path string, got []byte, update bool) {
	tb.Helper()
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		tb.Errorf("%s differs from the golden file (run go test -update and review the diff); got:\n%.3000s", path, got)
	}
}
