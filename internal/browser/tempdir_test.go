package browser_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/browser"
)

// TestNoTemporaryFolderSurvives runs Chromium with a $TMPDIR of the test's
// own and checks that no exit path leaves an entry in it: a scan closed
// normally, a launch cancelled while starting, Chromium killed mid-scan
// (before and without Close), a panic in the caller. Chromium's own
// org.chromium.Chromium.* files go to a folder inside leakwatch's.
func TestNoTemporaryFolderSurvives(t *testing.T) {
	env.Need(t)
	tests := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"launch, navigate, close", func(t *testing.T) {
			b, tab := launchAndOpen(t, context.Background())
			_ = tab.Close()
			if err := b.Close(); err != nil {
				t.Fatal(err)
			}
		}},
		{"cancelled before launch", func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			if b, err := browser.Launch(ctx, browser.Options{Args: env.Args}); err == nil {
				b.Close()
				t.Fatal("launch with a cancelled context succeeded")
			}
		}},
		{"cancelled while starting", func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
			defer cancel()
			if _, err := browser.Launch(ctx, browser.Options{Args: env.Args}); err == nil {
				<-ctx.Done() // started in time after all: cancelling closes it
			}
		}},
		{"cancelled mid-scan", func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			launchAndOpen(t, ctx)
			cancel()
		}},
		{"chromium killed mid-scan", func(t *testing.T) {
			b, _ := launchAndOpen(t, context.Background())
			kill(t, b)
			// No Close: the folder goes when Chromium does.
			waitEmpty(t, os.Getenv("TMPDIR"))
			_ = b.Close()
		}},
		{"panic in the caller", func(t *testing.T) {
			defer func() { _ = recover() }()
			b, _ := launchAndOpen(t, context.Background())
			defer b.Close()
			panic("boom")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Short, as a user's $TMPDIR is: Chromium's socket path must fit.
			dir, err := os.MkdirTemp("", "lwt")
			if err != nil {
				t.Fatal(err)
			}
			defer os.Remove(dir) // empty, or the test failed
			t.Setenv("TMPDIR", dir)
			tt.run(t)
			waitEmpty(t, dir)
		})
	}
}

// launchAndOpen launches a browser bound to ctx and loads a page with a
// worker in it, so that every kind of Chromium process runs.
func launchAndOpen(t *testing.T, ctx context.Context) (*browser.Browser, *browser.Tab) {
	t.Helper()
	b, err := browser.Launch(ctx, browser.Options{Args: env.Args})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.UserDataDir(), os.Getenv("TMPDIR")) {
		t.Errorf("profile %s outside $TMPDIR", b.UserDataDir())
	}
	nctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	tab, err := b.NewTab(nctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := tab.Navigate(nctx, env.Server.URL("site.test", true, "/worker.html")); err != nil {
		t.Fatal(err)
	}
	return b, tab
}

// waitEmpty waits up to 10s for dir to hold no entry.
func waitEmpty(t *testing.T, dir string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) == 0 {
			return
		}
		if time.Now().After(deadline) {
			names := make([]string, len(entries))
			for i, e := range entries {
				names[i] = e.Name()
			}
			t.Fatalf("%d entries left in $TMPDIR: %q", len(entries), names)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestSandboxDecisionIsRecorded: the launch says whether the sandbox is on,
// and a capture without it warns in one line.
func TestSandboxDecisionIsRecorded(t *testing.T) {
	env.Need(t)
	for _, noSandbox := range []bool{false, true} {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		b, err := browser.Launch(ctx, browser.Options{Args: env.Args, NoSandbox: noSandbox})
		if err != nil {
			cancel()
			t.Fatal(err)
		}
		sb := b.Sandbox()
		switch {
		case noSandbox && (sb.On || !strings.Contains(sb.Reason, "--no-sandbox")):
			t.Errorf("NoSandbox: sandbox %s", sb)
		case os.Geteuid() == 0 && sb.On:
			t.Errorf("as root: sandbox %s", sb)
		}
		for _, p := range browser.Processes(b.UserDataDir()) {
			if strings.Contains(p.Cmdline, "--no-sandbox") == sb.On {
				t.Errorf("sandbox %s, but Chromium runs as %s", sb, p.Cmdline)
				break
			}
			if strings.Contains(p.Cmdline, "--remote-debugging-port") {
				t.Errorf("DevTools on a port any local process can reach: %s", p.Cmdline)
				break
			}
		}
		c, err := b.Default().Capture(ctx)
		if err != nil {
			t.Fatal(err)
		}
		warned := len(c.Warnings) > 0 && strings.Contains(c.Warnings[0], "without its sandbox")
		t.Logf("NoSandbox=%v: sandbox %s, warnings %q", noSandbox, sb, c.Warnings)
		if warned == sb.On || strings.Contains(sb.Warning(), "\n") {
			t.Errorf("sandbox %s but warnings %q", sb, c.Warnings)
		}
		b.Close()
		cancel()
	}
}
