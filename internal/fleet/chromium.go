package fleet

import (
	"cmp"
	"context"
	"log/slog"
	"sync"

	"github.com/leakwatch/leakwatch/internal/browser"
)

// recycleAfter is how many sites one Chromium crawls before a fresh one
// takes over (the old one closes when its last site ends): a long-lived
// browser's memory only grows.
const recycleAfter = 500

// chromium is a worker's long-lived Chromium: every site gets a fresh
// incognito context in it (crawl.Run makes one). When Chromium dies it is
// launched again for the next site.
type chromium struct {
	args    []string
	log     *slog.Logger
	recycle int // sites per browser; 0 means recycleAfter

	mu     sync.Mutex
	b      *browser.Browser         // the current one; nil before the first site or after a death
	uses   int                      // sites started in b
	active map[*browser.Browser]int // sites running, per browser (retired ones included)
}

// get returns the current Chromium, launching one when there is none or
// the current one has crawled recycleAfter sites; release must be called
// when the site is done with it.
func (c *chromium) get(ctx context.Context) (b *browser.Browser, release func(), err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.active == nil {
		c.active = map[*browser.Browser]int{}
	}
	if c.b != nil && c.uses >= cmp.Or(c.recycle, recycleAfter) {
		c.retireLocked()
	}
	if c.b == nil {
		// Chromium outlives the site that launched it: its lifetime is the
		// worker's, ended by close (Launch bounds the start on its own).
		nb, err := browser.Launch(context.WithoutCancel(ctx), browser.Options{Args: c.args})
		if err != nil {
			return nil, nil, err
		}
		c.log.Info("chromium started", "version", nb.Version(), "pid", nb.PID(), "sandbox", nb.Sandbox().String())
		c.b, c.uses = nb, 0
	}
	b = c.b
	c.uses++
	c.active[b]++
	return b, func() { c.release(b) }, nil
}

// retireLocked makes the current browser a retired one, closed once its
// last site ends (now, when none runs).
func (c *chromium) retireLocked() {
	old := c.b
	c.b = nil
	if c.active[old] == 0 {
		delete(c.active, old)
		go old.Close()
	}
}

func (c *chromium) release(b *browser.Browser) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.active[b]--
	if c.active[b] <= 0 && b != c.b {
		delete(c.active, b)
		go b.Close()
	}
}

// broken drops b, when it is still the current Chromium, so that the next
// site launches a new one; sites still running in b fail and are retried.
func (c *chromium) broken(b *browser.Browser, why error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.b != b {
		return
	}
	c.log.Warn("chromium restarted", "pid", b.PID(), "err", why)
	c.retireLocked()
}

// close ends every browser; call it once no site runs.
func (c *chromium) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var err error
	if c.b != nil {
		err = c.b.Close()
		c.b = nil
	}
	for b := range c.active {
		if cerr := b.Close(); err == nil {
			err = cerr
		}
	}
	c.active = nil
	return err
}
