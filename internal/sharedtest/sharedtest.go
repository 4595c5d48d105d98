// Package sharedtest holds what tests across packages share: it locates the
// read-only test data of every checkout (real HAR files, filter lists) and
// compares golden files.
package sharedtest

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the shared testdata directory: $LEAKWATCH_SHARED_TESTDATA when
// set, else ../shared/testdata beside the module root. When the directory is
// missing (a clone of the project alone) the test is skipped with a message
// naming the folder; under CI=true it fails instead, so CI never skips
// silently.
func Dir(tb testing.TB) string {
	tb.Helper()
	d, err := find()
	if err != nil {
		msg := "shared test data not found: " + err.Error() +
			" (it lives in ../shared/testdata beside the repository; set LEAKWATCH_SHARED_TESTDATA to use another folder)"
		if InCI() {
			tb.Fatal(msg)
		}
		tb.Skip(msg)
	}
	return d
}

// InCI reports whether the tests run in CI (CI set, and not to "false" or
// "0"), where a missing prerequisite (shared data, Chromium, npm) fails a
// test instead of skipping it.
func InCI() bool {
	switch os.Getenv("CI") {
	case "", "false", "0":
		return false
	}
	return true
}

// Path joins elements onto Dir.
func Path(tb testing.TB, elem ...string) string {
	tb.Helper()
	return filepath.Join(append([]string{Dir(tb)}, elem...)...)
}

// Captures lists the shared captures: the HAR files of har/, then the
// real-world captures of realworld/, each in name order. Like Dir, it
// skips the test when ../shared is missing outside CI.
func Captures(tb testing.TB) []string {
	tb.Helper()
	dir := Dir(tb)
	var out []string
	for _, pattern := range []string{"har/*.har", "realworld/*.har.gz"} {
		m, err := filepath.Glob(filepath.Join(dir, pattern))
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, m...)
	}
	return out
}

func find() (string, error) {
	if d := os.Getenv("LEAKWATCH_SHARED_TESTDATA"); d != "" {
		return d, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			cand := filepath.Join(filepath.Dir(d), "shared", "testdata")
			if _, err := os.Stat(cand); err != nil {
				return "", fmt.Errorf("no folder %s", cand)
			}
			return cand, nil
		}
		if filepath.Dir(d) == d {
			return "", os.ErrNotExist
		}
	}
}
