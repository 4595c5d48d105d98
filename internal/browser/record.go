package browser

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// flight is one CDP request ID: a request and its redirect hops, each hop a
// separate traffic.Request, and the extra-info events matched to them by order.
type flight struct {
	s           *session
	id          string
	hops        []*traffic.Request
	reqExtra    []requestExtra
	respExtra   []responseExtra
	appliedReq  int
	appliedResp int
	done        bool
}

func (f *flight) last() *traffic.Request {
	if len(f.hops) == 0 {
		return nil
	}
	return f.hops[len(f.hops)-1]
}

// handler handles one event of a session; the caller holds Browser.mu.
type handler func(c *Context, s *session, params json.RawMessage)

// handlers maps DevTools events to what is recorded from them.
var handlers = map[string]handler{
	"Network.requestWillBeSent":                  onRequest,
	"Network.requestWillBeSentExtraInfo":         onRequestExtra,
	"Network.responseReceived":                   onResponse,
	"Network.responseReceivedExtraInfo":          onResponseExtra,
	"Network.loadingFinished":                    onFinished,
	"Network.loadingFailed":                      onFailed,
	"Network.dataReceived":                       onData,
	"Network.webSocketCreated":                   onWSCreated,
	"Network.webSocketWillSendHandshakeRequest":  onWSHandshake,
	"Network.webSocketHandshakeResponseReceived": onWSResponse,
	"Network.webSocketFrameSent":                 onWSFrame(true),
	"Network.webSocketFrameReceived":             onWSFrame(false),
	"Network.webSocketFrameError":                onWSError,
	"Page.frameNavigated":                        onFrameNavigated,
	"Page.navigatedWithinDocument":               onSameDocument,
	"Page.loadEventFired":                        onLoad,
	"Page.javascriptDialogOpening":               onDialog,
	"Inspector.targetCrashed":                    onCrash,
	"Runtime.bindingCalled":                      onBinding,
}

func (c *Context) flightFor(s *session, requestID string) *flight {
	key := s.id + "/" + requestID
	f := c.live[key]
	if f == nil {
		f = &flight{s: s, id: requestID}
		c.live[key] = f
	}
	return f
}

func onRequest(c *Context, s *session, raw json.RawMessage) {
	var ev requestWillBeSent
	if !c.decode("onRequest", raw, &ev) {
		return
	}
	if !leaves(ev.Request.URL) {
		return
	}
	f := c.flightFor(s, ev.RequestID)
	if prev := f.last(); prev != nil && ev.RedirectResponse != nil {
		prev.Response = ev.RedirectResponse.response()
		prev.Response.RedirectURL = ev.Request.URL
		prev.Response.BodySize = 0
	}
	if ev.WallTime > 0 {
		s.clock = ev.WallTime - ev.Timestamp
	}
	r := &traffic.Request{
		URL:          ev.Request.URL, // the fragment never leaves the browser
		Method:       ev.Request.Method,
		Headers:      ev.Request.Headers.headers(),
		Body:         ev.Request.body(),
		ResourceType: strings.ToLower(ev.Type),
		Initiator:    ev.Initiator.initiator(),
		Started:      wall(ev.WallTime),
	}
	r.BodyMIME = r.Headers.Get("Content-Type")
	c.placeRequest(s, r, ev.FrameID, ev.Type == "Document")
	if s.kind == "page" && ev.Type == "Document" && ev.FrameID == s.targetID && ev.RedirectResponse == nil {
		s.page = c.newPage(r.URL, r.Started)
		// What the previous document left in flight no longer holds this one up.
		clear(s.inflight)
	}
	r.PageID = c.pageFor(s)
	c.add(r)
	f.hops = append(f.hops, r)
	f.done = false
	c.applyExtras(f)
	if ev.Request.HasPostData {
		// A Blob body the page reported just before sending (blobs.js).
		blob, ok := c.takeBlob(r.URL)
		switch {
		case len(r.Body) > 0:
		case ok:
			r.Body = blob
		default:
			c.fetchPostData(s, ev.RequestID, r)
		}
	}
	c.busy(s, f, true)
}

