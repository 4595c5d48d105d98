package har

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// WriteOptions name the tool written as log.creator. Both empty means the
// capture's own Creator (so a read HAR writes back as it came), else
// "leakwatch".
type WriteOptions struct {
	CreatorName, CreatorVersion string
}

// Write writes c as HAR 1.2 that Chrome DevTools can import: pages, entries
// with _initiator, _resourceType, _webSocketMessages and serverIPAddress
// (with Playwright's _serverPort), binary response bodies in base64.
// A request body that is not UTF-8 goes in postData.text as UTF-8 with
// U+FFFD for the invalid bytes, and exactly in postData._base64 (HAR 1.2
// has no encoding for postData). Capture data HAR has no place for goes in
// underscore fields this package reads back (log._cookies, log._storage,
// log._leakwatch_consent, page _url, _error, _screenshot, _leakwatch_consent, entry _frameId, _frameURL, _target,
// response _error).
//
// Reading the written file gives c back (deep-equal) except for:
//   - Source, which the reader takes from Options.Name;
//   - Warnings, which describe the file that was read and are not written;
//   - Creator, which becomes WriteOptions' creator when one is given, and
//     "leakwatch" when neither is set;
//   - Request.Index, renumbered 0..n-1 by position;
//   - Params when Body is also set (the reader keeps Params only without
//     a body), and an empty Response (status 0, nothing recorded), which
//     reads back as nil.
//
// Captures this package read are already in that normal form.
func Write(w io.Writer, c *traffic.Capture, opts WriteOptions) error {
	hw := NewWriter(w, opts)
	hw.pagesFirst(c)
	for _, r := range c.Requests {
		if err := hw.Request(r); err != nil {
			return err
		}
	}
	return hw.End(c)
}

// Writer writes a HAR as a traffic.Visitor, streaming: each Request is
// encoded and written at once. Pages given to it are written at End, after
// the entries (HAR readers, this package's and browsers', accept any key
// order). Errors are sticky: after the first, every call returns it.
type Writer struct {
	bw    *bufio.Writer
	opts  WriteOptions
	pages []*traffic.Page
	buf   bytes.Buffer
	enc   *json.Encoder
	n     int
	size  int64
	begun bool
	done  bool // creator, browser and pages are written
	// pagesDone: pages are written (by PagesFirst); creator is not yet.
	pagesDone bool
	err       error
}

// NewWriter returns a Writer to w. Call End to finish the file.
func NewWriter(w io.Writer, opts WriteOptions) *Writer {
	hw := &Writer{bw: bufio.NewWriterSize(w, 64<<10), opts: opts}
	hw.enc = json.NewEncoder(&hw.buf)
	hw.enc.SetEscapeHTML(false)
	return hw
}

// pagesFirst writes the log header with the capture's pages ahead of the
// entries, the conventional order, when the whole capture is at hand.
func (w *Writer) pagesFirst(c *traffic.Capture) {
	w.raw(`{"log":{"version":"1.2","creator":`)
	w.value(w.creator(c))
	if c.Browser != "" {
		w.raw(`,"browser":`)
		w.value(splitCreator(c.Browser))
	}
	w.raw(`,"pages":`)
	w.value(harPages(c.Pages))
	w.raw(`,"entries":[`)
	w.begun = true
	w.done = true // pages are written
}

// PagesFirst writes pages ahead of the entries, the conventional order, for
// a producer that knows its pages up front. It must come before the first
// Request, and Page may not be called afterwards.
func (w *Writer) PagesFirst(pages []*traffic.Page) error {
	if w.begun && w.err == nil {
		w.err = errors.New("write HAR: PagesFirst after the first entry")
	}
	if w.err != nil {
		return w.err
	}
	w.raw(`{"log":{"version":"1.2","pages":`)
	w.value(harPages(pages))
	w.raw(`,"entries":[`)
	w.begun, w.pagesDone = true, true
	return w.err
}

// Page implements traffic.Visitor; the page is written at End.
func (w *Writer) Page(p *traffic.Page) error {
	if w.pagesDone && w.err == nil {
		w.err = errors.New("write HAR: Page after PagesFirst")
	}
	if w.err == nil {
		w.pages = append(w.pages, p)
	}
	return w.err
}

// Size returns the number of bytes written so far, buffered ones included.
func (w *Writer) Size() int64 { return w.size }

// Request implements traffic.Visitor: it writes one entry.
func (w *Writer) Request(r *traffic.Request) error {
	if !w.begun {
		w.raw(`{"log":{"version":"1.2","entries":[`)
		w.begun = true
	}
	if w.n > 0 {
		w.raw(",")
	}
	w.n++
	w.value(harEntryOf(r))
	return w.err
}

