package crawl

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/leakwatch/leakwatch/internal/browser"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// StepError is a scripted step that failed; Run returns it, with the
// capture, and the scan fails.
type StepError struct {
	// Index is the step's 0-based position in Options.Steps.
	Index int
	Step  Step
	Err   error
}

func (e *StepError) Error() string {
	return fmt.Sprintf("step %d (%s, line %d): %v", e.Index+1, e.Step.Action, e.Step.Line, e.Err)
}

func (e *StepError) Unwrap() error { return e.Err }

// runSteps runs the scripted steps in tab, stopping at the first failure
// of a step that is not optional, which is recorded on the page it
// happened on and returned as a *StepError.
func (c *crawler) runSteps(ctx context.Context, tab *browser.Tab) error {
	opened := false
	for i, st := range c.o.Steps {
		opened = opened || st.Action == "goto"
		if !opened && needsPage(st) {
			if err := c.openStart(ctx, tab, i); err != nil {
				return err
			}
			opened = true
		}
		err := c.step(ctx, tab, st)
		if err == nil {
			continue
		}
		serr := &StepError{Index: i, Step: st, Err: err}
		if st.Optional {
			c.warn("optional %v (skipped)", serr)
			continue
		}
		c.pageError(tab, serr)
		return serr
	}
	return nil
}

// needsPage reports whether a step acts on a page (all but goto, a pause
// and set_cookie with a domain).
func needsPage(st Step) bool {
	switch st.Action {
	case "goto":
		return false
	case "wait":
		return st.Selector != ""
	case "set_cookie":
		return st.CookieDomain == ""
	}
	return true
}

// openStart loads the first start URL for steps that act on a page before
// any goto.
func (c *crawler) openStart(ctx context.Context, tab *browser.Tab, i int) error {
	if len(c.o.Start) == 0 {
		return &StepError{Index: i, Step: c.o.Steps[i], Err: errors.New("no page open: begin the steps with goto or give a start URL")}
	}
	u := c.o.Start[0]
	c.seen[u] = true
	pctx, cancel := context.WithTimeout(ctx, c.o.PageTimeout)
	defer cancel()
	if err := tab.Navigate(pctx, u); err != nil {
		return fmt.Errorf("steps: open %s before step %d: %w", u, i+1, err)
	}
	c.settle(pctx, tab)
	c.pageSignals(pctx, tab)
	c.annotate(pctx, tab)
	return nil
}

// stepContext bounds one step: its own timeout, else DefaultStepTimeout
// (the page timeout for goto); a scripted pause is bounded by the scan only.
func (c *crawler) stepContext(ctx context.Context, st Step) (context.Context, context.CancelFunc) {
	d := st.Timeout
	switch {
	case st.Action == "wait" && st.Selector == "":
		return context.WithCancel(ctx)
	case d > 0:
	case st.Action == "goto":
		d = c.o.PageTimeout
	default:
		d = DefaultStepTimeout
	}
	return context.WithTimeout(ctx, d)
}

func (c *crawler) step(ctx context.Context, tab *browser.Tab, st Step) error {
	sctx, cancel := c.stepContext(ctx, st)
	defer cancel()
	c.o.Logger.Info("step", "action", st.Action, "line", st.Line)
	if st.Action == "goto" {
		return c.gotoStep(ctx, sctx, tab, st)
	}
	act, ok := stepActions[st.Action]
	if !ok {
		return fmt.Errorf("unknown action %q", st.Action)
	}
	if err := act(c, sctx, tab, st); err != nil {
		if sctx.Err() != nil && ctx.Err() == nil {
			return fmt.Errorf("%w (gave up after %s)", err, c.timeoutOf(st))
		}
		return err
	}
	if interacts[st.Action] {
		// An interaction may navigate or send requests: let them happen.
		c.afterAction(ctx, tab)
	}
	return nil
}

func (c *crawler) timeoutOf(st Step) time.Duration {
	if st.Timeout > 0 {
		return st.Timeout
	}
	return DefaultStepTimeout
}

// gotoStep loads a page and lets it settle within the page timeout.
func (c *crawler) gotoStep(ctx, sctx context.Context, tab *browser.Tab, st Step) error {
	c.seen[st.URL] = true
	defer c.progress.done()
	if err := tab.Navigate(sctx, st.URL); err != nil {
		return err
	}
	pctx, cancel := context.WithTimeout(ctx, c.o.PageTimeout)
	defer cancel()
	c.settle(pctx, tab)
	c.pageSignals(pctx, tab)
	c.annotate(pctx, tab)
	return nil
}

// interacts are the actions after which the page may load or send.
var interacts = map[string]bool{"click": true, "type": true, "press": true, "select": true,
	"clear": true, "check": true, "hover": true, "scroll_to": true, "submit": true}

type stepAction func(c *crawler, ctx context.Context, tab *browser.Tab, st Step) error

