package har

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
)

var floatType = reflect.TypeFor[float64]()

// The HAR document as this package reads and writes it. Fields the mapping
// does not use are left out of the read side: unknown fields are ignored.

// writeOnly holds a field that the writer emits and the reader ignores, so a
// surprising value there (a float headersSize, a string time) costs nothing.
type writeOnly[T any] struct{ V T }

func (*writeOnly[T]) UnmarshalJSON([]byte) error { return nil }

func (w writeOnly[T]) MarshalJSON() ([]byte, error) { return json.Marshal(w.V) }

type harTimings struct {
	Blocked float64 `json:"blocked"`
	DNS     float64 `json:"dns"`
	Connect float64 `json:"connect"`
	Send    float64 `json:"send"`
	Wait    float64 `json:"wait"`
	Receive float64 `json:"receive"`
	SSL     float64 `json:"ssl"`
}

type harPageTimings struct {
	OnContentLoad float64 `json:"onContentLoad"`
	OnLoad        float64 `json:"onLoad"`
}

type harCreator struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type harPage struct {
	StartedDateTime string                    `json:"startedDateTime"`
	ID              string                    `json:"id"`
	Title           string                    `json:"title"`
	PageTimings     writeOnly[harPageTimings] `json:"pageTimings"`
	URL             string                    `json:"_url,omitempty"`
	URLWPT          string                    `json:"_URL,omitempty"`
	Error           string                    `json:"_error,omitempty"`
	Screenshot      string                    `json:"_screenshot,omitempty"`
	Consent         []harConsentAction        `json:"_leakwatch_consent,omitempty"`
}

type harEntry struct {
	PageRef         string                `json:"pageref,omitempty"`
	StartedDateTime string                `json:"startedDateTime"`
	Time            writeOnly[float64]    `json:"time"`
	Cache           writeOnly[struct{}]   `json:"cache"`
	Timings         writeOnly[harTimings] `json:"timings"`
	Request         *harRequest           `json:"request"`
	Response        *harResponse          `json:"response"`

	// Chrome DevTools, chrome-har, WebPagetest extras.
	ResourceType      flexString      `json:"_resourceType,omitempty"`
	Initiator         json.RawMessage `json:"_initiator,omitempty"`
	InitiatorDetail   flexString      `json:"_initiator_detail,omitempty"`
	InitiatorType     flexString      `json:"_initiator_type,omitempty"`
	InitiatorLine     laxFloat        `json:"_initiator_line,omitzero"`
	InitiatorColumn   laxFloat        `json:"_initiator_column,omitzero"`
	InitiatorFunction flexString      `json:"_initiator_function_name,omitempty"`
	WebSocketMessages wsMessages      `json:"_webSocketMessages,omitzero"`
	Error             flexString      `json:"_error,omitempty"`
	FrameID           flexString      `json:"_frameId,omitempty"`
	FrameIDWPT        flexString      `json:"_frame_id,omitempty"`
	FrameURL          flexString      `json:"_frameURL,omitempty"`
	Target            flexString      `json:"_target,omitempty"`

	// ServerIPAddress is HAR's address of the server; ServerPort is
	// Playwright's _serverPort beside it.
	ServerIPAddress string   `json:"serverIPAddress,omitempty"`
	ServerPort      laxFloat `json:"_serverPort,omitzero"`
}

type harNameValue struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type harRequest struct {
	Method      string                    `json:"method"`
	URL         string                    `json:"url"`
	HTTPVersion string                    `json:"httpVersion"`
	Cookies     []harCookie               `json:"cookies"`
	Headers     []harNameValue            `json:"headers"`
	QueryString writeOnly[[]harNameValue] `json:"queryString"`
	PostData    *harPostData              `json:"postData,omitempty"`
	HeadersSize writeOnly[int64]          `json:"headersSize"`
	BodySize    writeOnly[int64]          `json:"bodySize"`
}