// End implements traffic.Visitor: it writes the rest of the log and
// flushes. c's Pages and Requests are ignored (they came through Page and
// Request); its Creator, Browser, Cookies and Storage are written.
func (w *Writer) End(c *traffic.Capture) error {
	if !w.begun {
		w.raw(`{"log":{"version":"1.2","entries":[`)
		w.begun = true
	}
	w.raw("]")
	if !w.done {
		w.raw(`,"creator":`)
		w.value(w.creator(c))
		if c.Browser != "" {
			w.raw(`,"browser":`)
			w.value(splitCreator(c.Browser))
		}
		if !w.pagesDone {
			w.raw(`,"pages":`)
			w.value(harPages(w.pages))
		}
	}
	if len(c.Cookies) > 0 {
		w.raw(`,"_cookies":`)
		w.value(harCookies(c.Cookies))
	}
	if len(c.Storage) > 0 {
		w.raw(`,"_storage":`)
		w.value(harStorageOf(c.Storage))
	}
	if h := harConsentLogOf(c); h != nil {
		w.raw(`,"` + consentField + `":`)
		w.value(h)
	}
	w.raw("}}\n")
	if w.err == nil {
		w.err = w.bw.Flush()
	}
	if w.err == nil {
		w.err = errors.New("HAR writer already ended")
		return nil
	}
	return w.err
}

func (w *Writer) raw(s string) {
	if w.err == nil {
		_, w.err = w.bw.WriteString(s)
		w.size += int64(len(s))
	}
}

func (w *Writer) value(v any) {
	if w.err != nil {
		return
	}
	w.buf.Reset()
	if err := w.enc.Encode(v); err != nil {
		w.err = fmt.Errorf("write HAR: %w", err)
		return
	}
	b := bytes.TrimSuffix(w.buf.Bytes(), []byte("\n"))
	_, w.err = w.bw.Write(b)
	w.size += int64(len(b))
}

func (w *Writer) creator(c *traffic.Capture) harCreator {
	switch {
	case w.opts.CreatorName != "" || w.opts.CreatorVersion != "":
		return harCreator{Name: w.opts.CreatorName, Version: w.opts.CreatorVersion}
	case c.Creator != "":
		return splitCreator(c.Creator)
	}
	return harCreator{Name: "leakwatch"}
}

// splitCreator splits "name version" at the last space, the inverse of how
// the reader joins them.
func splitCreator(s string) harCreator {
	name, version := s, ""
	if i := strings.LastIndexByte(s, ' '); i >= 0 {
		name, version = s[:i], s[i+1:]
	}
	return harCreator{Name: name, Version: version}
}

func harPages(ps []*traffic.Page) []*harPage {
	out := make([]*harPage, 0, len(ps))
	for _, p := range ps {
		hp := &harPage{
			StartedDateTime: formatTime(p.Started), ID: p.ID, Title: p.Title,
			URL: p.URL, Error: p.Error,
			PageTimings: writeOnly[harPageTimings]{harPageTimings{-1, -1}},
		}
		if len(p.Screenshot) > 0 {
			hp.Screenshot = base64.StdEncoding.EncodeToString(p.Screenshot)
		}
		if len(p.Consent) > 0 {
			hp.Consent = harConsentActions(p.Consent)
		}
		out = append(out, hp)
	}
	return out
}

func formatTime(t time.Time) string {
	return t.UTC().Format(time.RFC3339Nano)
}

func harEntryOf(r *traffic.Request) *harEntry {
	e := &harEntry{
		PageRef:         r.PageID,
		StartedDateTime: formatTime(r.Started),
		Request:         harRequestOf(r),
		Response:        harResponseOf(r.Response, r.Error),
		ResourceType:    flexString(r.ResourceType),
		FrameID:         flexString(r.FrameID),
		FrameURL:        flexString(r.FrameURL),
		Target:          flexString(r.Target),
		Timings:         writeOnly[harTimings]{harTimings{-1, -1, -1, 0, 0, 0, -1}},
	}
	if resp := r.Response; resp != nil {
		e.ServerIPAddress = resp.RemoteIP
		if resp.RemotePort != 0 {
			e.ServerPort = laxFloat{flexFloat{float64(resp.RemotePort), true}}
		}
	}
	if in := r.Initiator; in.Type != "" || in.URL != "" || len(in.Stack) > 0 || in.Line != 0 || in.Column != 0 {
		e.Initiator, _ = json.Marshal(harInitiatorOf(in))
	}
	for _, f := range r.WebSocket {
		m := harWSMessage{Type: "receive", Time: numText(formatUnix(f.Time)), Opcode: laxFloat{flexFloat{float64(f.Opcode), true}}}
		if f.Sent {
			m.Type = "send"
		}
		m.Data = string(f.Data)
		if f.Opcode == 2 {
			m.Data = base64.StdEncoding.EncodeToString(f.Data)
		}
		e.WebSocketMessages.list = append(e.WebSocketMessages.list, m)
	}
	return e
}

func harInitiatorOf(in traffic.Initiator) *harInitiator {
	hi := &harInitiator{
		Type: in.Type, URL: in.URL,
		LineNumber: flexFloat{float64(in.Line), true}, ColumnNumber: flexFloat{float64(in.Column), true},
	}
	if len(in.Stack) > 0 {
		hi.Stack = &harStack{}
		for _, f := range in.Stack {
			hi.Stack.CallFrames = append(hi.Stack.CallFrames, harCallFrame{
				FunctionName: f.Function, URL: f.URL,
				LineNumber: flexFloat{float64(f.Line), true}, ColumnNumber: flexFloat{float64(f.Column), true},
			})
		}
	}
	return hi
}

