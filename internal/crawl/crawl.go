package crawl

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/publicsuffix"
	"golang.org/x/sync/errgroup"

	"github.com/leakwatch/leakwatch/internal/browser"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// Run drives b through the site: cookies, then steps, then the start URLs
// and the same-site links they lead to, breadth first. It returns what was
// captured even when pages failed (their errors are on the pages). The
// error is a *StepError when a scripted step failed (the capture is
// returned with it, and nothing was crawled after it), else it is for a
// crawl that could not run at all.
func Run(ctx context.Context, b *browser.Browser, opts Options) (*traffic.Capture, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	o := opts.withDefaults()
	if o.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.Timeout)
		defer cancel()
	}
	bc := b.Default()
	if !b.HasProfile() {
		// A fresh jar per crawl, unless the user's profile is the point.
		var err error
		if bc, err = b.NewContext(ctx); err != nil {
			return nil, fmt.Errorf("crawl: %w", err)
		}
		defer func() {
			cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			_ = bc.Close(cctx)
		}()
	}
	if len(o.Cookies) > 0 {
		if err := bc.SetCookies(ctx, o.Cookies); err != nil {
			return nil, fmt.Errorf("crawl: %w", err)
		}
	}
	c := &crawler{o: o, bc: bc, seen: map[string]bool{}, progress: newProgress(o.Progress, bc),
		consentSeen: map[string]bool{}, consentActs: map[string][]traffic.ConsentAction{}, gpcSeen: map[string]bool{}, optOut: optOutOf(b)}
	runErr := c.run(ctx)
	c.progress.finish()
	// The capture is taken even when ctx ran out or a step failed.
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 20*time.Second)
	defer cancel()
	capture, err := bc.Capture(cctx)
	if err != nil {
		return nil, fmt.Errorf("crawl: %w", err)
	}
	capture.Source = c.source()
	capture.Warnings = append(capture.Warnings, c.warnings...)
	c.applyConsent(capture)
	c.applyOptOut(capture)
	return capture, runErr
}

type crawler struct {
	o        Options
	bc       *browser.Context
	seen     map[string]bool
	progress *progress
	mu       sync.Mutex // guards warnings and the consent maps: tabs run in parallel
	warnings []string
	// consentSeen holds the IDs of pages examined for consent;
	// consentActs what was done on each.
	consentSeen map[string]bool
	consentActs map[string][]traffic.ConsentAction
	// optOut are the signals the browser sends; gpcSeen the origins whose
	// /.well-known/gpc.json was fetched.
	optOut  *traffic.OptOut
	gpcSeen map[string]bool
}

func (c *crawler) source() string {
	if len(c.o.Start) > 0 {
		return c.o.Start[0]
	}
	for _, s := range c.o.Steps {
		if s.Action == "goto" {
			return s.URL
		}
	}
	return ""
}

func (c *crawler) warn(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	c.mu.Lock()
	c.warnings = append(c.warnings, msg)
	c.mu.Unlock()
	c.o.Logger.Warn(msg)
}

func (c *crawler) run(ctx context.Context) error {
	if len(c.o.Steps) > 0 {
		if err := c.script(ctx); err != nil {
			return err
		}
	}
	var level []string
	for _, u := range dedupe(c.o.Start) {
		if !c.seen[u] { // a start URL the steps showed is not loaded again
			level = append(level, u)
		}
	}
	budget := c.o.MaxPages
	c.progress.queue(len(level))
	for depth := 0; len(level) > 0 && ctx.Err() == nil; depth++ {
		for _, u := range level {
			c.seen[u] = true
		}
		links := c.visitLevel(ctx, level, depth < c.o.Depth)
		if depth >= c.o.Depth {
			break
		}
		var next []string
		for _, u := range links {
			if !c.seen[u] && c.inScope(u) && budget > 0 {
				next = append(next, u)
				budget--
			}
		}
		c.progress.queue(len(next))
		level = next
	}
	return nil
}

// script runs the steps in a tab of their own.
func (c *crawler) script(ctx context.Context) error {
	tab, err := c.bc.NewTab(ctx)
	if err != nil {
		return fmt.Errorf("steps: %w", err)
	}
	defer c.closeTab(tab)
	return c.runSteps(ctx, tab)
}

// visitLevel visits urls with up to Tabs tabs and returns the sorted,
// de-duplicated links found (when follow is set).
func (c *crawler) visitLevel(ctx context.Context, urls []string, follow bool) []string {
	found := make([][]string, len(urls))
	tabs := make(chan *browser.Tab, c.o.Tabs)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.o.Tabs)
	for i, u := range urls {
		g.Go(func() error {
			tab := c.takeTab(gctx, tabs)
			if tab == nil {
				return nil
			}
			found[i], tab = c.visit(gctx, tab, u, follow)
			switch {
			case tab == nil:
			case tab.Crashed():
				c.closeTab(tab)
			default:
				tabs <- tab
			}
			return nil
		})
	}
	_ = g.Wait()
	close(tabs)
	for tab := range tabs {
		c.closeTab(tab)
	}
	var all []string
	for _, f := range found {
		all = append(all, f...)
	}
	return dedupe(sortedCopy(all))
}

// takeTab reuses an idle tab or opens one.
func (c *crawler) takeTab(ctx context.Context, idle chan *browser.Tab) *browser.Tab {
	select {
	case t := <-idle:
		return t
	default:
	}
	t, err := c.bc.NewTab(ctx)
	if err != nil {
		c.warn("open tab: %v", err)
		return nil
	}
	return t
}

