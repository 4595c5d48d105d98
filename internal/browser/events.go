package browser

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

func onWSCreated(c *Context, s *session, raw json.RawMessage) {
	var ev struct {
		RequestID string       `json:"requestId"`
		URL       string       `json:"url"`
		Initiator cdpInitiator `json:"initiator"`
	}
	if !c.decode("onWSCreated", raw, &ev) {
		return
	}
	f := c.flightFor(s, ev.RequestID)
	r := &traffic.Request{URL: ev.URL, Method: "GET", ResourceType: "websocket",
		Initiator: ev.Initiator.initiator(), Started: time.Now().UTC()}
	c.placeRequest(s, r, "", false)
	r.PageID = c.pageFor(s)
	c.add(r)
	f.hops = append(f.hops, r)
}

func onWSHandshake(c *Context, s *session, raw json.RawMessage) {
	var ev struct {
		RequestID string  `json:"requestId"`
		WallTime  float64 `json:"wallTime"`
		Request   struct {
			Headers cdpHeaders `json:"headers"`
		} `json:"request"`
	}
	if !c.decode("onWSHandshake", raw, &ev) {
		return
	}
	r := c.flightFor(s, ev.RequestID).last()
	if r == nil {
		return
	}
	if ev.WallTime > 0 {
		r.Started = wall(ev.WallTime)
	}
	r.Headers = ev.Request.Headers.headers()
	if len(r.Cookies) == 0 {
		r.Cookies = cookieHeader(r.Headers)
	}
}

func onWSResponse(c *Context, s *session, raw json.RawMessage) {
	var ev struct {
		RequestID string      `json:"requestId"`
		Response  cdpResponse `json:"response"`
	}
	if !c.decode("onWSResponse", raw, &ev) {
		return
	}
	r := c.flightFor(s, ev.RequestID).last()
	if r == nil {
		return
	}
	r.Response = ev.Response.response()
	r.Response.BodySize = 0
	if h := ev.Response.RequestHeaders.headers(); len(h) > 0 {
		// The raw handshake headers include the cookies actually sent.
		r.Headers = h
		r.Cookies = cookieHeader(h)
	}
}

func onWSFrame(sent bool) handler {
	return func(c *Context, s *session, raw json.RawMessage) {
		var ev struct {
			RequestID string  `json:"requestId"`
			Timestamp float64 `json:"timestamp"`
			Response  struct {
				Opcode      int    `json:"opcode"`
				PayloadData string `json:"payloadData"`
			} `json:"response"`
		}
		if !c.decode("onWSFrame", raw, &ev) {
			return
		}
		r := c.flightFor(s, ev.RequestID).last()
		if r == nil {
			return
		}
		data := []byte(ev.Response.PayloadData)
		if ev.Response.Opcode == 2 {
			if b, err := base64.StdEncoding.DecodeString(ev.Response.PayloadData); err == nil {
				data = b
			}
		}
		at := time.Now().UTC()
		if s.clock != 0 && ev.Timestamp > 0 {
			at = wall(s.clock + ev.Timestamp)
		}
		r.WebSocket = append(r.WebSocket, traffic.WebSocketFrame{Time: at, Sent: sent,
			Opcode: ev.Response.Opcode, Data: data})
	}
}

func onWSError(c *Context, s *session, raw json.RawMessage) {
	var ev struct {
		RequestID    string `json:"requestId"`
		ErrorMessage string `json:"errorMessage"`
	}
	if !c.decode("onWSError", raw, &ev) {
		return
	}
	if r := c.flightFor(s, ev.RequestID).last(); r != nil {
		r.Error = ev.ErrorMessage
	}
}

func onFrameNavigated(c *Context, s *session, raw json.RawMessage) {
	var ev struct {
		Frame struct {
			ID          string `json:"id"`
			ParentID    string `json:"parentId"`
			URL         string `json:"url"`
			URLFragment string `json:"urlFragment"`
		} `json:"frame"`
	}
	if !c.decode("onFrameNavigated", raw, &ev) {
		return
	}
	u := ev.Frame.URL + ev.Frame.URLFragment
	s.frames[ev.Frame.ID] = u
	if s.kind == "page" && ev.Frame.ParentID == "" {
		s.url = u
		// Chromium's error page (a failed navigation) is not the page that
		// was visited: keep the URL that was asked for.
		if s.page != nil && u != "about:blank" && !strings.HasPrefix(u, "chrome-error:") {
			s.page.URL = u
		}
	}
}

// onSameDocument follows history.pushState and fragment changes of the
// top document, so Tab.URL is what the address bar shows.
func onSameDocument(c *Context, s *session, raw json.RawMessage) {
	var ev struct {
		FrameID string `json:"frameId"`
		URL     string `json:"url"`
	}
	if !c.decode("onSameDocument", raw, &ev) || s.kind != "page" || ev.FrameID != s.targetID {
		return
	}
	s.url = ev.URL
	s.frames[ev.FrameID] = ev.URL
	s.notify()
}

func onLoad(c *Context, s *session, _ json.RawMessage) {
	if s.kind == "page" {
		s.loads++
		s.notify()
	}
}

func onDialog(c *Context, s *session, raw json.RawMessage) {
	var ev struct {
		URL     string `json:"url"`
		Message string `json:"message"`
		Type    string `json:"type"`
	}
	if !c.decode("onDialog", raw, &ev) {
		return
	}
	c.countDialog(ev.Type, ev.URL, ev.Message)
	if s.root != nil {
		s.root.dialogs++
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		// Dismiss, except that leaving a page must stay possible.
		_ = c.b.call(ctx, s.id, "Page.handleJavaScriptDialog",
			map[string]any{"accept": ev.Type == "beforeunload"}, nil)
	}()
}

func onCrash(c *Context, s *session, _ json.RawMessage) {
	if s.root == nil {
		return
	}
	s.root.crashed = true
	if p := s.root.page; p != nil && p.Error == "" {
		p.Error = "renderer crashed"
	}
	c.warnings = append(c.warnings, "renderer crashed on "+s.url)
	s.root.notify()
}

// dialogKey groups the dialogs of a page that repeat the same message.
type dialogKey struct{ kind, url, msg string }

// countDialog counts a dismissed dialog; repeats are counted, not listed,
// so a page looping on alert() costs one warning. The caller holds b.mu.
func (c *Context) countDialog(kind, url, msg string) {
	if len(msg) > 200 {
		msg = msg[:200] + "..."
	}
	k := dialogKey{kind, url, msg}
	if c.dialogs[k] == 0 {
		c.dialogOrder = append(c.dialogOrder, k)
	}
	c.dialogs[k]++
}

// dialogWarnings describes the dismissed dialogs in the order first seen.
func (c *Context) dialogWarnings() []string {
	var out []string
	for _, k := range c.dialogOrder {
		n := c.dialogs[k]
		if n == 1 {
			out = append(out, fmt.Sprintf("dismissed %s dialog on %s: %q", k.kind, k.url, k.msg))
			continue
		}
		out = append(out, fmt.Sprintf("%s dialog dismissed %s times on %s: %q", k.kind, thousands(n), k.url, k.msg))
	}
	return out
}

// thousands formats n with comma thousands separators: 2,048.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
