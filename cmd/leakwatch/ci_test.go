package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/browser/browsertest"
	"github.com/leakwatch/leakwatch/internal/evidence"
	"github.com/leakwatch/leakwatch/internal/lab"
)

// TestCIRecipes runs the commands of docs/ci.md, as the GitHub and GitLab
// recipes there run them, against the demo site: the built binary, the
// shell, the files the recipe expects, and its exit status.
func TestCIRecipes(t *testing.T) {
	browsertest.Chromium(t)
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "ci.md"))
	if err != nil {
		t.Fatal(err)
	}
	script := ciCommands(t, string(doc))
	for _, line := range strings.Split(script, "\n") {
		if strings.Count(string(doc), strings.TrimSpace(line)) < 3 {
			t.Errorf("docs/ci.md: the GitHub and GitLab recipes do not both run %q", line)
		}
	}

	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "leakwatch"), ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	site, err := lab.Start(ctx, lab.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer site.Close()
	work := filepath.Join(dir, "repo")
	os.MkdirAll(filepath.Join(work, ".leakwatch"), 0o755)
	policy, _ := os.ReadFile(filepath.Join("..", "..", "internal", "policy", "testdata", "examples", "no-persona-data.yaml"))
	for name, data := range map[string][]byte{"steps.yaml": site.Steps(), "persona.yaml": site.Persona(), "policy.yaml": policy} {
		if err := os.WriteFile(filepath.Join(work, ".leakwatch", name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The one change: Chromium must reach the demo's vendor hosts on loopback.
	var mapping []string
	for _, a := range site.ChromeArgs() {
		mapping = append(mapping, "--browser-arg='"+a+"'")
	}
	script = strings.Replace(script, "leakwatch scan ", "leakwatch scan "+strings.Join(mapping, " ")+" ", 1)

	cmd := exec.Command("bash", "-c", script)
	cmd.Dir = work
	cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "STAGING_URL="+site.URL)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != exitPolicy {
		t.Fatalf("the recipe exited with %v, want status %d (the demo site violates no-persona-data):\n%s", err, exitPolicy, out.String())
	}
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(work, name))
		if err != nil {
			t.Fatalf("the recipe did not write %s: %v", name, err)
		}
		return string(b)
	}
	if html := read("leakwatch-report.html"); !strings.Contains(html, "LinkedIn") || !strings.Contains(html, "<svg") {
		t.Error("HTML report lacks the companies or the data-flow diagram")
	}
	if md := read("leakwatch-summary.md"); !strings.Contains(md, "no-persona-data") {
		t.Errorf("Markdown summary does not name the violated rule:\n%.600s", md)
	}
	if junit := read("leakwatch-junit.xml"); !strings.Contains(junit, "<failure") || !strings.Contains(junit, "no-persona-data") {
		t.Errorf("JUnit has no failing case for the rule:\n%.600s", junit)
	}
	res, err := evidence.Verify(context.Background(), filepath.Join(work, "leakwatch-evidence.zip"), evidence.VerifyOptions{})
	if err != nil || !res.OK() {
		t.Errorf("evidence bundle does not verify: %v %+v", err, res)
	}
}

// ciCommands returns the shell block that follows the marker in docs/ci.md.
func ciCommands(t *testing.T, doc string) string {
	t.Helper()
	_, after, ok := strings.Cut(doc, "<!-- leakwatch-ci-commands")
	if !ok {
		t.Fatal("docs/ci.md has no leakwatch-ci-commands marker")
	}
	_, after, ok = strings.Cut(after, "```sh\n")
	if !ok {
		t.Fatal("no sh block after the marker")
	}
	block, _, ok := strings.Cut(after, "```")
	if !ok {
		t.Fatal("unterminated sh block")
	}
	return strings.TrimSpace(block)
}
