package main

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The README shows the example policies of internal/policy; each must pass
// or fail on a shared HAR exactly as its "expect" line says, through the CLI.
func TestReadmePolicies(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join("..", "..", "internal", "policy", "testdata", "examples", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no example policies: %v", err)
	}
	har := sharedHAR(t, "health-shop-mylabbox.har")
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			t.Parallel()
			body, expect := readPolicyExample(t, f)
			if !strings.Contains(string(readme), body) {
				t.Errorf("README does not show %s verbatim", filepath.Base(f))
			}
			code, out, errOut := runCmd(t, "", "analyze", "--format", "text", "--persona", "testdata/persona-email.yaml", "--policy", f, har)
			wantCode := exitOK
			if strings.HasPrefix(expect, "fail") {
				wantCode = exitPolicy
			}
			if code != wantCode {
				t.Fatalf("exit %d, want %d (%s); stderr: %s", code, wantCode, expect, errOut)
			}
			for _, id := range strings.Fields(expect)[1:] {
				if !strings.Contains(out, id) {
					t.Errorf("report does not name violated rule %s", id)
				}
			}
		})
	}
}

// readPolicyExample returns a policy file without its comment header, and
// what it is expected to do on the mylabbox report.
func readPolicyExample(t *testing.T, path string) (string, string) {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	var body strings.Builder
	expect := ""
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		line := sc.Text()
		if after, ok := strings.CutPrefix(line, "# expect on testdata/report-mylabbox.json: "); ok {
			expect = after
			continue
		}
		if strings.HasPrefix(line, "#") {
			continue
		}
		body.WriteString(line + "\n")
	}
	if expect == "" {
		t.Fatalf("%s has no expectation for the mylabbox report", path)
	}
	return strings.TrimSpace(body.String()), expect
}
