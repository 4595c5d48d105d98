package main

import (
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/audit"
	"github.com/leakwatch/leakwatch/internal/report"
)

// TestWriteReportKeepsSpecialFiles: a report written to /dev/null or
// through a symbolic link never replaces what the path names (as root, a
// rename over /dev/null would turn the machine's null device into a file).
func TestWriteReportKeepsSpecialFiles(t *testing.T) {
	t.Parallel()
	rep := &audit.Report{Schema: audit.Schema}
	if runtime.GOOS != "windows" {
		if err := writeReport(io.Discard, os.DevNull, rep, "json", report.Options{}); err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Stat(os.DevNull); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
			t.Fatalf("%s is no longer a character device: %v %v", os.DevNull, fi.Mode(), err)
		}
	}
	dir := t.TempDir()
	target := filepath.Join(dir, "real.json")
	if err := os.WriteFile(target, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	if err := writeReport(io.Discard, link, rep, "json", report.Options{}); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v %v", fi.Mode(), err)
	}
	if b, _ := os.ReadFile(target); !strings.Contains(string(b), audit.Schema) {
		t.Errorf("the link's target did not get the report: %q", b)
	}
}
