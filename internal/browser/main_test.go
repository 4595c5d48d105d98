package browser_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/browser"
	"github.com/leakwatch/leakwatch/internal/browser/browsertest"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

var env *browsertest.Env

func TestMain(m *testing.M) {
	os.Exit(browsertest.Main(m, "testdata/site", &env))
}

// open navigates a fresh tab to path on host and waits for network quiet.
func open(t *testing.T, host string, tls bool, path string) *browser.Tab {
	t.Helper()
	tab := env.Tab(t)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := tab.Navigate(ctx, env.Server.URL(host, tls, path)); err != nil {
		t.Fatalf("navigate %s: %v", path, err)
	}
	if err := tab.WaitQuiet(ctx, 300*time.Millisecond); err != nil {
		t.Logf("wait quiet: %v", err)
	}
	return tab
}

// waitRequest polls the tab's capture until a request satisfies match.
func waitRequest(t *testing.T, tab *browser.Tab, what string, match func(*traffic.Request) bool) (*traffic.Request, *traffic.Capture) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second) // roomy: CI machines may be loaded
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		c, err := tab.Context().Capture(ctx)
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range c.Requests {
			if match(r) {
				return r, c
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no request %s among %d:\n%s", what, len(c.Requests), describe(c))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func describe(c *traffic.Capture) string {
	var b strings.Builder
	for _, r := range c.Requests {
		b.WriteString(r.Target + " " + r.Method + " " + r.URL + " " + r.Error + "\n")
	}
	return b.String()
}

func urlHas(subs ...string) func(*traffic.Request) bool {
	return func(r *traffic.Request) bool { return browsertest.ContainsAll(r.URL, subs...) }
}

// kill kills Chromium's main process at once, as a crash would.
func kill(t *testing.T, b *browser.Browser) {
	t.Helper()
	p, err := os.FindProcess(b.PID())
	if err == nil {
		err = p.Kill()
	}
	if err != nil {
		t.Fatal(err)
	}
}
