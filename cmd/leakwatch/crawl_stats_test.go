package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/crawlstats"
	"github.com/leakwatch/leakwatch/internal/report"
	"github.com/leakwatch/leakwatch/internal/store"
)

// runCrawlCmd runs `leakwatch crawl ARGS` on a root holding only the two
// commands of this file (the crawl group is built elsewhere), with the
// real root's flag-error and exit-status handling.
func runCrawlCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	return runCmd(t, "", append([]string{"crawl"}, args...)...)
}

// crawlStore stores a run of real analysed captures and a failure in a
// new SQLite store and returns its DSN and the run id.
func crawlStore(t *testing.T) (string, int64) {
	t.Helper()
	ctx := context.Background()
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "db") + "/"
	st, err := store.Open(ctx, dsn, store.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	run, err := st.CreateRun(ctx, store.Run{Name: "cli", Total: 3})
	if err != nil {
		t.Fatal(err)
	}
	rep := analyzeJSON(t, "--persona", "testdata/persona-shop.yaml", sharedHAR(t, "health-shop-mylabbox.har"))
	var b bytes.Buffer
	if err := report.Render(&b, rep, "json", report.Options{}); err != nil {
		t.Fatal(err)
	}
	for _, r := range []store.CrawlResult{
		{RunID: run.ID, Site: "mylabbox.com", Rank: 1, State: store.Done, Attempt: 1, Report: b.Bytes()},
		{RunID: run.ID, Site: "gone.example", Rank: 2, State: store.Failed, Attempt: 3, Error: "net::ERR_NAME_NOT_RESOLVED"},
	} {
		if _, err := st.PutCrawlResult(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	return dsn, run.ID
}

func TestCrawlExportStatsCmd(t *testing.T) {
	t.Parallel()
	dsn, id := crawlStore(t)
	dir := t.TempDir()
	runID := "1"
	if id != 1 {
		t.Fatalf("run id %d", id)
	}
	for _, format := range crawlstats.ExportFormats() {
		out := filepath.Join(dir, "run."+format)
		args := []string{"export", "--database", dsn, "--run", runID, "-o", out}
		if format != crawlstats.FormatParquet { // parquet: from -o's extension
			args = append(args, "--format", format)
		}
		code, stdout, stderr := runCrawlCmd(t, args...)
		if code != 0 || stdout != "" {
			t.Fatalf("export %s: exit %d, stdout %q, stderr %s", format, code, stdout, stderr)
		}
		if !strings.Contains(stderr, "exported run 1: 2 sites") {
			t.Errorf("export %s: stderr %q", format, stderr)
		}
		if fi, err := os.Stat(out); err != nil || fi.Size() == 0 {
			t.Errorf("export %s: %v", format, err)
		}
	}
	code, stdout, stderr := runCrawlCmd(t, "stats", "--database", dsn, "--run", runID, "--format", "json")
	if code != 0 {
		t.Fatalf("stats: exit %d: %s", code, stderr)
	}
	var s crawlstats.Stats
	if err := json.Unmarshal([]byte(stdout), &s); err != nil {
		t.Fatal(err)
	}
	if s.Done != 1 || s.Failed != 1 || len(s.Failures) != 1 || s.Failures[0].Class != "dns" {
		t.Errorf("stats %+v", s)
	}
	if !hasFlow(s, "email", "Klaviyo") {
		t.Errorf("stats lack the email Klaviyo received: %+v", s.DataFlows)
	}
	// $LEAKWATCH_DATABASE is not set in parallel tests: the flag is the
	// way here; the variable is read by validate (TestCrawlFlags).
	md := filepath.Join(dir, "stats.md")
	if code, _, stderr := runCrawlCmd(t, "stats", "--database", dsn, "--run", runID, "--format", "md", "-o", md); code != 0 {
		t.Fatalf("stats md: exit %d: %s", code, stderr)
	}
	if b, _ := os.ReadFile(md); !bytes.HasPrefix(b, []byte("# Crawl statistics: run 1")) {
		t.Errorf("markdown stats: %.80q", b)
	}
}

func hasFlow(s crawlstats.Stats, kind, company string) bool {
	for _, d := range s.DataFlows {
		if d.DataKind == kind && d.Company == company && d.Sites == 1 {
			return true
		}
	}
	return false
}

func TestCrawlCmdUsage(t *testing.T) {
	t.Parallel()
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "db") + "/"
	for _, c := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no database", []string{"stats", "--run", "1"}, exitUsage, "--database"},
		{"no run", []string{"stats", "--database", dsn}, exitUsage, "--run"},
		{"bad export format", []string{"export", "--database", dsn, "--run", "1", "--format", "xlsx", "-o", "x"}, exitUsage, "jsonl, csv, parquet"},
		{"no output", []string{"export", "--database", dsn, "--run", "1", "--format", "csv"}, exitUsage, "-o FILE"},
		{"no format", []string{"export", "--database", dsn, "--run", "1", "-o", "run.txt"}, exitUsage, "jsonl, csv, parquet"},
		{"bad stats format", []string{"stats", "--database", dsn, "--run", "1", "--format", "html"}, exitUsage, "text, json, md"},
		{"unknown run", []string{"stats", "--database", dsn, "--run", "7"}, exitUsage, "run 7 is not in this store"},
		{"argument", []string{"stats", "--database", dsn, "--run", "1", "extra"}, exitUsage, "unknown command"},
		{"bad flag", []string{"export", "--runs", "1"}, exitUsage, "unknown flag"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if c.name == "no database" && os.Getenv(databaseEnv) != "" {
				t.Skip(databaseEnv + " is set")
			}
			code, _, stderr := runCrawlCmd(t, c.args...)
			if code != c.code || !strings.Contains(stderr, c.msg) {
				t.Errorf("exit %d, stderr %q; want exit %d mentioning %q", code, stderr, c.code, c.msg)
			}
		})
	}
}

// TestCrawlExportKeepsFileOnFailure: an export that fails leaves the file
// that was there.
func TestCrawlExportKeepsFileOnFailure(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "run.csv")
	if err := os.WriteFile(out, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := writeOutput(nil, out, func(w io.Writer) error {
		w.Write([]byte("partial"))
		return errors.New("store went away")
	})
	if err == nil {
		t.Fatal("no error")
	}
	if b, _ := os.ReadFile(out); string(b) != "old" {
		t.Errorf("file holds %q", b)
	}
}

func TestCrawlHelpGolden(t *testing.T) {
	t.Parallel()
	for _, c := range []string{"export", "stats"} {
		code, out, _ := runCrawlCmd(t, c, "--help")
		if code != 0 || !strings.Contains(out, "Exit status") || !strings.Contains(out, "Examples:") {
			t.Errorf("help of crawl %s: exit %d:\n%s", c, code, out)
		}
		golden(t, "help/crawl-"+c+".txt", []byte(out))
	}
}
