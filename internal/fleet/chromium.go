package fleet

import (
	"context"
	"log/slog"
	"sync"

	"github.com/leakwatch/leakwatch/internal/browser"
)

// chromium is a worker's one long-lived Chromium: every site gets a fresh
// incognito context in it (crawl.Run makes one). When Chromium dies it is
// launched again for the next site.
type chromium struct {
	args []string
	log  *slog.Logger

	mu sync.Mutex
	b  *browser.Browser
}

// get returns the running Chromium, launching it when there is none.
func (c *chromium) get(ctx context.Context) (*browser.Browser, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.b != nil {
		return c.b, nil
	}
	// Chromium outlives the site that launched it: its lifetime is the
	// worker's, ended by close (Launch bounds the start on its own).
	b, err := browser.Launch(context.WithoutCancel(ctx), browser.Options{Args: c.args})
	if err != nil {
		return nil, err
	}
	c.log.Info("chromium started", "version", b.Version(), "pid", b.PID(), "sandbox", b.Sandbox().String())
	c.b = b
	return b, nil
}

// broken drops b, when it is still the current Chromium, so that the next
// site launches a new one; sites still running in b fail and are retried.
func (c *chromium) broken(b *browser.Browser, why error) {
	c.mu.Lock()
	if c.b != b {
		c.mu.Unlock()
		return
	}
	c.b = nil
	c.mu.Unlock()
	c.log.Warn("chromium restarted", "pid", b.PID(), "err", why)
	_ = b.Close()
}

func (c *chromium) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.b == nil {
		return nil
	}
	err := c.b.Close()
	c.b = nil
	return err
}
