package browsertest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/browser"
)

// Shared is one Chromium for a whole test binary that builds no servers
// (Main does both), launched through browser.Launch by the first test that
// asks for it; TestMain calls Close after m.Run. The zero value is ready to
// use.
type Shared struct {
	// Args are extra Chromium flags, set before the first Browser call.
	Args []string

	once sync.Once
	b    *browser.Browser
	err  error
}

// Browser returns the shared browser, launching it on first use. It skips
// or fails tb as Chromium does.
func (s *Shared) Browser(tb testing.TB) *browser.Browser {
	tb.Helper()
	exe := Chromium(tb)
	s.once.Do(func() {
		// The browser lives as long as the test binary: no timeout.
		s.b, s.err = browser.Launch(context.Background(), browser.Options{Exec: exe, Args: s.Args,
			StartTimeout: startTimeout})
	})
	if s.err != nil {
		tb.Fatalf("launch Chromium: %v", s.err)
	}
	return s.b
}

// Page opens a tab of the shared browser in a fresh isolated context,
// closed with the test.
func (s *Shared) Page(tb testing.TB) *Page {
	tb.Helper()
	return NewPage(tb, isolatedTab(tb, s.Browser(tb)))
}

// Close ends the shared browser, if one was launched.
func (s *Shared) Close() error {
	if s.b == nil {
		return nil
	}
	return s.b.Close()
}

// isolatedTab opens a tab of b in a fresh isolated context, disposed of
// with the test. Disposing of the context closes the tab outright: the
// test is over, so Tab.Close's leaving the page (its storage, its unload
// handlers' requests) would only cost time; tests of that call it.
func isolatedTab(tb testing.TB, b *browser.Browser) *browser.Tab {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	bc, err := b.NewContext(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	tab, err := bc.NewTab(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = bc.Close(ctx)
	})
	return tab
}
