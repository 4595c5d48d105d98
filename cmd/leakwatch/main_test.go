package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/audit"
	"github.com/leakwatch/leakwatch/internal/browser/browsertest"
	"github.com/leakwatch/leakwatch/internal/lab"
	"github.com/leakwatch/leakwatch/internal/sharedtest"
)

var update = sharedtest.Update

func TestMain(m *testing.M) {
	version = "test" // reports and help must not depend on the build
	code := m.Run()
	removeBuilt()
	if demoResult != nil {
		os.RemoveAll(demoResult.dir) // shared by the demo tests, so no t.TempDir
	}
	os.Exit(code)
}

// runCmd runs leakwatch in-process and returns its exit code and output.
func runCmd(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	sharedtest.Golden(t, filepath.Join("testdata", name), got, *update)
}

func TestHelpGolden(t *testing.T) {
	t.Parallel()
	root := newRootCmd(&env{})
	cmds := []string{""}
	for _, c := range root.Commands() {
		if c.Name() != "help" && c.Name() != "completion" {
			cmds = append(cmds, c.Name())
		}
	}
	for _, c := range cmds {
		t.Run("help-"+c, func(t *testing.T) {
			t.Parallel()
			args := []string{"--help"}
			if c != "" {
				args = []string{c, "--help"}
			}
			code, out, _ := runCmd(t, "", args...)
			if code != 0 {
				t.Fatalf("exit %d", code)
			}
			if !strings.Contains(out, "Exit status") && c != "version" && c != "verify" {
				t.Errorf("help of %q does not document exit statuses", c)
			}
			if c != "" && !strings.Contains(out, "Examples:") {
				t.Errorf("help of %q has no examples", c)
			}
			golden(t, "help/"+firstNonEmptyName(c)+".txt", []byte(out))
		})
	}
}

func firstNonEmptyName(c string) string {
	if c == "" {
		return "leakwatch"
	}
	return c
}

func sharedHAR(t *testing.T, name string) string {
	return sharedtest.Path(t, "har", name)
}

func analyzeJSON(t *testing.T, args ...string) *audit.Report {
	t.Helper()
	code, out, errOut := runCmd(t, "", append([]string{"analyze", "--format", "json"}, args...)...)
	if code != 0 {
		t.Fatalf("analyze %v: exit %d: %s", args, code, errOut)
	}
	var r audit.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("report is not JSON: %v", err)
	}
	return &r
}

func TestAnalyzeGoldenReports(t *testing.T) {
	t.Parallel()
	for _, name := range []string{
		"health-shop-mylabbox.har", "health-shop-oraquick.har", "health-shop-personalabs.har",
		"pagexray-ferguson.har", "pagexray-verizon.har", "harviewer-no-pages.har",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := runCmd(t, "", "analyze", "--format", "json", "--persona", "testdata/persona-shop.yaml", sharedHAR(t, name))
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			// The path of the shared file differs between checkouts.
			out = strings.ReplaceAll(out, sharedtest.Dir(t), "SHARED")
			golden(t, "reports/"+strings.TrimSuffix(name, ".har")+".json", []byte(out))
		})
	}
}

func TestHealthShopThirdParties(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file    string
		want    []string // registrable domains that must be third parties
		ownSite string   // the shop's own registrable domain
	}{
		{"health-shop-mylabbox.har", []string{"facebook.com", "bing.com", "criteo.com", "klaviyo.com"}, "mylabbox.com"},
		{"health-shop-oraquick.har", []string{"facebook.com", "google-analytics.com", "pardot.com"}, "oraquick.com"},
		{"health-shop-personalabs.har", []string{"facebook.com", "tiktok.com", "bing.com", "doubleclick.net"}, "personalabs.com"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			r := analyzeJSON(t, sharedHAR(t, tt.file))
			byDomain := map[string]audit.ThirdParty{}
			for _, tp := range r.ThirdParties {
				for _, d := range tp.Domains {
					if d == tt.ownSite {
						t.Errorf("the shop's own domain %s is listed as a third party (%s)", d, tp.Company)
					}
					byDomain[d] = tp
				}
			}
			for _, d := range tt.want {
				tp, ok := byDomain[d]
				if !ok {
					t.Errorf("%s is not listed as a third party", d)
					continue
				}
				if tp.Requests == 0 || !tp.Known || tp.Company == "" || tp.Company == d {
					t.Errorf("%s: company %q known=%v requests=%d; want a known owner and requests", d, tp.Company, tp.Known, tp.Requests)
				}
			}
			if !contains(r.FirstParty.Domains, tt.ownSite) {
				t.Errorf("first party domains %v lack %s", r.FirstParty.Domains, tt.ownSite)
			}
		})
	}
}

