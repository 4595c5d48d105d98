package traffic

import (
	"strings"
	"time"
)

// Capture is one recorded visit of a site: everything that left the browser
// and what came back.
type Capture struct {
	// Source names where the capture came from: a file path or a scanned URL.
	Source string
	// Creator names the tool that recorded it, e.g. "WebInspector 537.36".
	Creator string
	// Browser names the browser that made the traffic, when known.
	Browser string
	Pages   []*Page
	// Requests in capture order. Request.Index equals the position here.
	Requests []*Request
	// Cookies is the browser's cookie jar at the end of the visit.
	Cookies []Cookie
	// Storage holds local and session storage items at the end of each page.
	Storage []StorageItem
	// Warnings are problems the source survived (a cut-off file, a body that
	// could not be decoded); analysis goes on.
	Warnings []string
	// Consent is the consent mode of a live scan (ConsentNone,
	// ConsentReject, ConsentAccept); empty when unknown, as for most HARs.
	Consent string
	// OptOut are the opt-out signals a live scan sent; nil for none.
	OptOut *OptOut
}

// Page is one top-level document the browser showed.
type Page struct {
	ID      string
	URL     string
	Title   string
	Started time.Time
	// Screenshot is a PNG of the page when the scan took one.
	Screenshot []byte
	// Error records why a visit failed part-way, if it did.
	Error string
	// NetworkBusy is set when the page loaded but its network never went
	// quiet before the page timeout (polling scripts, service workers): it
	// is loaded, and what it kept sending was recorded.
	NetworkBusy bool
	// Submits are the form submissions a live scan made on this page, in
	// order, so a report can tell what was sent before and after each.
	Submits []Submit
	// Consent is what the scan did about consent platforms on this page,
	// in order.
	Consent []ConsentAction
}

// Submit is one form submission made by the scanner.
type Submit struct {
	// Time is when the form was submitted.
	Time time.Time
	// Index is the Request.Index the next request got: requests with a
	// lower index left before the submission.
	Index int
	// Form is a CSS selector of the submitted form or of a field in it.
	Form string
}

// Header is one HTTP header line. Order and duplicates are kept as sent.
type Header struct {
	Name  string
	Value string
}

// Headers is an ordered header list.
type Headers []Header

// Get returns the first value of the named header, case-insensitively.
func (h Headers) Get(name string) string {
	for _, x := range h {
		if strings.EqualFold(x.Name, name) {
			return x.Value
		}
	}
	return ""
}

// Values returns every value of the named header, case-insensitively.
func (h Headers) Values(name string) []string {
	var out []string
	for _, x := range h {
		if strings.EqualFold(x.Name, name) {
			out = append(out, x.Value)
		}
	}
	return out
}

// Param is a name/value pair of a form body, as a HAR's postData.params holds
// it. For a multipart file part FileName and ContentType are set.
type Param struct {
	Name        string
	Value       string
	FileName    string
	ContentType string
}

// Request is one request the browser made (or attempted), with its response.
type Request struct {
	// Index is the 0-based position in the capture (for a HAR, in entries).
	Index int
	// PageID is the Page.ID this request belongs to, if known.
	PageID string
	// FrameID and FrameURL name the frame (or worker) that issued it.
	FrameID  string
	FrameURL string
	// Target names the kind of browser target that issued the request:
	// "page", "iframe", "worker", "shared_worker", "service_worker".
	Target      string
	URL         string
	Method      string
	HTTPVersion string
	Headers     Headers
	// Cookies are the cookies sent with the request, as recorded.
	Cookies []Cookie
	// Body is the raw request body, as sent (possibly Content-Encoded).
	Body []byte
	// BodyMIME is the body's declared content type.
	BodyMIME string
	// Params holds form fields when the source recorded them separately
	// (HAR postData.params) and no raw Body was available.
	Params []Param
	// ResourceType is the browser's classification: document, script,
	// image, xhr, fetch, ping, beacon, websocket, stylesheet, other...
	ResourceType string
	Initiator    Initiator
	Started      time.Time
	Response     *Response
	// WebSocket holds the frames of a WebSocket connection.
	WebSocket []WebSocketFrame
	// Error is why the request failed or was blocked (e.g. CORS), if it did.
	Error string
}

// InitiatorScript returns the URL of the script that caused the request:
// the top frame of the initiator's stack with a URL, else the initiator URL.
func (r *Request) InitiatorScript() string {
	for _, f := range r.Initiator.Stack {
		if f.URL != "" {
			return f.URL
		}
	}
	return r.Initiator.URL
}

// Initiator says what caused a request.
type Initiator struct {
	// Type is "parser", "script", "preload", "redirect", "other"...
	Type   string
	URL    string
	Line   int
	Column int
	// Stack is the JavaScript call stack, innermost frame first.
	Stack []StackFrame
}

// StackFrame is one frame of a JavaScript stack.
type StackFrame struct {
	Function string
	URL      string
	Line     int
	Column   int
}

// Response is what the server answered.
type Response struct {
	Status      int
	StatusText  string
	HTTPVersion string
	Headers     Headers
	Cookies     []Cookie
	MIME        string
	// Body is the decoded response body, when it was recorded.
	Body []byte
	// BodySize is the size the source reported, -1 when unknown. It can
	// exceed len(Body) when the body was not kept or was capped.
	BodySize    int64
	RedirectURL string
	// FromServiceWorker is set when a service worker answered the request
	// instead of the network; what the worker fetched, if anything, is a
	// request of its own.
	FromServiceWorker bool
	// RemoteIP and RemotePort are the address of the server that answered
	// (CDP Network.Response remoteIPAddress/remotePort, HAR
	// serverIPAddress), when known; an IPv6 address without brackets.
	RemoteIP   string
	RemotePort int
}

// WebSocketFrame is one message on a WebSocket.
type WebSocketFrame struct {
	Time time.Time
	// Sent is true for frames the browser sent, false for received ones.
	Sent bool
	// Opcode is 1 for text, 2 for binary.
	Opcode int
	Data   []byte
}

// Cookie is a cookie in a request, a response or the jar.
type Cookie struct {
	Name     string
	Value    string
	Domain   string
	Path     string
	Expires  time.Time
	HTTPOnly bool
	Secure   bool
	SameSite string
}

// StorageItem is one key of window.localStorage or sessionStorage.
type StorageItem struct {
	Origin string
	// Kind is "local" or "session".
	Kind  string
	Key   string
	Value string
}
