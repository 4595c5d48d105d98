package browser

import (
	"encoding/json"
	"fmt"
	"sort"
)

// badEvents counts CDP messages that failed to decode, by the handler that
// read them, with the first error of each. A message that does not decode (a
// protocol change, a truncated or hostile payload) is never dropped
// silently: a request it described may be missing, and the capture says so.
type badEvents map[string]*badEvent

// badEvent is one handler's count and first error.
type badEvent struct {
	count int
	first string
}

// add counts a failure of handler.
func (m *badEvents) add(handler string, err error) {
	if *m == nil {
		*m = badEvents{}
	}
	e := (*m)[handler]
	if e == nil {
		e = &badEvent{first: err.Error()}
		(*m)[handler] = e
	}
	e.count++
}

// warnings says which events could not be read, sorted by handler.
func (m badEvents) warnings() []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]string, 0, len(names))
	for _, n := range names {
		e := m[n]
		out = append(out, fmt.Sprintf("%d browser event(s) for %s could not be decoded and were skipped (what they "+
			"described may be missing from the capture): %s", e.count, n, e.first))
	}
	return out
}

// decode unmarshals a CDP event's parameters into v, counting a failure
// against handler. Called with b.mu held, as every handler is.
func (c *Context) decode(handler string, raw json.RawMessage, v any) bool {
	if err := json.Unmarshal(raw, v); err != nil {
		c.events.add(handler, err)
		return false
	}
	return true
}

// decode unmarshals the parameters of a browser-level event (targets
// attached and detached), which belong to no context yet; failures are
// reported in every context's capture. The caller holds b.mu.
func (b *Browser) decode(handler string, raw json.RawMessage, v any) bool {
	if err := json.Unmarshal(raw, v); err != nil {
		b.events.add(handler, err)
		return false
	}
	return true
}
