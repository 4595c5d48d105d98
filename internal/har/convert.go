package har

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// page maps a HAR page. Its URL comes from _url (ours) or _URL
// (WebPagetest), else from a title that is a URL (Chrome and chrome-har
// title pages with their URL); failing both, the first entry of the page
// fills it in later.
func (s *streamer) page(hp *harPage, n int) *traffic.Page {
	p := &traffic.Page{ID: hp.ID, Title: hp.Title, Error: hp.Error}
	p.URL = hp.URL
	if p.URL == "" {
		p.URL = hp.URLWPT
	}
	if p.URL == "" && isHTTPURL(hp.Title) {
		p.URL = hp.Title
	}
	if hp.StartedDateTime != "" {
		t, err := parseTime(hp.StartedDateTime)
		if err != nil {
			s.warn(fmt.Sprintf("%s: page %d: startedDateTime: %v", s.name, n, err))
		}
		p.Started = t
	}
	if hp.Screenshot != "" {
		b, err := decodeBase64(hp.Screenshot)
		if err != nil {
			s.warn(fmt.Sprintf("%s: page %d: _screenshot: invalid base64, dropped", s.name, n))
		} else {
			p.Screenshot = nilIfEmpty(b)
		}
	}
	p.Consent = s.consentActions(hp.Consent, n)
	return p
}

func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// request maps one entry. An error means the entry cannot stand for a
// request at all; lesser problems are warnings.
func (s *streamer) request(e *harEntry, idx int) (*traffic.Request, error) {
	hr := e.Request
	if hr == nil {
		return nil, errors.New("no request")
	}
	if hr.URL == "" {
		return nil, errors.New("request.url is empty")
	}
	if _, err := url.Parse(hr.URL); err != nil {
		s.warnEntry(idx, "request.url cannot be parsed (kept as is): %v", err)
	}
	r := &traffic.Request{
		Index:       idx,
		PageID:      e.PageRef,
		FrameID:     string(e.FrameID),
		FrameURL:    string(e.FrameURL),
		Target:      string(e.Target),
		URL:         hr.URL,
		Method:      hr.Method,
		HTTPVersion: hr.HTTPVersion,
		Headers:     headers(hr.Headers),
		Cookies:     cookies(hr.Cookies),
		Error:       string(e.Error),
	}
	if r.FrameID == "" {
		r.FrameID = string(e.FrameIDWPT)
	}
	if e.StartedDateTime != "" {
		t, err := parseTime(e.StartedDateTime)
		if err != nil {
			s.warnEntry(idx, "startedDateTime: %v", err)
		}
		r.Started = t
	}
	s.postData(r, hr.PostData, idx)
	s.responseOf(r, e, idx)
	r.Initiator = s.initiator(e, idx)
	r.ResourceType = resourceType(string(e.ResourceType), r)
	return r, nil
}

// responseOf maps the entry's response, its server address, its failure
// and its WebSocket frames (inline, or a Playwright attachment) onto r.
func (s *streamer) responseOf(r *traffic.Request, e *harEntry, idx int) {
	ws := isWebSocketEntry(e)
	r.Response = s.response(e.Response, idx, ws)
	if e.Response != nil && r.Error == "" {
		r.Error = string(e.Response.Error)
		if r.Error == "" {
			r.Error = string(e.Response.FailureText)
		}
	}
	if r.Response != nil {
		ip := e.ServerIPAddress
		if len(ip) > 1 && ip[0] == '[' && ip[len(ip)-1] == ']' {
			ip = ip[1 : len(ip)-1] // IPv6 as some exporters bracket it
		}
		r.Response.RemoteIP = ip
		r.Response.RemotePort = max(e.ServerPort.Int(0), 0)
	}
	if err := e.WebSocketMessages.err; err != nil {
		s.warnEntry(idx, "_webSocketMessages ignored: %v", err)
	}
	frames := e.WebSocketMessages.list
	if ws && len(frames) == 0 {
		frames = s.attachedFrames(e.Response.Content.File, idx)
	}
	r.WebSocket = s.webSocket(frames, idx)
}

func (s *streamer) postData(r *traffic.Request, pd *harPostData, idx int) {
	if pd == nil {
		return
	}
	r.BodyMIME = pd.MimeType
	if body, ok := s.exactBody(pd, idx); ok {
		r.Body = body
		return
	}
	if len(pd.Text) > 0 {
		r.Body = pd.Text
		if strings.EqualFold(pd.Encoding, "base64") {
			b, err := decodeBase64(string(pd.Text))
			if err != nil {
				s.warnEntry(idx, "request.postData.text: invalid base64, kept as text: %v", err)
			} else {
				r.Body = nilIfEmpty(b)
			}
		}
		return
	}
	for _, p := range pd.Params {
		r.Params = append(r.Params, traffic.Param{
			Name: p.Name, Value: string(p.Value), FileName: p.FileName, ContentType: p.ContentType,
		})
	}
}

