package browsertest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/browser"
)

// DefaultTimeout bounds each call a Page makes.
const DefaultTimeout = 30 * time.Second

// Page drives one tab for a test: every call is bounded by Timeout, and
// every method but EvalErr fails the test when the browser fails.
type Page struct {
	Tab     *browser.Tab
	Timeout time.Duration
	tb      testing.TB
}

// NewPage wraps tab for tb.
func NewPage(tb testing.TB, tab *browser.Tab) *Page {
	return &Page{Tab: tab, Timeout: DefaultTimeout, tb: tb}
}

// Page opens a tab in a fresh isolated context, closed with the test.
func (e *Env) Page(tb testing.TB) *Page { return NewPage(tb, e.Tab(tb)) }

func (p *Page) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), p.Timeout)
}

// check fails the test on err.
func (p *Page) check(err error, what string, args ...any) {
	p.tb.Helper()
	if err != nil {
		p.tb.Fatalf("%s: %v", fmt.Sprintf(what, args...), err)
	}
}

// Call sends a DevTools command to the tab's page and decodes its result
// into result, unless nil.
func (p *Page) Call(method string, params, result any) {
	p.tb.Helper()
	ctx, cancel := p.ctx()
	defer cancel()
	p.check(p.Tab.Call(ctx, method, params, result), "%s", method)
}

// Navigate loads u and waits for its load event.
func (p *Page) Navigate(u string) {
	p.tb.Helper()
	ctx, cancel := p.ctx()
	defer cancel()
	p.check(p.Tab.Navigate(ctx, u), "navigate")
}

// SetContent replaces the page's document with html and waits until it
// has loaded.
func (p *Page) SetContent(html string) {
	p.tb.Helper()
	var tree struct {
		FrameTree struct {
			Frame struct {
				ID string `json:"id"`
			} `json:"frame"`
		} `json:"frameTree"`
	}
	p.Call("Page.getFrameTree", nil, &tree)
	p.Call("Page.setDocumentContent", map[string]any{"frameId": tree.FrameTree.Frame.ID, "html": html}, nil)
	p.WaitTrue(`() => document.readyState === "complete"`)
}

// Eval calls the JavaScript function fn (e.g. "(a, b) => a + b") with args
// passed as JSON, awaits a promise it returns, and decodes its JSON value
// into out, unless nil.
func (p *Page) Eval(out any, fn string, args ...any) {
	p.tb.Helper()
	raw, err := p.EvalErr(fn, args...)
	p.check(err, "evaluate %.80s", fn)
	if out != nil {
		p.check(json.Unmarshal(raw, out), "decode result of %.80s", fn)
	}
}

// EvalErr is Eval returning the raw JSON value or the error, for tests that
// expect a script to fail.
func (p *Page) EvalErr(fn string, args ...any) (json.RawMessage, error) {
	parts := make([]string, len(args))
	for i, a := range args {
		b, err := json.Marshal(a)
		if err != nil {
			return nil, fmt.Errorf("script argument %d: %w", i, err)
		}
		parts[i] = string(b)
	}
	ctx, cancel := p.ctx()
	defer cancel()
	return p.Tab.Eval(ctx, "("+fn+")("+strings.Join(parts, ",")+")")
}

// Int evaluates fn and returns its number value.
func (p *Page) Int(fn string, args ...any) (n int) {
	p.tb.Helper()
	p.Eval(&n, fn, args...)
	return n
}

// Str evaluates fn and returns its string value.
func (p *Page) Str(fn string, args ...any) (s string) {
	p.tb.Helper()
	p.Eval(&s, fn, args...)
	return s
}

// Bool evaluates fn and returns its boolean value.
func (p *Page) Bool(fn string, args ...any) (ok bool) {
	p.tb.Helper()
	p.Eval(&ok, fn, args...)
	return ok
}

// WaitTrue polls fn until it returns true.
func (p *Page) WaitTrue(fn string, args ...any) {
	p.tb.Helper()
	deadline := time.Now().Add(p.Timeout)
	for !p.Bool(fn, args...) {
		if time.Now().After(deadline) {
			p.tb.Fatalf("%.80s stayed false for %s", fn, p.Timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Text returns the innerText of the element matching sel, waiting for it.
func (p *Page) Text(sel string) string {
	p.tb.Helper()
	p.WaitSelector(sel)
	return p.Str(`(sel) => document.querySelector(sel).innerText`, sel)
}

// Visible reports whether the element matching sel, waited for, has a box
// on the page and is not hidden by its style.
func (p *Page) Visible(sel string) bool {
	p.tb.Helper()
	p.WaitSelector(sel)
	return p.Bool(`(sel) => { const e = document.querySelector(sel), r = e.getBoundingClientRect();
		return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== "hidden"; }`, sel)
}

// Screenshot returns a PNG of the viewport, or of the whole page when full.
func (p *Page) Screenshot(full bool) []byte {
	p.tb.Helper()
	params := map[string]any{"format": "png"}
	if full {
		var m struct {
			Size struct {
				Width  float64 `json:"width"`
				Height float64 `json:"height"`
			} `json:"cssContentSize"`
		}
		p.Call("Page.getLayoutMetrics", nil, &m)
		params["captureBeyondViewport"] = true
		params["clip"] = map[string]any{"x": 0, "y": 0, "width": m.Size.Width, "height": m.Size.Height, "scale": 1}
	}
	var res struct {
		Data string `json:"data"`
	}
	p.Call("Page.captureScreenshot", params, &res)
	png, err := base64.StdEncoding.DecodeString(res.Data)
	p.check(err, "decode screenshot")
	return png
}

// EmulateMedia makes CSS see media ("print", "screen"; "" for none).
func (p *Page) EmulateMedia(media string) {
	p.tb.Helper()
	p.Call("Emulation.setEmulatedMedia", map[string]any{"media": media}, nil)
}

// SetViewport emulates a screen of width × height CSS pixels at scale
// device pixels each, as a phone's when mobile.
func (p *Page) SetViewport(width, height int, scale float64, mobile bool) {
	p.tb.Helper()
	p.Call("Emulation.setDeviceMetricsOverride", map[string]any{"width": width, "height": height,
		"deviceScaleFactor": scale, "mobile": mobile}, nil)
}