func (c *crawler) closeTab(t *browser.Tab) {
	if err := t.Close(); err != nil {
		c.o.Logger.Debug("close tab", "err", err)
	}
}

// visit loads one page, lets it settle, interacts, and collects its links.
// It returns the tab to reuse, or nil when the tab died or its page ran out
// of time: a hung renderer or a dialog storm must not hold up later pages,
// so such a tab is closed and the next page gets a fresh one.
func (c *crawler) visit(ctx context.Context, tab *browser.Tab, u string, follow bool) ([]string, *browser.Tab) {
	pctx, cancel := context.WithTimeout(ctx, c.o.PageTimeout)
	defer cancel()
	defer c.progress.done()
	c.o.Logger.Info("visit", "url", u)
	if err := tab.Navigate(pctx, u); err != nil {
		c.o.Logger.Warn("visit failed", "url", u, "err", err)
		c.closeTab(tab)
		return nil, nil
	}
	c.settle(pctx, tab)
	c.pageSignals(pctx, tab)
	if c.o.FillForms {
		c.fillForms(pctx, tab, u)
	}
	c.annotate(pctx, tab)
	var links []string
	if follow {
		var err error
		if links, err = tab.Links(pctx); err != nil {
			c.pageError(tab, err)
		}
	}
	if err := tab.CollectStorage(pctx); err != nil {
		c.o.Logger.Debug("storage", "url", u, "err", err)
	}
	if pctx.Err() != nil || tab.Crashed() {
		c.closeTab(tab)
		return links, nil
	}
	return links, tab
}

// fillForms types persona values into the page's fields and, with Submit,
// sends each form that got a value once.
func (c *crawler) fillForms(ctx context.Context, tab *browser.Tab, u string) {
	fills, err := FillForms(ctx, tab, c.o.FormValues)
	if err != nil {
		c.pageError(tab, err)
	}
	if len(fills) == 0 {
		return
	}
	c.o.Logger.Info("filled forms", "url", u, "fields", len(fills))
	c.quiet(ctx, tab)
	if !c.o.Submit {
		return
	}
	n, err := SubmitForms(ctx, tab, fills, func() { c.afterAction(ctx, tab) })
	if err != nil {
		c.warn("submit form on %s: %v", u, err)
	}
	c.o.Logger.Info("submitted forms", "url", u, "forms", n)
}

// settle scrolls through the loaded page like a reader and then waits for
// network quiet, which covers both the page's own late requests and what
// the scrolling loaded lazily.
func (c *crawler) settle(ctx context.Context, tab *browser.Tab) {
	if err := tab.Scroll(ctx, 8, 50*time.Millisecond); err != nil {
		c.o.Logger.Debug("scroll", "err", err)
	}
	c.quiet(ctx, tab)
}

// quiet waits for network quiet, leaving part of ctx's time for what
// follows. A page that keeps sending (polling, a busy service worker) is
// loaded all the same: it is marked NetworkBusy, not failed.
func (c *crawler) quiet(ctx context.Context, tab *browser.Tab) {
	qctx, cancel := ctx, context.CancelFunc(func() {})
	if dl, ok := ctx.Deadline(); ok {
		reserve := min(time.Until(dl)/4, 5*time.Second)
		qctx, cancel = context.WithDeadline(ctx, dl.Add(-reserve))
	}
	defer cancel()
	err := tab.WaitQuiet(qctx, c.o.Quiet)
	switch {
	case err == nil:
	case errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil:
		c.o.Logger.Info("network still busy", "url", tab.URL(), "err", err)
		tab.UpdatePage(func(p *traffic.Page) { p.NetworkBusy = true })
	default:
		c.pageError(tab, err)
	}
}

// annotate records the title and, when asked, a screenshot of the page.
func (c *crawler) annotate(ctx context.Context, tab *browser.Tab) {
	title, err := tab.Title(ctx)
	if err != nil {
		c.o.Logger.Debug("title", "err", err)
	}
	var png []byte
	if c.o.Screenshots {
		if png, err = tab.Screenshot(ctx); err != nil {
			c.pageError(tab, err)
		}
	}
	tab.UpdatePage(func(p *traffic.Page) {
		p.Title = title
		if png != nil {
			p.Screenshot = png
		}
	})
}

// pageError records err on the tab's page unless one is there already.
func (c *crawler) pageError(tab *browser.Tab, err error) {
	tab.UpdatePage(func(p *traffic.Page) {
		if p.Error == "" {
			p.Error = err.Error()
		}
	})
}

// leaving matches links that would end a logged-in session.
var leaving = regexp.MustCompile(`(?i)log-?out|sign-?out|log-?off|abmelden`)

// inScope reports whether u is on the site of a start URL and is not a
// log-out link (which would end an authenticated scan).
func (c *crawler) inScope(u string) bool {
	if leaving.MatchString(u) {
		return false
	}
	for _, s := range c.o.Start {
		if SameSite(s, u) {
			return true
		}
	}
	return false
}

// SameSite reports whether two http(s) URLs are on the same site: the same
// registrable domain (eTLD+1 by the public suffix list, so that
// shop.example.co.uk and a.github.io vs b.github.io come out right), or
// the same host when there is none (IP addresses, localhost).
func SameSite(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	if err1 != nil || err2 != nil || ub.Scheme != "http" && ub.Scheme != "https" {
		return false
	}
	return site(ua.Hostname()) == site(ub.Hostname())
}

func site(host string) string {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if net.ParseIP(host) != nil {
		return host
	}
	if d, err := publicsuffix.EffectiveTLDPlusOne(host); err == nil {
		return d
	}
	return host
}

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

// dedupe drops repeated strings, keeping the first of each.
func dedupe(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