type harPostData struct {
	MimeType string     `json:"mimeType"`
	Text     bodyText   `json:"text,omitempty"`
	Params   []harParam `json:"params,omitempty"`
	// Encoding is not in HAR 1.2; some tools write "base64" for binary
	// bodies. Read, never written.
	Encoding string `json:"encoding,omitempty"`
	// Base64 is this package's extension: the exact bytes of a body that is
	// not valid UTF-8, which Text can only approximate.
	Base64 string `json:"_base64,omitempty"`
	// File is Playwright's attachment: the body is the zip member of that
	// name (content: 'attach').
	File string `json:"_file,omitempty"`
}

type harParam struct {
	Name        string  `json:"name"`
	Value       anyText `json:"value,omitempty"`
	FileName    string  `json:"fileName,omitempty"`
	ContentType string  `json:"contentType,omitempty"`
}

type harResponse struct {
	Status      flexFloat        `json:"status"`
	StatusText  string           `json:"statusText"`
	HTTPVersion string           `json:"httpVersion"`
	Cookies     []harCookie      `json:"cookies"`
	Headers     []harNameValue   `json:"headers"`
	Content     *harContent      `json:"content"`
	RedirectURL string           `json:"redirectURL"`
	HeadersSize writeOnly[int64] `json:"headersSize"`
	BodySize    writeOnly[int64] `json:"bodySize"`
	Error       flexString       `json:"_error,omitempty"`
	// FetchedViaServiceWorker is Chrome's mark of a response a service
	// worker gave.
	FetchedViaServiceWorker bool `json:"_fetchedViaServiceWorker,omitempty"`
	// FailureText is Playwright's reason a request failed.
	FailureText flexString `json:"_failureText,omitempty"`
}

type harContent struct {
	Size     *flexFloat `json:"size"`
	MimeType string     `json:"mimeType"`
	Text     bodyText   `json:"text,omitempty"`
	Encoding string     `json:"encoding,omitempty"`
	// File is Playwright's attachment: the body (or, for a WebSocket, the
	// frames as JSON lines) is the zip member of that name.
	File string `json:"_file,omitempty"`
}

type harCookie struct {
	Name     string     `json:"name"`
	Value    string     `json:"value"`
	Path     string     `json:"path,omitempty"`
	Domain   string     `json:"domain,omitempty"`
	Expires  flexString `json:"expires,omitempty"`
	HTTPOnly flexBool   `json:"httpOnly,omitempty"`
	Secure   flexBool   `json:"secure,omitempty"`
	SameSite string     `json:"sameSite,omitempty"`
}

type harWSMessage struct {
	Type   string   `json:"type"`
	Time   numText  `json:"time"`
	Opcode laxFloat `json:"opcode"`
	Data   string   `json:"data"`
}

// wsMessages is Chrome's _webSocketMessages. A vendor field of the wrong
// shape must not cost the entry, so a decoding problem is kept in err for a
// warning instead of failing the entry.
type wsMessages struct {
	list []harWSMessage
	err  error
}

func (m *wsMessages) UnmarshalJSON(b []byte) error {
	*m = wsMessages{}
	if string(bytes.TrimSpace(b)) == "null" {
		return nil
	}
	if err := json.Unmarshal(b, &m.list); err != nil {
		m.list, m.err = nil, err
	}
	return nil
}

func (m wsMessages) MarshalJSON() ([]byte, error) { return json.Marshal(m.list) }

func (m wsMessages) IsZero() bool { return len(m.list) == 0 }

type harStorage struct {
	Origin string `json:"origin"`
	Kind   string `json:"kind"`
	Key    string `json:"key"`
	Value  string `json:"value"`
}

// harInitiator is Chrome's Network.Initiator as DevTools exports it.
type harInitiator struct {
	Type         string    `json:"type"`
	URL          string    `json:"url,omitempty"`
	LineNumber   flexFloat `json:"lineNumber,omitzero"`
	ColumnNumber flexFloat `json:"columnNumber,omitzero"`
	Stack        *harStack `json:"stack,omitempty"`
}

