package e2e

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/browser"
	"github.com/leakwatch/leakwatch/internal/browser/browsertest"
	"github.com/leakwatch/leakwatch/internal/sharedtest"
)

const (
	trackersDir = "testdata/trackers"
	siteDir     = "testdata/site"
)

// env is what the test binary shares: one Chromium and one test site.
var env struct {
	skip    string // why the browser tests cannot run here, outside CI
	site    *site
	browser *browser.Browser
}

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	flag.Parse()
	if testing.Short() {
		env.skip = "browser and npm test: skipped with -short"
		return m.Run()
	}
	if err := installTrackers(); err != nil {
		if errors.Is(err, exec.ErrNotFound) && !sharedtest.InCI() {
			env.skip = "npm not installed: " + err.Error()
			return m.Run()
		}
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	s, err := newSite(siteDir, filepath.Join(trackersDir, "node_modules"), shopper)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer s.Close()
	env.site = s
	b, skip, err := browsertest.Start(s.browserArgs())
	switch {
	case err != nil:
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	case skip != "":
		env.skip = skip
		return m.Run()
	}
	env.browser = b
	code := m.Run()
	if theVisit.harPath != "" {
		_ = os.RemoveAll(filepath.Dir(theVisit.harPath))
	}
	if err := b.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: close browser:", err)
	}
	return code
}

// need skips t when npm or Chromium is missing (outside CI).
func need(t testing.TB) {
	t.Helper()
	if env.skip != "" {
		t.Skip(env.skip)
	}
}

// installTrackers runs npm ci in testdata/trackers when the clients are not
// installed yet, from the committed package-lock.json, then checks that
// every bundle the site serves is there.
func installTrackers() error {
	if _, err := os.Stat(filepath.Join(trackersDir, "node_modules", ".package-lock.json")); err != nil {
		npm, err := exec.LookPath("npm")
		if err != nil {
			return fmt.Errorf("install tracker clients: %w", err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts")
		cmd.Dir = trackersDir
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("npm ci in %s: %w\n%s", trackersDir, err, out)
		}
	}
	for _, f := range vendorFiles {
		if _, err := os.Stat(filepath.Join(trackersDir, "node_modules", filepath.FromSlash(f))); err != nil {
			return fmt.Errorf("tracker bundle missing after npm ci: %w", err)
		}
	}
	return nil
}
