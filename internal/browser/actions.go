package browser

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
)

// keyDef is how Chromium's input layer names a key that types no character
// (or a control character, for Enter and Tab).
type keyDef struct {
	code string
	vk   int
	text string
}

// namedKeys are the keys Press knows by name, as KeyboardEvent.key spells them.
var namedKeys = map[string]keyDef{
	"Enter": {"Enter", 13, "\r"}, "Tab": {"Tab", 9, ""}, "Escape": {"Escape", 27, ""},
	"Backspace": {"Backspace", 8, ""}, "Delete": {"Delete", 46, ""}, "Space": {"Space", 32, " "},
	"ArrowUp": {"ArrowUp", 38, ""}, "ArrowDown": {"ArrowDown", 40, ""},
	"ArrowLeft": {"ArrowLeft", 37, ""}, "ArrowRight": {"ArrowRight", 39, ""},
	"Home": {"Home", 36, ""}, "End": {"End", 35, ""}, "PageUp": {"PageUp", 33, ""},
	"PageDown": {"PageDown", 34, ""},
}

// KeyNames lists the key names Press accepts besides single characters.
func KeyNames() []string {
	out := make([]string, 0, len(namedKeys))
	for k := range namedKeys {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// ValidKey reports whether Press understands key.
func ValidKey(key string) bool {
	_, named := namedKeys[key]
	return named || len([]rune(key)) == 1
}

// keyEvents are the keyDown and keyUp events of one key press.
func keyEvents(key string) ([2]map[string]any, error) {
	if d, ok := namedKeys[key]; ok {
		name := key
		if key == "Space" {
			name = " "
		}
		down := map[string]any{"type": "rawKeyDown", "key": name, "code": d.code, "windowsVirtualKeyCode": d.vk}
		if d.text != "" {
			down["type"], down["text"], down["unmodifiedText"] = "keyDown", d.text, d.text
		}
		up := map[string]any{"type": "keyUp", "key": name, "code": d.code, "windowsVirtualKeyCode": d.vk}
		return [2]map[string]any{down, up}, nil
	}
	if len([]rune(key)) != 1 {
		return [2]map[string]any{}, fmt.Errorf("unknown key %q; want one character or one of %s",
			key, strings.Join(KeyNames(), ", "))
	}
	return [2]map[string]any{
		{"type": "keyDown", "key": key, "text": key, "unmodifiedText": key},
		{"type": "keyUp", "key": key},
	}, nil
}

// Press presses one key (a character, or a name such as Enter, Tab,
// Escape, ArrowDown) in the focused element, or in the element matching
// sel when sel is not empty.
func (t *Tab) Press(ctx context.Context, sel, key string) error {
	evs, err := keyEvents(key)
	if err != nil {
		return err
	}
	if sel != "" {
		if err := t.focus(ctx, sel); err != nil {
			return err
		}
	}
	for _, ev := range evs {
		if err := t.c.b.call(ctx, t.s.id, "Input.dispatchKeyEvent", ev, nil); err != nil {
			return fmt.Errorf("press %s: %w", key, err)
		}
	}
	return nil
}

func (t *Tab) focus(ctx context.Context, sel string) error {
	if _, err := t.waitElement(ctx, sel); err != nil {
		return err
	}
	var focused bool
	if err := t.call(ctx, "focus", &focused, sel); err != nil {
		return fmt.Errorf("focus %q: %w", sel, err)
	}
	if !focused {
		return fmt.Errorf("focus %q: element cannot take focus", sel)
	}
	return nil
}

// TypeDelay is Type with a pause after every key, for pages that react to
// typing speed or debounce their input handlers.
func (t *Tab) TypeDelay(ctx context.Context, sel, text string, delay time.Duration) error {
	if err := t.focus(ctx, sel); err != nil {
		return fmt.Errorf("type into %q: %w", sel, err)
	}
	for _, r := range text {
		if err := t.Keys(ctx, string(r)); err != nil {
			return err
		}
		if delay > 0 {
			select {
			case <-time.After(delay):
			case <-ctx.Done():
				return fmt.Errorf("type into %q: %w", sel, ctx.Err())
			}
		}
	}
	return nil
}

// Hover moves the mouse over the centre of the element matching sel.
func (t *Tab) Hover(ctx context.Context, sel string) error {
	p, err := t.waitElement(ctx, sel)
	if err != nil {
		return err
	}
	if !p.Visible {
		return fmt.Errorf("hover %q: element is not visible", sel)
	}
	params := map[string]any{"type": "mouseMoved", "x": p.X, "y": p.Y, "button": "none"}
	if err := t.c.b.call(ctx, t.s.id, "Input.dispatchMouseEvent", params, nil); err != nil {
		return fmt.Errorf("hover %q: %w", sel, err)
	}
	return nil
}

// ScrollTo scrolls the element matching sel into view.
func (t *Tab) ScrollTo(ctx context.Context, sel string) error {
	_, err := t.waitElement(ctx, sel) // scrolls it into the middle of the view
	return err
}

type controlResult struct {
	Problem string `json:"problem"`
	Checked bool   `json:"checked"`
}

func (t *Tab) control(ctx context.Context, sel, op, value string) (controlResult, error) {
	var res controlResult
	if _, err := t.waitElement(ctx, sel); err != nil {
		return res, err
	}
	if err := t.call(ctx, "control", &res, sel, op, value); err != nil {
		return res, fmt.Errorf("%s %q: %w", op, sel, err)
	}
	if res.Problem != "" {
		return res, fmt.Errorf("%s %q: %s", op, sel, res.Problem)
	}
	return res, nil
}

// Select chooses the option of a <select> whose value (or else label) is
// value, firing input and change.
func (t *Tab) Select(ctx context.Context, sel, value string) error {
	_, err := t.control(ctx, sel, "select", value)
	return err
}

// Clear empties a text field, firing input and change.
func (t *Tab) Clear(ctx context.Context, sel string) error {
	_, err := t.control(ctx, sel, "clear", "")
	return err
}

// SetChecked clicks a checkbox or radio button unless it already is in the
// wanted state, so the page's click listeners fire as for a person.
func (t *Tab) SetChecked(ctx context.Context, sel string, checked bool) error {
	res, err := t.control(ctx, sel, "checked", "")
	if err != nil || res.Checked == checked {
		return err
	}
	return t.Click(ctx, sel)
}

// HasText reports whether the page's visible text contains text.
func (t *Tab) HasText(ctx context.Context, text string) (bool, error) {
	var ok bool
	if err := t.call(ctx, "text", &ok, text); err != nil {
		return false, fmt.Errorf("look for text: %w", err)
	}
	return ok, nil
}
