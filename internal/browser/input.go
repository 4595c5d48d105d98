package browser

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

type point struct {
	X, Y    float64
	Visible bool
}

// waitElement polls until an element matches sel, as a user waits for it.
func (t *Tab) waitElement(ctx context.Context, sel string) (point, error) {
	for {
		var p *point
		err := t.call(ctx, "element", &p, sel)
		if err == nil && p != nil {
			return *p, nil
		}
		select {
		case <-ctx.Done():
			// A script error is the finding, unless the timeout caused it.
			if err != nil && !errors.Is(err, ctx.Err()) && !strings.Contains(err.Error(), ctx.Err().Error()) {
				return point{}, fmt.Errorf("find %q: %w", sel, err)
			}
			return point{}, fmt.Errorf("no element matches %q: %w", sel, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// WaitSelector waits until an element matches sel.
func (t *Tab) WaitSelector(ctx context.Context, sel string) error {
	_, err := t.waitElement(ctx, sel)
	return err
}

// Click clicks the centre of the element matching sel with the mouse.
func (t *Tab) Click(ctx context.Context, sel string) error {
	p, err := t.waitElement(ctx, sel)
	if err != nil {
		return err
	}
	if !p.Visible {
		return fmt.Errorf("click %q: element is not visible", sel)
	}
	for _, typ := range []string{"mouseMoved", "mousePressed", "mouseReleased"} {
		params := map[string]any{"type": typ, "x": p.X, "y": p.Y, "button": "left", "clickCount": 1}
		if typ == "mouseMoved" {
			params["button"], params["clickCount"] = "none", 0
		}
		if err := t.c.b.call(ctx, t.s.id, "Input.dispatchMouseEvent", params, nil); err != nil {
			return fmt.Errorf("click %q: %w", sel, err)
		}
	}
	return nil
}

// Type focuses the element matching sel and types text key by key, so
// every keystroke fires its events as a person's would.
func (t *Tab) Type(ctx context.Context, sel, text string) error {
	if _, err := t.waitElement(ctx, sel); err != nil {
		return err
	}
	var focused bool
	if err := t.call(ctx, "focus", &focused, sel); err != nil {
		return fmt.Errorf("type into %q: %w", sel, err)
	}
	if !focused {
		return fmt.Errorf("type into %q: element cannot take focus", sel)
	}
	return t.Keys(ctx, text)
}

// Keys types text into the focused element key by key.
func (t *Tab) Keys(ctx context.Context, text string) error {
	for _, r := range text {
		down := map[string]any{"type": "keyDown", "key": string(r), "text": string(r), "unmodifiedText": string(r)}
		up := map[string]any{"type": "keyUp", "key": string(r)}
		if r == '\n' || r == '\r' {
			down = map[string]any{"type": "keyDown", "key": "Enter", "code": "Enter", "text": "\r",
				"windowsVirtualKeyCode": 13}
			up = map[string]any{"type": "keyUp", "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13}
		}
		for _, ev := range []map[string]any{down, up} {
			if err := t.c.b.call(ctx, t.s.id, "Input.dispatchKeyEvent", ev, nil); err != nil {
				return fmt.Errorf("type: %w", err)
			}
		}
	}
	return nil
}

// Submit submits the form of the element matching sel.
func (t *Tab) Submit(ctx context.Context, sel string) error {
	if _, err := t.waitElement(ctx, sel); err != nil {
		return err
	}
	var problem string
	if err := t.call(ctx, "submit", &problem, sel); err != nil {
		return fmt.Errorf("submit %q: %w", sel, err)
	}
	if problem != "" {
		return fmt.Errorf("submit %q: %s", sel, problem)
	}
	return nil
}

// Screenshot returns a PNG of the visible page.
func (t *Tab) Screenshot(ctx context.Context) ([]byte, error) {
	var res struct {
		Data string `json:"data"`
	}
	if err := t.c.b.call(ctx, t.s.id, "Page.captureScreenshot", map[string]any{"format": "png"}, &res); err != nil {
		return nil, fmt.Errorf("screenshot: %w", err)
	}
	png, err := base64.StdEncoding.DecodeString(res.Data)
	if err != nil {
		return nil, fmt.Errorf("screenshot: %w", err)
	}
	return png, nil
}

// Links returns the page's http(s) link targets, without fragments.
func (t *Tab) Links(ctx context.Context) ([]string, error) {
	var out []string
	if err := t.call(ctx, "links", &out); err != nil {
		return nil, fmt.Errorf("links: %w", err)
	}
	return out, nil
}

// Scroll scrolls down up to steps screens, pausing between them.
func (t *Tab) Scroll(ctx context.Context, steps int, pause time.Duration) error {
	if err := t.call(ctx, "scroll", nil, steps, pause.Milliseconds()); err != nil {
		return fmt.Errorf("scroll: %w", err)
	}
	return nil
}

// Title returns document.title.
func (t *Tab) Title(ctx context.Context) (string, error) {
	var title string
	raw, err := t.Eval(ctx, "document.title")
	if err != nil {
		return "", err
	}
	if err := jsonString(raw, &title); err != nil {
		return "", err
	}
	return title, nil
}

// CollectStorage records the local and session storage of the page and of
// its cross-site iframes into the context, reading the frames in parallel.
func (t *Tab) CollectStorage(ctx context.Context) error {
	b := t.c.b
	b.mu.Lock()
	if t.s.crashed || t.s.gone {
		b.mu.Unlock()
		return nil
	}
	t.stored = t.s.page
	ids := []string{t.s.id}
	for _, s := range b.sessions {
		if s.kind == "iframe" && s.root == t.s && !s.gone {
			ids = append(ids, s.id)
		}
	}
	b.mu.Unlock()
	js, _ := invocation(script("storage"))
	errs := make([]error, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = t.c.readStorage(ctx, id, js)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// readStorage reads one frame's storage into the context.
func (c *Context) readStorage(ctx context.Context, sessionID, js string) error {
	var st struct {
		Origin string `json:"origin"`
		Items  []struct {
			Kind, Key, Value string
		} `json:"items"`
	}
	raw, err := c.b.eval(ctx, sessionID, js)
	if err == nil {
		err = jsonString(raw, &st)
	}
	if err != nil || st.Origin == "null" || st.Origin == "" {
		return err
	}
	items := make([]traffic.StorageItem, 0, len(st.Items))
	for _, it := range st.Items {
		items = append(items, traffic.StorageItem{Origin: st.Origin, Kind: it.Kind, Key: it.Key, Value: it.Value})
	}
	c.addStorage(items)
	return nil
}

func (c *Context) addStorage(items []traffic.StorageItem) {
	c.b.mu.Lock()
	defer c.b.mu.Unlock()
	for _, it := range items {
		dup := false
		for _, have := range c.storage {
			if have == it {
				dup = true
				break
			}
		}
		if !dup {
			c.storage = append(c.storage, it)
		}
	}
}
