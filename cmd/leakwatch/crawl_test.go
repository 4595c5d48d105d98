package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCrawlCommands drives a run's life through the commands on SQLite,
// without a worker: enqueue, status, pause, resume, retry-failed, cancel.
func TestCrawlCommands(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "crawl.db")
	sites := filepath.Join(dir, "sites.csv")
	if err := os.WriteFile(sites, []byte("rank,domain\n1,a.example\n2,b.example\n3,A.example\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		args []string
		code int
		out  string // a substring of standard output
	}{
		{[]string{"crawl", "enqueue", "--database", db, "--sites", sites}, 0, "1"},
		{[]string{"crawl", "enqueue", "--database", db, "--sites", sites, "--run", "1"}, 0, "1"},
		{[]string{"crawl", "enqueue", "--database", db, "--sites", sites, "--run", "9"}, 1, ""},
		{[]string{"crawl", "status", "--database", db}, 0, "run 1 \"sites.csv\": active\n[" + strings.Repeat(".", 30) + "] 0/2 sites"},
		{[]string{"crawl", "pause", "--database", db, "--run", "1"}, 0, "run 1: paused"},
		{[]string{"crawl", "pause", "--database", db, "--run", "1"}, 0, "run 1: paused"},
		{[]string{"crawl", "resume", "--database", db, "--run", "1"}, 0, "run 1: active"},
		{[]string{"crawl", "retry-failed", "--database", db, "--run", "1"}, 0, "run 1: 0 failed sites queued again"},
		{[]string{"crawl", "cancel", "--database", db, "--run", "1"}, 0, "run 1: cancelled"},
		// --watch ends by itself once the run is cancelled (or finished).
		{[]string{"crawl", "status", "--database", db, "--run", "1", "--watch"}, 0, "run 1 \"sites.csv\": cancelled"},
		{[]string{"crawl", "resume", "--database", db, "--run", "1"}, 1, ""},
		{[]string{"crawl", "status", "--database", db, "--run", "7"}, 1, ""},
		{[]string{"crawl", "enqueue", "--database", db}, 2, ""},
		{[]string{"crawl", "enqueue", "--database", db, "--sites", sites, "--consent", "maybe"}, 2, ""},
		{[]string{"crawl", "enqueue", "--database", db, "--sites", filepath.Join(dir, "missing.txt")}, 2, ""},
		{[]string{"crawl", "pause", "--database", db}, 2, ""},
		{[]string{"worker", "--database", db, "--concurrency", "0"}, 2, ""},
		{[]string{"worker", "--database", db, "--har-dir", dir, "--har-store", "file:///tmp"}, 2, ""},
		{[]string{"worker", "--database", db, "--har-store", "ftp://x/"}, 2, ""},
	}
	for _, s := range steps { // in order: each step sees the ones before
		code, out, errOut := runCmd(t, "", s.args...)
		if code != s.code || !strings.Contains(out, s.out) {
			t.Errorf("leakwatch %s: exit %d, output %q (stderr %q); want exit %d and %q",
				strings.Join(s.args, " "), code, out, errOut, s.code, s.out)
		}
	}
}

func TestCrawlNeedsDatabase(t *testing.T) {
	t.Setenv(databaseEnv, "")
	code, _, errOut := runCmd(t, "", "crawl", "status")
	if code != exitUsage || !strings.Contains(errOut, databaseEnv) {
		t.Errorf("exit %d, %q: want a usage error naming %s", code, errOut, databaseEnv)
	}
}
