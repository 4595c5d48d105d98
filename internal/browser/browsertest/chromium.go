package browsertest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/browser"
	"github.com/leakwatch/leakwatch/internal/sharedtest"
)

// startTimeout bounds a test browser's start: a loaded CI machine running
// several test binaries at once can take far longer than a desktop.
const startTimeout = time.Minute

// find returns the Chromium executable as browser.Find picks it
// ($LEAKWATCH_CHROME, else chromium, chromium-browser, google-chrome on
// PATH), or why browser tests skip here (-short; no Chromium outside CI),
// or an error that must fail them (no Chromium in CI, a bad
// $LEAKWATCH_CHROME).
func find() (exe, skip string, err error) {
	if testing.Short() {
		return "", "browser test: skipped with -short", nil
	}
	exe, err = browser.Find()
	switch {
	case err == nil:
		return exe, "", nil
	case errors.Is(err, browser.ErrNotFound) && !sharedtest.InCI():
		return "", "browser test skipped: " + err.Error(), nil
	case errors.Is(err, browser.ErrNotFound):
		return "", "", fmt.Errorf("CI is set, so browser tests may not skip: %w", err)
	}
	return "", "", fmt.Errorf("find Chromium for the browser tests: %w", err)
}

// Chromium returns the Chromium executable the browser tests use. It skips
// tb with -short or when no Chromium is installed, and fails it when CI is
// set and Chromium is missing or $LEAKWATCH_CHROME is wrong.
func Chromium(tb testing.TB) string {
	tb.Helper()
	exe, skip, err := find()
	if err != nil {
		tb.Fatal(err)
	}
	if skip != "" {
		tb.Skip(skip)
	}
	return exe
}

// Launch starts Chromium with opts through browser.Launch, as the scanner
// does, and closes it when tb ends. It skips or fails as Chromium does.
func Launch(tb testing.TB, ctx context.Context, opts browser.Options) *browser.Browser {
	tb.Helper()
	if opts.Exec == "" {
		opts.Exec = Chromium(tb)
	}
	if opts.StartTimeout == 0 {
		opts.StartTimeout = startTimeout
	}
	b, err := browser.Launch(ctx, opts)
	if err != nil {
		tb.Fatalf("launch Chromium: %v", err)
	}
	tb.Cleanup(func() {
		if err := b.Close(); err != nil {
			tb.Errorf("close Chromium: %v", err)
		}
	})
	return b
}

// Start launches the Chromium a test binary shares, with args, for a
// TestMain that builds its own servers (Main does it for the common case).
// It returns the browser, or nil and why the browser tests skip (-short, or
// Chromium missing outside CI); an error means the binary must fail. The
// caller closes the browser after m.Run.
func Start(args []string) (b *browser.Browser, skip string, err error) {
	exe, skip, err := find()
	if err != nil || skip != "" {
		return nil, skip, err
	}
	// The launch context bounds the browser's life, so it is not a timeout.
	b, err = browser.Launch(context.Background(), browser.Options{Exec: exe, Args: args, StartTimeout: startTimeout})
	if err != nil {
		return nil, "", fmt.Errorf("launch Chromium: %w", err)
	}
	return b, "", nil
}

// MapArgs are the Chromium flags that send every hostname pattern matches
// ("*", "*.test") to addr ("127.0.0.1", or "127.0.0.1:8443" to override
// the URL's port too), localhost excepted, and, when spki is not empty,
// trust the certificate whose base64 SHA-256 SubjectPublicKeyInfo it is.
// Nothing the browser asks for under the pattern can reach another address.
func MapArgs(pattern, addr, spki string) []string {
	args := []string{"--host-resolver-rules=MAP " + pattern + " " + addr + ", EXCLUDE localhost"}
	if spki != "" {
		args = append(args, "--ignore-certificate-errors-spki-list="+spki)
	}
	return args
}