// stepActions run each action but goto.
var stepActions = map[string]stepAction{
	"click": func(_ *crawler, ctx context.Context, tab *browser.Tab, st Step) error {
		return tab.Click(ctx, st.Selector)
	},
	"type": func(c *crawler, ctx context.Context, tab *browser.Tab, st Step) error {
		return c.typeStep(ctx, tab, st)
	},
	"press": func(_ *crawler, ctx context.Context, tab *browser.Tab, st Step) error {
		return tab.Press(ctx, st.Selector, st.Key)
	},
	"select": func(_ *crawler, ctx context.Context, tab *browser.Tab, st Step) error {
		return tab.Select(ctx, st.Selector, st.Value)
	},
	"clear": func(_ *crawler, ctx context.Context, tab *browser.Tab, st Step) error {
		return tab.Clear(ctx, st.Selector)
	},
	"check": func(_ *crawler, ctx context.Context, tab *browser.Tab, st Step) error {
		return tab.SetChecked(ctx, st.Selector, st.Checked)
	},
	"hover": func(_ *crawler, ctx context.Context, tab *browser.Tab, st Step) error {
		return tab.Hover(ctx, st.Selector)
	},
	"scroll_to": func(_ *crawler, ctx context.Context, tab *browser.Tab, st Step) error {
		return tab.ScrollTo(ctx, st.Selector)
	},
	"submit": func(_ *crawler, ctx context.Context, tab *browser.Tab, st Step) error {
		tab.MarkSubmit(st.Selector)
		return tab.Submit(ctx, st.Selector)
	},
	"wait":       func(_ *crawler, ctx context.Context, tab *browser.Tab, st Step) error { return wait(ctx, tab, st) },
	"wait_url":   func(_ *crawler, ctx context.Context, tab *browser.Tab, st Step) error { return waitURL(ctx, tab, st) },
	"expect":     func(_ *crawler, ctx context.Context, tab *browser.Tab, st Step) error { return expect(ctx, tab, st) },
	"set_cookie": setCookie,
	"screenshot": func(_ *crawler, ctx context.Context, tab *browser.Tab, _ Step) error {
		png, err := tab.Screenshot(ctx)
		if err != nil {
			return err
		}
		tab.UpdatePage(func(p *traffic.Page) { p.Screenshot = png })
		return nil
	},
}

// afterAction waits for what an interaction set off, including a page load
// it caused, and records the title of the page it ends on.
func (c *crawler) afterAction(ctx context.Context, tab *browser.Tab) {
	pctx, cancel := context.WithTimeout(ctx, c.o.PageTimeout)
	defer cancel()
	select {
	case <-time.After(100 * time.Millisecond): // let a navigation start
	case <-pctx.Done():
	}
	c.quiet(pctx, tab)
	c.pageSignals(pctx, tab) // an interaction may have opened a new page
	c.annotate(pctx, tab)
}

func wait(ctx context.Context, tab *browser.Tab, st Step) error {
	if st.Selector != "" {
		return tab.WaitSelector(ctx, st.Selector)
	}
	select {
	case <-time.After(st.Wait):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// poll calls ok every 100ms until it reports true or ctx ends.
func poll(ctx context.Context, ok func() bool) error {
	for !ok() {
		select {
		case <-time.After(100 * time.Millisecond):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// waitURL waits until the tab's address contains st.URL or matches
// st.URLPattern: the way to know a search or a login went through when the
// page looks the same.
func waitURL(ctx context.Context, tab *browser.Tab, st Step) error {
	match := func(u string) bool {
		if st.URLPattern != nil {
			return st.URLPattern.MatchString(u)
		}
		return strings.Contains(u, st.URL)
	}
	if err := poll(ctx, func() bool { return match(tab.URL()) }); err != nil {
		want := fmt.Sprintf("does not contain %q", st.URL)
		if st.URLPattern != nil {
			want = fmt.Sprintf("does not match %q", st.URLPattern)
		}
		return fmt.Errorf("address %s %s: %w", tab.URL(), want, err)
	}
	return nil
}

// expect checks that a selector or a text is on the page, waiting for it.
func expect(ctx context.Context, tab *browser.Tab, st Step) error {
	if st.Selector != "" {
		return tab.WaitSelector(ctx, st.Selector)
	}
	var last error
	err := poll(ctx, func() bool {
		ok, err := tab.HasText(ctx, st.Text)
		last = err
		return ok
	})
	if err != nil {
		return fmt.Errorf("text %q not on %s: %w", st.Text, tab.URL(), errors.Join(err, last))
	}
	return nil
}

// setCookie puts a cookie into the scan's jar; without a domain it is set
// for the host of the page the tab shows.
func setCookie(c *crawler, ctx context.Context, tab *browser.Tab, st Step) error {
	k := traffic.Cookie{Name: st.CookieName, Value: st.Value, Domain: st.CookieDomain,
		Path: st.CookiePath, Secure: st.CookieSecure, HTTPOnly: st.CookieHTTPOnly}
	if k.Domain == "" {
		u := tab.URL()
		if !strings.HasPrefix(u, "http") {
			return errors.New("no domain given and no page open to take it from")
		}
		k.Domain = hostOf(u)
	}
	return c.bc.SetCookies(ctx, []traffic.Cookie{k})
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Hostname()
}
