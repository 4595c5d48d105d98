package browser

import (
	"encoding/json"
	"fmt"
	"sort"
)

// badEvent is a kind of CDP event that failed to decode.
type badEvent struct {
	count int
	first string
}

// decode unmarshals a CDP event's parameters into v. An event that does not
// decode (a protocol change, a truncated message) is not dropped silently:
// it is counted per handler and reported once in the capture's warnings,
// since a request it described may be missing. Called with b.mu held, as
// every handler is.
func (c *Context) decode(handler string, raw json.RawMessage, v any) bool {
	err := json.Unmarshal(raw, v)
	if err == nil {
		return true
	}
	if c.badEvents == nil {
		c.badEvents = map[string]*badEvent{}
	}
	e := c.badEvents[handler]
	if e == nil {
		e = &badEvent{first: err.Error()}
		c.badEvents[handler] = e
	}
	e.count++
	return false
}

// eventWarnings says which events could not be read, sorted by handler.
func (c *Context) eventWarnings() []string {
	names := make([]string, 0, len(c.badEvents))
	for n := range c.badEvents {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]string, 0, len(names))
	for _, n := range names {
		e := c.badEvents[n]
		out = append(out, fmt.Sprintf("%d browser event(s) for %s could not be decoded and were skipped (what they "+
			"described may be missing from the capture): %s", e.count, n, e.first))
	}
	return out
}
