package main

import (
	"archive/zip"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/audit"
	"github.com/leakwatch/leakwatch/internal/browser"
	"github.com/leakwatch/leakwatch/internal/browser/browsertest"
	"github.com/leakwatch/leakwatch/internal/crawl"
	"github.com/leakwatch/leakwatch/internal/lab"
)

// demoRun is one run of `leakwatch demo`, shared by the tests that check it
// (a run drives Chromium through the whole site and takes tens of seconds).
type demoRun struct {
	dir      string
	report   *audit.Report
	stdout   string
	stderr   string
	code     int
	harPath  string
	evidence string
}

var (
	demoOnce   sync.Once
	demoResult *demoRun
)

func runDemoOnce(t *testing.T) *demoRun {
	t.Helper()
	browsertest.Chromium(t)
	demoOnce.Do(func() {
		dir, err := os.MkdirTemp("", "leakwatch-demo-test")
		if err != nil {
			t.Fatal(err)
		}
		d := &demoRun{dir: dir, harPath: filepath.Join(dir, "demo.har"), evidence: filepath.Join(dir, "demo.zip")}
		d.code, d.stdout, d.stderr = runCmd(t, "", "demo", "--format", "json", "--har-out", d.harPath, "--evidence", d.evidence)
		var r audit.Report
		if err := json.Unmarshal([]byte(d.stdout), &r); err == nil {
			d.report = &r
		}
		demoResult = d
	})
	d := demoResult
	if d.code != 0 || d.report == nil {
		t.Fatalf("demo: exit %d, report parsed: %v; stderr:\n%s", d.code, d.report != nil, d.stderr)
	}
	return d
}

func TestDemoFindings(t *testing.T) {
	d := runDemoOnce(t)
	// What the lab's tags send (internal/lab/README.md): each company must be
	// proven to have received at least one of these data kinds, with the
	// encoding chain that a decoder would need to see it.
	want := []struct {
		company  string
		kinds    []string // at least one of them
		encoding string   // a transform that must appear in some finding's chain ("" = plain is fine)
	}{
		{"Meta", []string{"street", "city", "zip", "state", "email", "tracking_numbers"}, "sha256"},
		{"LinkedIn", []string{"tracking_numbers"}, "gzip"},
		{"Snap", []string{"email", "tracking_numbers"}, "sha256"},
		{"Microsoft", []string{"tracking_numbers"}, ""},
		{"Google", []string{"tracking_numbers", "email", "zip"}, "base64url"},
		{"Pinterest", []string{"email", "tracking_numbers"}, "sha256"},
	}
	for _, w := range want {
		t.Run(w.company, func(t *testing.T) {
			var kinds []string
			sawEncoding := w.encoding == ""
			for _, f := range d.report.Findings {
				if f.Type != audit.TypeLeak || f.Receiver == nil || f.Receiver.Company != w.company {
					continue
				}
				kinds = append(kinds, f.Field)
				if f.Request == nil || f.Request.URL == "" || f.Channel == "" || f.Location == "" {
					t.Errorf("finding without evidence: %+v", f)
				}
				sawEncoding = sawEncoding || slices.Contains(f.Encoding, w.encoding)
			}
			hit := false
			for _, k := range w.kinds {
				hit = hit || slices.Contains(kinds, k)
			}
			if !hit {
				t.Errorf("%s received %v; want one of %v", w.company, kinds, w.kinds)
			}
			if !sawEncoding {
				t.Errorf("%s: no finding names the %q transform", w.company, w.encoding)
			}
		})
	}
	var aam bool
	for _, f := range d.report.Findings {
		if f.Type == "automatic-advanced-matching" && strings.Contains(strings.ToLower(f.Summary), "on") {
			aam = true
		}
	}
	if !aam {
		t.Error("Meta automatic advanced matching not reported as on")
	}
	for _, tp := range d.report.ThirdParties {
		if strings.Contains(tp.Company, "parcelpost") {
			t.Errorf("the demo site itself is listed as a third party: %+v", tp)
		}
	}
}

// findingKey identifies a leak finding independently of run-specific text.
func findingKeys(r *audit.Report) []string {
	var out []string
	for _, f := range r.Findings {
		if f.Type != audit.TypeLeak {
			continue
		}
		out = append(out, strings.Join([]string{f.Field, f.Receiver.Company, f.Channel, f.Location,
			strings.Join(f.Encoding, "<"), strconv.Itoa(f.Request.Index)}, "|"))
	}
	slices.Sort(out)
	return out
}

