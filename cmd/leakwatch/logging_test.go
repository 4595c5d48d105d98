package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/browser/browsertest"
	"github.com/leakwatch/leakwatch/internal/crawl"
	"github.com/leakwatch/leakwatch/internal/lab"
)

// jsonLines parses every line of stderr as a JSON log record with time,
// level and msg, failing t on any other line.
func jsonLines(t *testing.T, stderr string) []map[string]any {
	t.Helper()
	var recs []map[string]any
	for i, line := range strings.Split(strings.TrimSuffix(stderr, "\n"), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("stderr line %d is not JSON (%v): %q", i+1, err, line)
		}
		for _, k := range []string{"time", "level", "msg"} {
			if _, ok := rec[k]; !ok {
				t.Errorf("stderr line %d has no %q: %q", i+1, k, line)
			}
		}
		recs = append(recs, rec)
	}
	return recs
}

// TestLogFormatJSON runs commands that warn, fail and meet hostile text
// with --log-format json: every line of standard error is a JSON record,
// inert on a terminal, and says what the text format says.
func TestLogFormatJSON(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(sharedHAR(t, "health-shop-mylabbox.har"))
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(t.TempDir(), "cut.har")
	if err := os.WriteFile(cut, data[:len(data)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		args  []string
		code  int
		level string // of the record that must say want
		want  string
	}{
		{"truncated", []string{"analyze", "--verbose", "--format", "json", cut}, exitOK, "WARN", "truncated"},
		{"hostile", []string{"analyze", "--format", "csv", hostileHAR(t)}, exitOK, "WARN", "\x1b]0;pwned"},
		{"usage", []string{"analyze", "--nope", "x.har"}, exitUsage, "ERROR", "unknown flag: --nope"},
		{"missing file", []string{"analyze", filepath.Join(t.TempDir(), "missing.har")}, exitError, "ERROR", "missing.har"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := runCmd(t, "", append([]string{"--log-format", "json"}, tt.args...)...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, tt.code, errOut)
			}
			checkInert(t, "stderr", errOut)
			if tt.name == "hostile" {
				checkInert(t, "stdout", out)
			}
			found := false
			for _, rec := range jsonLines(t, errOut) {
				msg, _ := rec["msg"].(string)
				found = found || (rec["level"] == tt.level && strings.Contains(msg, tt.want))
			}
			if !found {
				t.Errorf("no %s record saying %q:\n%s", tt.level, tt.want, errOut)
			}
		})
	}
}

// TestScanLogsJSON scans the demo site with --verbose --log-format json:
// the crawl's records (every visit) and the command's reach standard
// error through the one logger, as JSON lines.
func TestScanLogsJSON(t *testing.T) {
	browsertest.Chromium(t)
	t.Parallel()
	site, err := lab.Start(context.Background(), lab.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer site.Close()
	args := []string{"--log-format", "json", "scan", "--verbose", "--depth", "0", "--format", "json",
		"-o", filepath.Join(t.TempDir(), "r.json")}
	for _, a := range site.ChromeArgs() {
		args = append(args, "--browser-arg="+a)
	}
	code, _, errOut := runCmd(t, "", append(args, site.URL)...)
	if code != exitOK {
		t.Fatalf("exit %d; stderr:\n%s", code, errOut)
	}
	visited := false
	for _, rec := range jsonLines(t, errOut) {
		visited = visited || (rec["msg"] == "visit" && rec["url"] == site.URL)
	}
	if !visited {
		t.Errorf("no crawl record of the visit to %s:\n%s", site.URL, errOut)
	}
}

func TestTextHandler(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		log  func(l *slog.Logger)
		want string
	}{
		{"warning", func(l *slog.Logger) {
			l.Warn("visit failed", "url", "https://a.test/", "err", errors.New("net::ERR_X"))
		},
			"leakwatch: warning: visit failed url=https://a.test/ err=net::ERR_X\n"},
		{"notice", func(l *slog.Logger) { l.Log(context.Background(), levelNotice, "demo: site up") }, "leakwatch: demo: site up\n"},
		{"error with hint", func(l *slog.Logger) { l.Error("unknown flag: --nope", "hint", "Run 'leakwatch --help' for usage.") },
			"leakwatch: unknown flag: --nope\nRun 'leakwatch --help' for usage.\n"},
		{"quoted values", func(l *slog.Logger) { l.Warn("x", "title", "two words", "empty", "", "eq", "a=b") },
			`leakwatch: warning: x title="two words" empty="" eq="a=b"` + "\n"},
		{"groups and attrs", func(l *slog.Logger) { l.With("tab", 2).WithGroup("req").Warn("m", "n", 1, slog.Group("g", "k", "v")) },
			"leakwatch: warning: m tab=2 req.n=1 req.g.k=v\n"},
		{"hostile", func(l *slog.Logger) { l.Warn("page\x1b]0;pwned\x07\nOK: fake", "v", "\u202eexe") },
			`leakwatch: warning: page\x1b]0;pwned\x07 OK: fake v=\u202eexe` + "\n"},
		{"below level", func(l *slog.Logger) { l.Info("visit", "url", "https://a.test/") }, ""},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		l, err := newLogger("text", levelNotice, &b)
		if err != nil {
			t.Fatal(err)
		}
		tt.log(l)
		if b.String() != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, b.String(), tt.want)
		}
	}
}