func TestFilterListFlagsTrackers(t *testing.T) {
	t.Parallel()
	list := sharedtest.Path(t, "lists", "easyprivacy-2023-04.txt")
	r := analyzeJSON(t, "--filter-list", list, sharedHAR(t, "health-shop-oraquick.har"))
	flagged := map[string][]string{}
	for _, tp := range r.ThirdParties {
		for _, d := range tp.Domains {
			if tp.Blocked > 0 {
				flagged[d] = tp.Rules
			}
		}
	}
	for _, d := range []string{"facebook.com", "google-analytics.com"} {
		if len(flagged[d]) == 0 {
			t.Errorf("%s not flagged by EasyPrivacy; flagged: %v", d, flagged)
		}
	}
}

func TestExitCodes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.har")
	os.WriteFile(bad, []byte("this is not a HAR"), 0o644)
	badPersona := filepath.Join(dir, "p.yaml")
	os.WriteFile(badPersona, []byte("emial: x@example.com\n"), 0o644)
	tests := []struct {
		name string
		args []string
		want int
		msg  string
	}{
		{"no args", []string{"analyze"}, exitUsage, "requires at least 1 arg"},
		{"bad flag", []string{"analyze", "--nope", "x.har"}, exitUsage, "unknown flag"},
		{"bad format", []string{"analyze", "--format", "pdf", "x.har"}, exitUsage, "unknown --format"},
		{"missing file", []string{"analyze", filepath.Join(dir, "missing.har")}, exitError, "missing.har"},
		{"not a HAR", []string{"analyze", bad}, exitError, "bad.har"},
		{"bad persona key", []string{"analyze", "--persona", badPersona, sharedHAR(t, "pagexray-http1-chrome.har")}, exitUsage, "emial"},
		{"policy violated", []string{"analyze", "--format", "json", "--persona", "testdata/persona-shop.yaml", "--fail-on", "leak", sharedHAR(t, "health-shop-mylabbox.har")}, exitPolicy, "policy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, _, errOut := runCmd(t, "", tt.args...)
			if code != tt.want {
				t.Errorf("exit %d, want %d; stderr: %s", code, tt.want, errOut)
			}
			if !strings.Contains(errOut, tt.msg) {
				t.Errorf("stderr %q lacks %q", errOut, tt.msg)
			}
			if strings.Contains(errOut, "panic") || strings.Contains(errOut, "goroutine") {
				t.Errorf("panic: %s", errOut)
			}
		})
	}
}