// placeRequest fills the frame and target of a request from session s.
func (c *Context) placeRequest(s *session, r *traffic.Request, frameID string, document bool) {
	r.FrameID = frameID
	if r.FrameID == "" {
		r.FrameID = s.targetID
	}
	switch {
	case s.kind == "page" && r.FrameID != s.targetID:
		r.Target = "iframe"
	default:
		r.Target = s.kind
	}
	switch u := s.frames[r.FrameID]; {
	case document:
		r.FrameURL = r.URL // the frame is navigating to it
	case u != "":
		r.FrameURL = u
	default:
		r.FrameURL = s.url // a worker: its script URL
	}
}

func (c *Context) add(r *traffic.Request) {
	r.Index = len(c.reqs)
	c.reqs = append(c.reqs, r)
}

func (c *Context) newPage(u string, started time.Time) *traffic.Page {
	if started.IsZero() {
		started = time.Now().UTC()
	}
	p := &traffic.Page{ID: fmt.Sprintf("page_%d", len(c.pages)+1), URL: u, Started: started}
	c.pages = append(c.pages, p)
	return p
}

// pageFor is the page a request of session s belongs to. Service and shared
// workers belong to no page: they get the latest page of their origin, else
// the latest page.
func (c *Context) pageFor(s *session) string {
	if s.root != nil {
		if s.root.page != nil {
			return s.root.page.ID
		}
		return ""
	}
	origin := originOf(s.url)
	for i := len(c.pages) - 1; i >= 0; i-- {
		if originOf(c.pages[i].URL) == origin {
			return c.pages[i].ID
		}
	}
	if len(c.pages) > 0 {
		return c.pages[len(c.pages)-1].ID
	}
	return ""
}

// leaves reports whether a URL is fetched from the network (not data:,
// blob:, chrome: or about: URLs, which never leave the browser).
func leaves(raw string) bool {
	i := strings.IndexByte(raw, ':')
	if i < 0 {
		return false
	}
	switch strings.ToLower(raw[:i]) {
	case "http", "https", "ws", "wss":
		return true
	}
	return false
}

func originOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// busy marks a request of s's page in flight or finished, for WaitQuiet.
func (c *Context) busy(s *session, f *flight, on bool) {
	root := s.root
	if root == nil {
		return
	}
	root.activity = time.Now().UnixNano()
	key := s.id + "/" + f.id
	if on {
		root.inflight[key] = 0
	} else {
		delete(root.inflight, key)
	}
}

func onRequestExtra(c *Context, s *session, raw json.RawMessage) {
	var ev requestExtra
	if !c.decode("onRequestExtra", raw, &ev) {
		return
	}
	f := c.flightFor(s, ev.RequestID)
	f.reqExtra = append(f.reqExtra, ev)
	c.applyExtras(f)
}

func onResponseExtra(c *Context, s *session, raw json.RawMessage) {
	var ev responseExtra
	if !c.decode("onResponseExtra", raw, &ev) {
		return
	}
	f := c.flightFor(s, ev.RequestID)
	f.respExtra = append(f.respExtra, ev)
	c.applyExtras(f)
}