type harStack struct {
	Description string         `json:"description,omitempty"`
	CallFrames  []harCallFrame `json:"callFrames"`
	Parent      *harStack      `json:"parent,omitempty"`
}

type harCallFrame struct {
	FunctionName string    `json:"functionName"`
	ScriptID     string    `json:"scriptId,omitempty"`
	URL          string    `json:"url"`
	LineNumber   flexFloat `json:"lineNumber"`
	ColumnNumber flexFloat `json:"columnNumber"`
}

// flexFloat accepts a number, a numeric string or null. Vendor extension
// fields disagree on types (WebPagetest writes "_initiator_line": "12"), and
// a wrong type there must not cost the whole entry.
type flexFloat struct {
	V   float64
	Set bool
}

func (f *flexFloat) UnmarshalJSON(b []byte) error {
	*f = flexFloat{}
	s := strings.TrimSpace(string(b))
	if s == "null" {
		return nil
	}
	if len(s) > 0 && s[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		s = strings.TrimSpace(s)
		if s == "" {
			return nil
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return &json.UnmarshalTypeError{Value: jsonKind(b), Type: floatType}
	}
	f.V, f.Set = v, true
	return nil
}

func (f flexFloat) MarshalJSON() ([]byte, error) {
	return strconv.AppendFloat(nil, f.V, 'f', -1, 64), nil
}

// Int returns the value as an int, or def when it is not set.
func (f flexFloat) Int(def int) int {
	if !f.Set {
		return def
	}
	return int(f.V)
}

// flexString accepts a string, a number, a boolean or null and keeps its text.
type flexString string

func (s *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		*s = ""
	case b[0] == '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = flexString(v)
	case b[0] == '{' || b[0] == '[':
		// Only vendor fields and cookie expiry use flexString: a value of
		// the wrong shape there is ignored rather than costing the entry.
		*s = ""
	default:
		*s = flexString(b)
	}
	return nil
}

// anyText accepts any JSON value: a string gives its text, anything else its
// JSON text (chrome-har 0.2 parsed JSON bodies into params with object
// values).
type anyText string

func (s *anyText) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = anyText(v)
		return nil
	}
	if string(b) == "null" {
		*s = ""
		return nil
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		return err
	}
	*s = anyText(buf.String())
	return nil
}

// numText is a number kept as its decimal text (so Unix times keep every
// digit); it also accepts a numeric string or null when read.
type numText string

func (n *numText) UnmarshalJSON(b []byte) error {
	var s flexString
	if err := s.UnmarshalJSON(b); err != nil {
		return err
	}
	*n = numText(s)
	return nil
}

func (n numText) MarshalJSON() ([]byte, error) {
	// Only JSON number syntax may pass: ParseFloat also takes "NaN", "Inf".
	if n == "" || (n[0] != '-' && (n[0] < '0' || n[0] > '9')) || !json.Valid([]byte(n)) {
		return []byte("0"), nil
	}
	return []byte(n), nil
}

// flexBool accepts true/false, "true"/"false"/"", numbers and null; any
// other value (cookie flags are all it is used for) reads as false.
type flexBool bool

func (v *flexBool) UnmarshalJSON(b []byte) error {
	s := strings.Trim(strings.TrimSpace(string(b)), `"`)
	switch strings.ToLower(s) {
	case "true", "1", "yes":
		*v = true
	default:
		*v = false
	}
	return nil
}

// laxFloat is a flexFloat for vendor extension fields (_initiator_line,
// WebSocket opcodes): a value of the wrong type reads as unset.
type laxFloat struct{ flexFloat }

func (f *laxFloat) UnmarshalJSON(b []byte) error {
	if err := f.flexFloat.UnmarshalJSON(b); err != nil {
		f.flexFloat = flexFloat{}
	}
	return nil
}

// jsonKind names the kind of a raw JSON value the way error messages do.
func jsonKind(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return "nothing"
	}
	switch b[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "bool"
	case 'n':
		return "null"
	}
	return "number"
}
