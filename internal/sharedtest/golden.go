package sharedtest

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// Update is the one -update flag of every test binary that uses shared
// test helpers: `go test ./internal/PKG -update` rewrites that package's
// golden files.
var Update = flag.Bool("update", false, "rewrite golden files in testdata/ instead of comparing with them")

// Golden compares got with the golden file at path; with update it writes
// got there instead (tests pass *sharedtest.Update). A file that already
// holds got is left alone, so -update on a clean tree changes nothing. A
// difference fails the test with the first line that differs.
func Golden(tb testing.TB, path string, got []byte, update bool) {
	tb.Helper()
	want, err := os.ReadFile(path)
	if update {
		if err == nil && bytes.Equal(got, want) {
			return
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	if err != nil {
		tb.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		tb.Errorf("%s differs from the golden file (run go test -update and review the diff): %s", path, FirstDiff(got, want))
	}
}

// GoldenJSON compares v, as JSON indented by two spaces with a final
// newline, with the golden file at path, as Golden does.
func GoldenJSON(tb testing.TB, path string, v any, update bool) {
	tb.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		tb.Fatalf("golden %s: marshal: %v", path, err)
	}
	Golden(tb, path, append(got, '\n'), update)
}

// FirstDiff describes where got first differs from want: the line number,
// both lines quoted, and the line counts when one is a prefix of the other.
// It returns "" when they are equal.
func FirstDiff(got, want []byte) string {
	if bytes.Equal(got, want) {
		return ""
	}
	gl, wl := lines(got), lines(want)
	for i := range max(len(gl), len(wl)) {
		if i >= len(gl) || i >= len(wl) {
			return fmt.Sprintf("got %d lines, want %d (first missing or extra line %d: %.500q)",
				len(gl), len(wl), i+1, lineAt(gl, wl, i))
		}
		if !bytes.Equal(gl[i], wl[i]) {
			return fmt.Sprintf("line %d:\n got: %.500q\nwant: %.500q", i+1, gl[i], wl[i])
		}
	}
	return fmt.Sprintf("%d bytes, want %d", len(got), len(want))
}

// lines splits b after each newline; a final newline starts no line.
func lines(b []byte) [][]byte {
	l := bytes.SplitAfter(b, []byte("\n"))
	if len(l[len(l)-1]) == 0 {
		l = l[:len(l)-1]
	}
	return l
}

func lineAt(a, b [][]byte, i int) []byte {
	if i < len(a) {
		return a[i]
	}
	return b[i]
}