// applyExtras gives the i-th extra-info event to the i-th hop.
func (c *Context) applyExtras(f *flight) {
	for f.appliedReq < len(f.reqExtra) && f.appliedReq < len(f.hops) {
		ex, r := f.reqExtra[f.appliedReq], f.hops[f.appliedReq]
		if h := ex.Headers.headers(); len(h) > 0 {
			r.Headers = h
		}
		r.Cookies = nil
		for _, ac := range ex.AssociatedCookies {
			if len(ac.BlockedReasons) == 0 {
				r.Cookies = append(r.Cookies, ac.Cookie.cookie())
			}
		}
		f.appliedReq++
	}
	for f.appliedResp < len(f.respExtra) && f.appliedResp < len(f.hops) && f.hops[f.appliedResp].Response != nil {
		ex, resp := f.respExtra[f.appliedResp], f.hops[f.appliedResp].Response
		if h := ex.Headers.headers(); len(h) > 0 {
			resp.Headers = h
			resp.Cookies = setCookies(h)
		}
		if ex.StatusCode != 0 {
			resp.Status = ex.StatusCode
		}
		f.appliedResp++
	}
}

func onResponse(c *Context, s *session, raw json.RawMessage) {
	var ev struct {
		RequestID string      `json:"requestId"`
		Response  cdpResponse `json:"response"`
	}
	if !c.decode("onResponse", raw, &ev) {
		return
	}
	f := c.flightFor(s, ev.RequestID)
	r := f.last()
	if r == nil {
		return
	}
	r.Response = ev.Response.response()
	r.HTTPVersion = ev.Response.Protocol
	if len(r.Headers) == 0 && len(ev.Response.RequestHeaders) > 0 {
		r.Headers = ev.Response.RequestHeaders.headers()
	}
	c.applyExtras(f)
	if s.root != nil {
		now := time.Now().UnixNano()
		s.root.activity = now
		if _, ok := s.root.inflight[s.id+"/"+f.id]; ok {
			s.root.inflight[s.id+"/"+f.id] = now
		}
	}
}

func onFinished(c *Context, s *session, raw json.RawMessage) {
	var ev struct {
		RequestID         string  `json:"requestId"`
		EncodedDataLength float64 `json:"encodedDataLength"`
	}
	if !c.decode("onFinished", raw, &ev) {
		return
	}
	f := c.flightFor(s, ev.RequestID)
	f.done = true
	c.busy(s, f, false)
	r := f.last()
	if r == nil || r.Response == nil {
		return
	}
	r.Response.BodySize = int64(ev.EncodedDataLength)
	if c.wantBody(r, int64(ev.EncodedDataLength)) {
		c.fetchBody(s, ev.RequestID, r)
	}
}

func onFailed(c *Context, s *session, raw json.RawMessage) {
	var ev struct {
		RequestID       string `json:"requestId"`
		ErrorText       string `json:"errorText"`
		Canceled        bool   `json:"canceled"`
		BlockedReason   string `json:"blockedReason"`
		CorsErrorStatus *struct {
			CorsError       string `json:"corsError"`
			FailedParameter string `json:"failedParameter"`
		} `json:"corsErrorStatus"`
	}
	if !c.decode("onFailed", raw, &ev) {
		return
	}
	f := c.flightFor(s, ev.RequestID)
	f.done = true
	c.busy(s, f, false)
	r := f.last()
	if r == nil {
		return
	}
	msg := ev.ErrorText
	if ev.CorsErrorStatus != nil {
		msg += " (CORS: " + ev.CorsErrorStatus.CorsError
		if ev.CorsErrorStatus.FailedParameter != "" {
			msg += " " + ev.CorsErrorStatus.FailedParameter
		}
		msg += ")"
	}
	if ev.BlockedReason != "" {
		msg += " (blocked: " + ev.BlockedReason + ")"
	}
	if ev.Canceled && msg == "" {
		msg = "canceled"
	}
	leaving := s.root == nil || s.root.leaving || s.root.gone
	if msg == "net::ERR_ABORTED" && (r.ResourceType == "ping" || leaving && r.Method != "GET") {
		// The page went away: a beacon or keepalive fetch is handed to the
		// browser and usually still arrives; only its answer is lost.
		msg += " (page left while sending: Chromium still sends beacons and keepalive requests; no answer recorded)"
	}
	r.Error = msg
}

