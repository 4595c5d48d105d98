// Package browsertest runs browser tests against real headless Chromium:
// one browser per test binary, local sites on several hostnames mapped to
// loopback, over HTTP and HTTPS with a generated certificate.
package browsertest

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/browser"
)

// Env is what a test binary shares: the browser and the local servers.
type Env struct {
	Browser *browser.Browser
	Server  *Server
	// Args are the flags the browser was launched with, for tests that
	// launch another one.
	Args []string
	// skip says why there is no browser: not installed, or -short.
	skip string
}

// Main launches Chromium and the servers for a test binary and runs m. With
// -short, or when Chromium is missing outside CI, the browser tests skip;
// in CI a missing Chromium fails the binary.
func Main(m *testing.M, site string, env **Env) int {
	flag.Parse()
	srv, err := NewServer(site)
	if err != nil {
		fmt.Fprintln(os.Stderr, "browsertest:", err)
		return 1
	}
	defer srv.Close()
	args := srv.BrowserArgs()
	b, skip, err := Start(args)
	if err != nil {
		fmt.Fprintln(os.Stderr, "browsertest:", err)
		return 1
	}
	if skip != "" {
		fmt.Fprintln(os.Stderr, "browsertest:", skip)
		*env = &Env{Server: srv, Args: args, skip: skip}
		return m.Run()
	}
	*env = &Env{Browser: b, Server: srv, Args: args}
	code := m.Run()
	if err := b.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "browsertest: close:", err)
	}
	return code
}

// Need returns the shared browser, or skips t when there is none (-short, or
// no Chromium outside CI).
func (e *Env) Need(t testing.TB) *browser.Browser {
	t.Helper()
	if e == nil || e.Browser == nil {
		if e != nil && e.skip != "" {
			t.Skip(e.skip)
		}
		t.Skip("browser test skipped: " + browser.ErrNotFound.Error())
	}
	return e.Browser
}

// Tab opens a tab in a fresh isolated context, closed with the test.
func (e *Env) Tab(t testing.TB) *browser.Tab {
	t.Helper()
	return isolatedTab(t, e.Need(t))
}

// ContainsAll reports whether s contains every one of subs.
func ContainsAll(s string, subs ...string) bool {
	for _, x := range subs {
		if !strings.Contains(s, x) {
			return false
		}
	}
	return true
}