func TestDemoHAROutReadsBack(t *testing.T) {
	d := runDemoOnce(t)
	persona := filepath.Join(d.dir, "persona.yaml")
	if err := os.WriteFile(persona, []byte(demoPersonaYAML(t)), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCmd(t, "", "analyze", "--format", "json", "--persona", persona, d.harPath)
	if code != 0 {
		t.Fatalf("analyze of --har-out: exit %d: %s", code, errOut)
	}
	var r audit.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	live, fromHAR := findingKeys(d.report), findingKeys(&r)
	if len(live) == 0 {
		t.Fatal("live report has no leak findings")
	}
	if !slices.Equal(live, fromHAR) {
		t.Errorf("findings differ between the live scan and its HAR:\nlive (%d): %v\nHAR (%d): %v", len(live), live, len(fromHAR), fromHAR)
	}
}

// demoPersonaYAML is the lab's persona, as the demo used it.
func demoPersonaYAML(t *testing.T) string {
	data, err := os.ReadFile(filepath.Join("..", "..", "internal", "lab", "testdata", "persona.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestDemoEvidenceAndRedaction(t *testing.T) {
	d := runDemoOnce(t)
	code, out, errOut := runCmd(t, "", "verify", d.evidence)
	if code != 0 {
		t.Fatalf("verify: exit %d: %s %s", code, out, errOut)
	}
	// The demo account's password and session cookie must appear in no output.
	zr, err := zip.OpenReader(d.evidence)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	outputs := map[string]string{"stdout": d.stdout}
	har, _ := os.ReadFile(d.harPath)
	outputs["har-out"] = string(har)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		outputs["evidence/"+f.Name] = string(b)
	}
	for name, s := range outputs {
		if strings.Contains(s, "Juniper-Parcel-4417") {
			t.Errorf("%s contains the typed password", name)
		}
		for _, line := range strings.Split(s, "pp_session=")[1:] {
			if !strings.HasPrefix(line, "[REDACTED]") && !strings.HasPrefix(line, "%5BREDACTED%5D") {
				t.Errorf("%s contains a session cookie value: pp_session=%.20s", name, line)
			}
		}
	}
	if !strings.Contains(outputs["har-out"], "pp_session") {
		t.Error("the HAR has no session cookie at all; the redaction check above proves nothing")
	}
}

func TestDemoLeavesNoChromium(t *testing.T) {
	runDemoOnce(t)
	// Other test binaries may run Chromium at the same time; only a child of
	// this process (the demo's Chromium) would be ours.
	for _, p := range browser.Processes("leakwatch-chromium-") {
		if p.PPID == os.Getpid() {
			t.Errorf("Chromium process survives the demo: %+v", p)
		}
	}
}

// docs/demo-steps.yaml, which proves each step with wait_url and expect,
// drives a steps-only scan of the demo site to the same leaks.
func TestDemoStepsFileScan(t *testing.T) {
	browsertest.Chromium(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	site, err := lab.Start(ctx, lab.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer site.Close()
	persona := filepath.Join(t.TempDir(), "persona.yaml")
	if err := os.WriteFile(persona, site.Persona(), 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"scan", "--steps", "../../docs/demo-steps.yaml", "--persona", persona, "--format", "json", "--depth", "0"}
	for _, a := range site.ChromeArgs() {
		args = append(args, "--browser-arg", a)
	}
	code, stdout, stderr := runCmd(t, "", args...)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	var r audit.Report
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatal(err)
	}
	companies := map[string]bool{}
	for _, f := range r.Findings {
		if f.Type == audit.TypeLeak && f.Field == "tracking_numbers" && f.Receiver != nil {
			companies[f.Receiver.Company] = true
		}
	}
	if len(companies) < 4 {
		t.Errorf("tracking number reached %v, want the lab's tags", companies)
	}
}

// A steps file whose step fails fails the scan, names the step once, and
// still writes the report.
func TestScanFailingStepFailsLoudly(t *testing.T) {
	browsertest.Chromium(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	site, err := lab.Start(ctx, lab.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer site.Close()
	dir := t.TempDir()
	steps := filepath.Join(dir, "steps.yaml")
	doc := "- goto: https://www.parcelpost.test/login\n- click: {selector: \"#no-such-button\", timeout: 1s}\n"
	if err := os.WriteFile(steps, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "report.json")
	args := []string{"scan", "--steps", steps, "-o", out, "--depth", "0"}
	for _, a := range site.ChromeArgs() {
		args = append(args, "--browser-arg", a)
	}
	start := time.Now()
	code, _, stderr := runCmd(t, "", args...)
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	last := lines[len(lines)-1]
	if code != 1 || !strings.HasPrefix(last, `leakwatch: scan: step 2 (click, line 2): no element matches "#no-such-button"`) ||
		strings.Count(last, "step 2") != 1 {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("took %s with a 1s step timeout", d)
	}
	if st, err := os.Stat(out); err != nil || st.Size() == 0 {
		t.Errorf("report not written: %v", err)
	}
}

// The progress line is redrawn in place, and a log line replaces it.
func TestProgressLine(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	l := &progressLine{w: &b}
	l.show(crawl.Progress{Done: 1, Queued: 2, Requests: 30, Elapsed: 1500 * time.Millisecond})
	_, _ = l.Write([]byte("level=WARN msg=x\n"))
	l.show(crawl.Progress{Done: 2, Requests: 31, Elapsed: 3 * time.Second})
	l.show(crawl.Progress{Done: 2, Final: true})
	l.end()
	want := "\r\033[Kleakwatch: 1 pages done, 2 queued, 30 requests, 2s" + "\r\033[Klevel=WARN msg=x\n" +
		"\r\033[Kleakwatch: 2 pages done, 0 queued, 31 requests, 3s" + "\r\033[K"
	if b.String() != want {
		t.Errorf("got %q\nwant %q", b.String(), want)
	}
}