// onData counts data arriving for a request in flight as activity; data of
// an abandoned request (a page left while loading) does not count.
func onData(c *Context, s *session, raw json.RawMessage) {
	var ev struct {
		RequestID string `json:"requestId"`
	}
	if s.root == nil || !c.decode("onData", raw, &ev) {
		return
	}
	key := s.id + "/" + ev.RequestID
	if _, ok := s.root.inflight[key]; ok {
		now := time.Now().UnixNano()
		s.root.activity = now
		s.root.inflight[key] = now
	}
}

// wantBody says whether a response body is worth keeping: scripts and
// JSON or JavaScript responses, which carry tag code and configuration.
func (c *Context) wantBody(r *traffic.Request, size int64) bool {
	max := c.b.opts.MaxBodySize
	if max <= 0 || size > 4*int64(max) {
		return false
	}
	if r.ResourceType == "script" {
		return true
	}
	m := strings.ToLower(r.Response.MIME)
	for _, k := range []string{"json", "javascript", "ecmascript"} {
		if strings.Contains(m, k) {
			return true
		}
	}
	return false
}

// fetchBody reads a response body before the target can go away.
func (c *Context) fetchBody(s *session, requestID string, r *traffic.Request) {
	c.fetches.Add(1)
	go func() {
		defer c.fetches.Done()
		var res struct {
			Body          string `json:"body"`
			Base64Encoded bool   `json:"base64Encoded"`
		}
		err := c.b.sessionCall(s, "Network.getResponseBody", map[string]string{"requestId": requestID}, &res)
		if err != nil {
			return
		}
		body := decodeBody(res.Body, res.Base64Encoded)
		if max := c.b.opts.MaxBodySize; len(body) > max {
			body = body[:max]
		}
		c.b.mu.Lock()
		r.Response.Body = body
		c.b.mu.Unlock()
	}()
}

// fetchPostData reads a body the event left out (beacons, multipart).
func (c *Context) fetchPostData(s *session, requestID string, r *traffic.Request) {
	c.fetches.Add(1)
	go func() {
		defer c.fetches.Done()
		var res struct {
			PostData      string `json:"postData"`
			Base64Encoded bool   `json:"base64Encoded"`
		}
		err := c.b.sessionCall(s, "Network.getRequestPostData", map[string]string{"requestId": requestID}, &res)
		c.b.mu.Lock()
		defer c.b.mu.Unlock()
		if err != nil {
			c.warnings = append(c.warnings, fmt.Sprintf("request %d %s: body not readable: %v", r.Index, r.URL, err))
			return
		}
		r.Body = decodeBody(res.PostData, res.Base64Encoded)
	}()
}

// onBinding keeps a Blob body reported by blobs.js for the request about to
// be sent to its URL.
func onBinding(c *Context, _ *session, raw json.RawMessage) {
	var ev struct {
		Name    string `json:"name"`
		Payload string `json:"payload"`
	}
	if !c.decode("onBinding", raw, &ev) || ev.Name != c.b.binding {
		return
	}
	var p struct {
		URL  string `json:"url"`
		Body string `json:"body"`
	}
	if !c.decode("onBinding payload", json.RawMessage(ev.Payload), &p) {
		return
	}
	body, err := base64.StdEncoding.DecodeString(p.Body)
	if err != nil {
		c.events.add("onBinding body", err)
		return
	}
	if len(c.blobs) > 256 { // reported but never sent: do not grow for ever
		clear(c.blobs)
	}
	c.blobs[p.URL] = append(c.blobs[p.URL], body)
}

// takeBlob returns the oldest Blob body reported for u; the caller holds b.mu.
func (c *Context) takeBlob(u string) ([]byte, bool) {
	list := c.blobs[u]
	if len(list) == 0 {
		return nil, false
	}
	if len(list) == 1 {
		delete(c.blobs, u)
	} else {
		c.blobs[u] = list[1:]
	}
	return list[0], true
}
