package crawl

import (
	"sync"
	"time"

	"github.com/leakwatch/leakwatch/internal/browser"
)

// Progress is where a scan stands, reported after every page.
type Progress struct {
	// Done and Queued count the pages visited and those still to visit
	// (start URLs and links found so far; the steps' tab is not counted).
	Done, Queued int
	// Requests counts the requests recorded so far.
	Requests int
	// Elapsed is the time since the scan began.
	Elapsed time.Duration
	// Final is set on the last report, when the crawl has ended.
	Final bool
}

// progress keeps the counts and calls the callback; it is safe for the
// crawl's parallel tabs.
type progress struct {
	report func(Progress)
	bc     *browser.Context
	start  time.Time
	stop   chan struct{}
	mu     sync.Mutex
	p      Progress
}

// newProgress starts reporting: after every page, and every second in
// between (requests and elapsed time move during long pages and steps)
// until finish.
func newProgress(report func(Progress), bc *browser.Context) *progress {
	g := &progress{report: report, bc: bc, start: time.Now(), stop: make(chan struct{})}
	if report != nil {
		go func() {
			tick := time.NewTicker(time.Second)
			defer tick.Stop()
			for {
				select {
				case <-tick.C:
					g.update(func(*Progress) {})
				case <-g.stop:
					return
				}
			}
		}()
	}
	return g
}

func (g *progress) queue(n int) { g.update(func(p *Progress) { p.Queued += n }) }

func (g *progress) done() {
	g.update(func(p *Progress) {
		p.Done++
		p.Queued = max(p.Queued-1, 0)
	})
}

func (g *progress) finish() {
	close(g.stop)
	g.update(func(p *Progress) { p.Final = true })
}

func (g *progress) update(f func(p *Progress)) {
	if g.report == nil {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	f(&g.p)
	g.p.Requests = g.bc.Requests()
	g.p.Elapsed = time.Since(g.start)
	g.report(g.p)
}