func harRequestOf(r *traffic.Request) *harRequest {
	hr := &harRequest{
		Method: r.Method, URL: r.URL, HTTPVersion: r.HTTPVersion,
		Cookies: harCookies(r.Cookies), Headers: harHeaders(r.Headers),
		QueryString: writeOnly[[]harNameValue]{queryString(r.URL)},
		HeadersSize: writeOnly[int64]{-1}, BodySize: writeOnly[int64]{int64(len(r.Body))},
	}
	if r.Body != nil || r.Params != nil || r.BodyMIME != "" {
		pd := &harPostData{MimeType: r.BodyMIME}
		if r.Body != nil {
			pd.Text = r.Body
			if !utf8.Valid(r.Body) {
				// HAR 1.2 has no encoding for postData: text gets what a
				// viewer can show, _base64 the exact bytes.
				pd.Text = bytes.ToValidUTF8(r.Body, []byte("\uFFFD"))
				pd.Base64 = base64.StdEncoding.EncodeToString(r.Body)
			}
		}
		for _, p := range r.Params {
			pd.Params = append(pd.Params, harParam{Name: p.Name, Value: anyText(p.Value), FileName: p.FileName, ContentType: p.ContentType})
		}
		hr.PostData = pd
	}
	return hr
}

func harResponseOf(resp *traffic.Response, reqErr string) *harResponse {
	if resp == nil {
		return &harResponse{
			Status: flexFloat{0, true}, Cookies: []harCookie{}, Headers: []harNameValue{},
			Content: &harContent{Size: &flexFloat{0, true}}, Error: flexString(reqErr),
			HeadersSize: writeOnly[int64]{-1}, BodySize: writeOnly[int64]{-1},
		}
	}
	hr := &harResponse{
		Status: flexFloat{float64(resp.Status), true}, StatusText: resp.StatusText, HTTPVersion: resp.HTTPVersion,
		Cookies: harCookies(resp.Cookies), Headers: harHeaders(resp.Headers),
		Content:     &harContent{Size: &flexFloat{float64(resp.BodySize), true}, MimeType: resp.MIME},
		RedirectURL: resp.RedirectURL, Error: flexString(reqErr),
		HeadersSize: writeOnly[int64]{-1}, BodySize: writeOnly[int64]{resp.BodySize},

		FetchedViaServiceWorker: resp.FromServiceWorker,
	}
	if resp.Body != nil {
		hr.Content.Text = resp.Body
		if !utf8.Valid(resp.Body) || isBinaryMIME(resp.MIME) {
			hr.Content.Text, hr.Content.Encoding = base64.StdEncoding.AppendEncode(nil, resp.Body), "base64"
		}
	}
	return hr
}

// isBinaryMIME says whether a body of this type is written in base64 even
// when its bytes happen to be valid UTF-8.
func isBinaryMIME(mime string) bool {
	switch t := typeOfMIME(mime); t {
	case "image", "font", "media", "wasm":
		return !strings.Contains(mime, "svg")
	}
	return strings.HasPrefix(strings.ToLower(mime), "application/octet-stream")
}

func harHeaders(hs traffic.Headers) []harNameValue {
	out := make([]harNameValue, len(hs))
	for i, h := range hs {
		out[i] = harNameValue{Name: h.Name, Value: h.Value}
	}
	return out
}

func harCookies(cs []traffic.Cookie) []harCookie {
	out := make([]harCookie, len(cs))
	for i, c := range cs {
		out[i] = harCookie{
			Name: c.Name, Value: c.Value, Path: c.Path, Domain: c.Domain,
			HTTPOnly: flexBool(c.HTTPOnly), Secure: flexBool(c.Secure), SameSite: c.SameSite,
		}
		if !c.Expires.IsZero() {
			out[i].Expires = flexString(formatTime(c.Expires))
		}
	}
	return out
}

func harStorageOf(st []traffic.StorageItem) []harStorage {
	out := make([]harStorage, len(st))
	for i, x := range st {
		out[i] = harStorage{Origin: x.Origin, Kind: x.Kind, Key: x.Key, Value: x.Value}
	}
	return out
}

// queryString lists a URL's query parameters for HAR's queryString, which
// readers (DevTools among them) display but this package does not read.
func queryString(raw string) []harNameValue {
	out := []harNameValue{}
	_, q, ok := strings.Cut(raw, "?")
	if !ok {
		return out
	}
	q, _, _ = strings.Cut(q, "#")
	for part := range strings.SplitSeq(q, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		if uk, err := url.QueryUnescape(k); err == nil {
			k = uk
		}
		if uv, err := url.QueryUnescape(v); err == nil {
			v = uv
		}
		out = append(out, harNameValue{Name: k, Value: v})
	}
	return out
}
