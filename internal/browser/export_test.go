package browser

import "context"

// Crash makes the tab's renderer crash, for tests of crash handling.
// It does not wait: a crashing renderer never answers.
func (t *Tab) Crash(context.Context) {
	t.c.b.send(t.s.id, "Page.crash", nil)
}
