package crawl

import (
	"context"
	"fmt"
	"time"

	"github.com/leakwatch/leakwatch/internal/browser"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// runSteps runs the scripted steps in tab, stopping at the first failure,
// which is recorded on the page it happened on.
func (c *crawler) runSteps(ctx context.Context, tab *browser.Tab) error {
	for i, st := range c.o.Steps {
		if err := c.step(ctx, tab, st); err != nil {
			err = fmt.Errorf("step %d (%s, line %d): %w", i+1, st.Action, st.Line, err)
			c.pageError(tab, err)
			return err
		}
	}
	return nil
}

func (c *crawler) step(ctx context.Context, tab *browser.Tab, st Step) error {
	pctx, cancel := context.WithTimeout(ctx, c.o.PageTimeout)
	defer cancel()
	c.o.Logger.Info("step", "action", st.Action, "line", st.Line)
	switch st.Action {
	case "goto":
		c.seen[st.URL] = true
		if err := tab.Navigate(pctx, st.URL); err != nil {
			return err
		}
		c.settle(pctx, tab)
		c.annotate(pctx, tab)
		return nil
	case "click":
		if err := tab.Click(pctx, st.Selector); err != nil {
			return err
		}
	case "type":
		if err := tab.Type(pctx, st.Selector, st.Text); err != nil {
			return err
		}
	case "submit":
		if err := tab.Submit(pctx, st.Selector); err != nil {
			return err
		}
	case "wait":
		if st.Selector == "" {
			pctx = ctx // a scripted pause may exceed the page timeout
		}
		return wait(pctx, tab, st)
	case "screenshot":
		png, err := tab.Screenshot(pctx)
		if err != nil {
			return err
		}
		tab.UpdatePage(func(p *traffic.Page) { p.Screenshot = png })
		return nil
	default:
		return fmt.Errorf("unknown action %q", st.Action)
	}
	// An interaction may navigate or send requests: let them happen.
	c.afterAction(pctx, tab)
	return nil
}

// afterAction waits for what an interaction set off, including a page load
// it caused, and records the title of the page it ends on.
func (c *crawler) afterAction(ctx context.Context, tab *browser.Tab) {
	select {
	case <-time.After(100 * time.Millisecond): // let a navigation start
	case <-ctx.Done():
	}
	c.quiet(ctx, tab)
	c.annotate(ctx, tab)
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
