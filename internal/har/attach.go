package har

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// attachedContent fills a response body from Playwright's content._file:
// kept up to the response body cap, else dropped with its size known.
func (s *streamer) attachedContent(resp *traffic.Response, name string, idx int) {
	b, n, err := s.attachment(name, int64(s.max))
	if err != nil {
		s.warnEntry(idx, "response.content._file: %v", err)
		return
	}
	if resp.BodySize < 0 {
		resp.BodySize = n
	}
	resp.Body = nilIfEmpty(b)
}

// isWebSocketEntry says whether the entry is a WebSocket whose frames
// Playwright attached as JSON lines (content._file "<guid>.jsonl").
func isWebSocketEntry(e *harEntry) bool {
	if e.Response == nil || e.Response.Content == nil || !strings.HasSuffix(strings.ToLower(e.Response.Content.File), ".jsonl") {
		return false
	}
	u := ""
	if e.Request != nil {
		u = strings.ToLower(e.Request.URL)
	}
	return strings.EqualFold(string(e.ResourceType), "websocket") || strings.HasPrefix(u, "ws:") || strings.HasPrefix(u, "wss:")
}

// attachedFrames reads a WebSocket's frames from a Playwright attachment:
// one message per line, in _webSocketMessages' shape. The attachment is
// held to the entry budget (MaxEntry) and its lines to MaxItems.
func (s *streamer) attachedFrames(name string, idx int) []harWSMessage {
	lim := s.opts.limits()
	b, n, err := s.attachment(name, lim.entry)
	if err != nil {
		s.warnEntry(idx, "WebSocket frames in response.content._file: %v", err)
		return nil
	}
	if b == nil && n > 0 {
		s.warnEntry(idx, "WebSocket frames in response.content._file %q: %s is over the entry budget (MaxEntry), dropped", name, FormatSize(n))
		return nil
	}
	var out []harWSMessage
	bad := 0
	for line := range bytes.SplitSeq(b, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		if len(out) == lim.items {
			s.warnEntry(idx, "WebSocket frames in %q: more than %d, the rest dropped (MaxItems)", name, lim.items)
			break
		}
		var m harWSMessage
		if json.Unmarshal(line, &m) != nil {
			bad++
			continue
		}
		out = append(out, m)
	}
	if bad > 0 {
		s.warnEntry(idx, "WebSocket frames in %q: %d lines are not frames, skipped", name, bad)
	}
	return out
}

// msFrameTime is where a frame time in seconds stops being plausible
// (year 5138): Chrome writes seconds, Playwright milliseconds.
const msFrameTime = 1e11

// parseFrameTime reads a WebSocket frame time, Unix seconds or, past
// msFrameTime, milliseconds, exactly.
func parseFrameTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < msFrameTime {
		return parseUnix(s)
	}
	whole, frac, _ := strings.Cut(s, ".")
	if strings.ContainsAny(s, "eE+") || len(whole) < 4 {
		return parseUnix(strconv.FormatFloat(f/1000, 'f', -1, 64))
	}
	return parseUnix(whole[:len(whole)-3] + "." + whole[len(whole)-3:] + frac)
}