// exactBody returns the request body's exact bytes when the HAR keeps them
// outside postData.text: in _base64 (ours) or in a Playwright attachment
// (_file). ok is false when neither is there or usable, and text is read.
func (s *streamer) exactBody(pd *harPostData, idx int) ([]byte, bool) {
	if pd.Base64 != "" {
		b, err := decodeBase64(pd.Base64)
		if err == nil {
			return nilIfEmpty(b), true
		}
		s.warnEntry(idx, "request.postData._base64: invalid base64, postData.text read instead: %v", err)
	}
	if pd.File == "" {
		return nil, false
	}
	b, n, err := s.attachment(pd.File, s.opts.limits().str)
	switch {
	case err != nil:
		s.warnEntry(idx, "request.postData._file: %v", err)
		return nil, false
	case b == nil && n > 0:
		s.warnEntry(idx, "request.postData._file %q: body of %s is over the string budget (MaxString), dropped", pd.File, FormatSize(n))
		return nil, false
	}
	return b, true
}

func (s *streamer) response(hr *harResponse, idx int, ws bool) *traffic.Response {
	if hr == nil {
		return nil
	}
	resp := &traffic.Response{
		Status:      hr.Status.Int(0),
		StatusText:  hr.StatusText,
		HTTPVersion: hr.HTTPVersion,
		Headers:     headers(hr.Headers),
		Cookies:     cookies(hr.Cookies),
		RedirectURL: hr.RedirectURL,
		BodySize:    -1,

		FromServiceWorker: hr.FetchedViaServiceWorker,
	}
	if resp.Status < 0 {
		resp.Status = 0 // Playwright's "no response" is -1
	}
	if c := hr.Content; c != nil {
		resp.MIME = c.MimeType
		if c.Size != nil && c.Size.Set {
			resp.BodySize = int64(c.Size.V)
		}
		if len(c.Text) == 0 && c.File != "" && !ws {
			s.attachedContent(resp, c.File, idx)
		}
		if len(c.Text) > 0 {
			body, n := s.content(c, idx)
			if resp.BodySize < 0 {
				resp.BodySize = int64(n)
			}
			if len(body) > 0 {
				resp.Body = body
			}
		}
	}
	if isEmptyResponse(resp) {
		return nil
	}
	return resp
}

// content decodes response.content.text and returns the body and its
// decoded size; a body larger than the cap is not built (nil, size).
// Invalid base64 keeps the text.
func (s *streamer) content(c *harContent, idx int) ([]byte, int) {
	text := c.Text
	switch strings.ToLower(c.Encoding) {
	case "":
		if len(text) > s.max {
			return nil, len(text)
		}
		return text, len(text)
	case "base64":
		if len(text)/4*3-3 > s.max {
			n := base64.RawStdEncoding.DecodedLen(len(bytes.TrimRight(text, "=")))
			return nil, n
		}
		b, err := decodeBase64(string(text))
		if err != nil {
			s.warnEntry(idx, "response.content.text: invalid base64, kept as text: %v", err)
			return s.capped(text)
		}
		return s.capped(b)
	}
	s.warnEntry(idx, "response.content.encoding %q unknown, body kept as text", c.Encoding)
	return s.capped(text)
}

func (s *streamer) capped(b []byte) ([]byte, int) {
	if len(b) > s.max {
		return nil, len(b)
	}
	return b, len(b)
}

// decodeBase64 accepts standard and URL alphabets, with or without padding.
func decodeBase64(s string) ([]byte, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err == nil {
		return b, nil
	}
	for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err2 := enc.DecodeString(s); err2 == nil {
			return b, nil
		}
	}
	return nil, err
}

func isEmptyResponse(r *traffic.Response) bool {
	return r.Status == 0 && r.StatusText == "" && r.HTTPVersion == "" && r.Headers == nil &&
		r.Cookies == nil && r.MIME == "" && r.Body == nil && r.BodySize <= 0 && r.RedirectURL == "" &&
		!r.FromServiceWorker // the server's address alone is no response
}

func headers(hs []harNameValue) traffic.Headers {
	if len(hs) == 0 {
		return nil
	}
	out := make(traffic.Headers, len(hs))
	for i, h := range hs {
		out[i] = traffic.Header{Name: h.Name, Value: h.Value}
	}
	return out
}

func cookies(cs []harCookie) []traffic.Cookie {
	if len(cs) == 0 {
		return nil
	}
	out := make([]traffic.Cookie, len(cs))
	for i, c := range cs {
		out[i] = traffic.Cookie{
			Name: c.Name, Value: c.Value, Domain: c.Domain, Path: c.Path,
			Expires:  parseExpires(string(c.Expires)),
			HTTPOnly: bool(c.HTTPOnly), Secure: bool(c.Secure), SameSite: c.SameSite,
		}
	}
	return out
}

func storage(st []harStorage) []traffic.StorageItem {
	if len(st) == 0 {
		return nil
	}
	out := make([]traffic.StorageItem, len(st))
	for i, x := range st {
		out[i] = traffic.StorageItem{Origin: x.Origin, Kind: x.Kind, Key: x.Key, Value: x.Value}
	}
	return out
}
