package browser

import (
	"context"
	"encoding/json"
	"sort"
)

// FrameResult is what an expression gave in one out-of-process iframe.
type FrameResult struct {
	// URL is the frame's URL as last known to its target; it may be empty
	// for a frame that has not navigated since it attached.
	URL   string
	Value json.RawMessage
	Err   error
}

// EvalFrames evaluates js in each out-of-process iframe of the tab (a
// cross-site iframe runs in a target of its own, which the page's scripts
// cannot reach), sorted by frame URL. Same-site iframes run in the page's
// process and are reached from the page with contentDocument.
func (t *Tab) EvalFrames(ctx context.Context, js string) []FrameResult {
	b := t.c.b
	type frame struct{ id, url string }
	var frames []frame
	b.mu.Lock()
	for _, s := range b.sessions {
		if s.kind == "iframe" && s.root == t.s && !s.gone {
			frames = append(frames, frame{s.id, s.url})
		}
	}
	b.mu.Unlock()
	sort.Slice(frames, func(i, j int) bool {
		if frames[i].url != frames[j].url {
			return frames[i].url < frames[j].url
		}
		return frames[i].id < frames[j].id
	})
	out := make([]FrameResult, 0, len(frames))
	for _, f := range frames {
		v, err := b.eval(ctx, f.id, js)
		out = append(out, FrameResult{URL: f.url, Value: v, Err: err})
	}
	return out
}
