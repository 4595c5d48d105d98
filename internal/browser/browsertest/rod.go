package browsertest

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/launcher"
	"github.com/go-rod/rod/lib/launcher/flags"
)

// rodFlags keep a go-rod Chromium as quiet as the scanner's: no GPU, no
// QUIC, none of the browser's own background traffic.
var rodFlags = []flags.Flag{"disable-gpu", "disable-quic", "no-first-run", "disable-background-networking",
	"disable-component-update", "disable-sync"}

// rodBrowser is a Chromium started by go-rod's launcher and its connection.
type rodBrowser struct {
	browser  *rod.Browser
	launcher *launcher.Launcher
	dir      string
}

// launchRod starts headless Chromium exe with go-rod's launcher (which then
// never downloads one) on a fresh profile that allows third-party cookies,
// as browser.Launch's does, with the extra flags args ("--name=value").
func launchRod(ctx context.Context, exe string, args []string) (*rodBrowser, error) {
	dir, err := os.MkdirTemp("", "leakwatch-rod-chromium-")
	if err != nil {
		return nil, fmt.Errorf("profile for Chromium: %w", err)
	}
	l := launcher.New().Context(ctx).Bin(exe).Leakless(false).Headless(true).NoSandbox(true).
		UserDataDir(dir).Preferences(`{"profile":{"cookie_controls_mode":0}}`)
	for _, f := range rodFlags {
		l = l.Set(f)
	}
	for _, a := range args {
		name, value := flagPair(a)
		l = l.Set(flags.Flag(name), value)
	}
	r := &rodBrowser{launcher: l, dir: dir}
	u, err := l.Launch()
	if err != nil {
		r.close()
		return nil, fmt.Errorf("launch Chromium: %w", err)
	}
	r.browser = rod.New().ControlURL(u).Context(ctx)
	if err := r.browser.Connect(); err != nil {
		r.close()
		return nil, fmt.Errorf("connect to Chromium: %w", err)
	}
	return r, nil
}

func (r *rodBrowser) close() {
	if r.browser != nil {
		_ = r.browser.Close()
	}
	r.launcher.Kill()
	r.launcher.Cleanup()
	_ = os.RemoveAll(r.dir)
}

// Rod launches headless Chromium for a test that drives pages through
// go-rod's high-level API, with the extra flags args (e.g. MapArgs), and
// closes it when tb ends; ctx bounds the browser and every call on it. It
// skips or fails as Chromium does.
func Rod(tb testing.TB, ctx context.Context, args ...string) *rod.Browser {
	tb.Helper()
	r, err := launchRod(ctx, Chromium(tb), args)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(r.close)
	return r.browser
}

// SharedRod is one go-rod Chromium for a whole test binary, launched by the
// first test that asks for it; TestMain calls Close after m.Run. The zero
// value is ready to use.
type SharedRod struct {
	// Args are extra Chromium flags, set before the first Browser call.
	Args []string

	once sync.Once
	r    *rodBrowser
	err  error
}

// Browser returns the shared browser, launching it on first use. It skips
// or fails tb as Chromium does.
func (s *SharedRod) Browser(tb testing.TB) *rod.Browser {
	tb.Helper()
	exe := Chromium(tb)
	s.once.Do(func() {
		// The browser lives as long as the test binary: no timeout.
		s.r, s.err = launchRod(context.Background(), exe, s.Args)
	})
	if s.err != nil {
		tb.Fatal(s.err)
	}
	return s.r.browser
}

// Close ends the shared browser, if one was launched.
func (s *SharedRod) Close() {
	if s.r != nil {
		s.r.close()
	}
}