func TestAnalyzeStdin(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(sharedHAR(t, "pagexray-http2-firefox.har"))
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCmd(t, string(data), "analyze", "--format", "json", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r audit.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if r.Summary.Requests == 0 || r.Sources[0].Path != "stdin" {
		t.Errorf("stdin report: %d requests, source %q", r.Summary.Requests, r.Sources[0].Path)
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// A capture cut off part-way is analyzed up to its last complete entry,
// with a warning on standard error and in the report.
func TestTruncatedHAR(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(sharedHAR(t, "health-shop-mylabbox.har"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "cut.har")
	os.WriteFile(path, data[:len(data)/2], 0o644)
	code, out, errOut := runCmd(t, "", "analyze", "--format", "json", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "warning") || !strings.Contains(errOut, "truncated") {
		t.Errorf("stderr does not warn of the cut: %q", errOut)
	}
	var r audit.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if r.Summary.Requests == 0 || len(r.Sources[0].Warnings) == 0 {
		t.Errorf("requests %d, source warnings %v", r.Summary.Requests, r.Sources[0].Warnings)
	}
}

// A scan in which no page loads writes its report and exits 1 naming why.
func TestScanNoPageLoads(t *testing.T) {
	browsertest.Chromium(t)
	t.Parallel()
	out := filepath.Join(t.TempDir(), "r.json")
	code, _, errOut := runCmd(t, "", "scan", "--depth", "0", "--page-timeout", "10s", "-o", out,
		"--browser-arg=--host-resolver-rules=MAP * ~NOTFOUND", "https://unreachable.example/")
	if code != exitError {
		t.Errorf("exit %d, want %d; stderr: %s", code, exitError, errOut)
	}
	if !strings.Contains(errOut, "ERR_NAME_NOT_RESOLVED") {
		t.Errorf("stderr does not say why: %s", errOut)
	}
	if _, err := os.Stat(out); err != nil {
		t.Errorf("the report was not written: %v", err)
	}
}

// A gzip-compressed HAR reads like the plain one, from a file or stdin.
func TestAnalyzeGzip(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(sharedHAR(t, "pagexray-http1-chrome.har"))
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(data)
	zw.Close()
	path := filepath.Join(t.TempDir(), "session.har.gz")
	os.WriteFile(path, gz.Bytes(), 0o644)
	plain := analyzeJSON(t, sharedHAR(t, "pagexray-http1-chrome.har"))
	fromFile := analyzeJSON(t, path)
	code, out, errOut := runCmd(t, gz.String(), "analyze", "--format", "json", "-")
	if code != 0 {
		t.Fatalf("stdin: exit %d: %s", code, errOut)
	}
	var fromStdin audit.Report
	if err := json.Unmarshal([]byte(out), &fromStdin); err != nil {
		t.Fatal(err)
	}
	for name, r := range map[string]*audit.Report{"file": fromFile, "stdin": &fromStdin} {
		if !reflect.DeepEqual(r.Summary, plain.Summary) || len(r.ThirdParties) != len(plain.ThirdParties) {
			t.Errorf("%s: summary %+v, want %+v", name, r.Summary, plain.Summary)
		}
	}
}

// A scan interrupted part-way (Ctrl-C cancels the root context) still
// writes the report of what it captured, then exits 1.
func TestScanInterruptedKeepsCapture(t *testing.T) {
	browsertest.Chromium(t)
	t.Parallel()
	site, err := lab.Start(context.Background(), lab.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer site.Close()
	dir := t.TempDir()
	steps := filepath.Join(dir, "steps.yaml")
	os.WriteFile(steps, []byte("- goto: "+site.URL+"\n- wait: 60s\n"), 0o644)
	out := filepath.Join(dir, "r.json")
	args := []string{"scan", "--steps", steps, "--depth", "0", "--format", "json", "-o", out}
	for _, a := range site.ChromeArgs() {
		args = append(args, "--browser-arg="+a)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Second)
	defer cancel()
	var stdout, stderr bytes.Buffer
	code := run(ctx, append(args, site.URL), strings.NewReader(""), &stdout, &stderr)
	if code != exitError || !strings.Contains(stderr.String(), "interrupted") {
		t.Errorf("exit %d, stderr %q; want exit 1 saying the scan was interrupted", code, stderr.String())
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("no report after the interruption: %v", err)
	}
	var r audit.Report
	if err := json.Unmarshal(data, &r); err != nil || r.Summary.ThirdPartyRequests == 0 {
		t.Errorf("report %v, %d third-party requests: the capture before the interruption was lost", err, r.Summary.ThirdPartyRequests)
	}
	if !strings.Contains(r.Incomplete, "scan stopped") {
		t.Errorf("report not marked incomplete: %q", r.Incomplete)
	}
}