func TestJSONLogInert(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	l, err := newLogger("json", levelNotice, &b)
	if err != nil {
		t.Fatal(err)
	}
	l.Log(context.Background(), levelNotice, "demo")
	l.Warn(termPayload, "v", "\u0085\u2028\x7f")
	checkInert(t, "json log", b.String())
	recs := jsonLines(t, b.String())
	if len(recs) != 2 || recs[0]["level"] != "NOTICE" || recs[1]["msg"] != termPayload || recs[1]["v"] != "\u0085\u2028\x7f" {
		t.Errorf("records %q do not hold what was logged", recs)
	}
}

func TestLogLevels(t *testing.T) {
	t.Parallel()
	tests := []struct {
		quiet, verbose bool
		shown, hidden  slog.Level
	}{
		{false, false, levelNotice, slog.LevelInfo},
		{true, false, slog.LevelError, slog.LevelWarn},
		{false, true, slog.LevelDebug, slog.LevelDebug - 1},
	}
	for _, tt := range tests {
		for _, format := range logFormats {
			l, err := newLogger(format, logLevel(tt.quiet, tt.verbose), &bytes.Buffer{})
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			if !l.Enabled(ctx, tt.shown) || l.Enabled(ctx, tt.hidden) {
				t.Errorf("%s quiet=%v verbose=%v: %v shown %v, %v hidden %v", format, tt.quiet, tt.verbose,
					tt.shown, l.Enabled(ctx, tt.shown), tt.hidden, !l.Enabled(ctx, tt.hidden))
			}
		}
	}
	if _, err := newLogger("xml", levelNotice, &bytes.Buffer{}); err == nil {
		t.Error("--log-format xml accepted")
	}
}

// TestLogThroughProgressLine: while a scan's progress line shows, the run's
// logger writes through it, so a record replaces the line; afterwards it
// writes to standard error again.
func TestLogThroughProgressLine(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	e := newEnv(nil, nil, nil, &b)
	line := &progressLine{w: &b}
	restore := e.logTo.redirect(line)
	line.show(crawl.Progress{Done: 1, Queued: 2, Requests: 30, Elapsed: time.Second})
	e.log().Warn("visit failed", "url", "https://a.test/")
	line.end()
	restore()
	e.log().Warn("after")
	want := "\r\033[Kleakwatch: 1 pages done, 2 queued, 30 requests, 1s" +
		"\r\033[Kleakwatch: warning: visit failed url=https://a.test/\n" + "leakwatch: warning: after\n"
	if b.String() != want {
		t.Errorf("got %q\nwant %q", b.String(), want)
	}
}
