package har

import "encoding/json"

// The fields decodeEntry takes, one function per HAR type. Each names
// every JSON key of its type (those the reader ignores included), so that
// a key differing only in case goes to encoding/json, which matches keys
// case-insensitively.

var entryKeys = []string{"pageref", "startedDateTime", "time", "cache", "timings", "request", "response",
	"_resourceType", "_initiator", "_initiator_detail", "_initiator_type", "_initiator_line",
	"_initiator_column", "_initiator_function_name", "_webSocketMessages", "_error", "_frameId",
	"_frame_id", "_frameURL", "_target", "serverIPAddress", "_serverPort"}

func (c *cursor) entry(e *harEntry) {
	var seen uint32
	c.object(func(key []byte) {
		switch string(key) {
		case "pageref":
			c.str(&e.PageRef)
		case "startedDateTime":
			c.str(&e.StartedDateTime)
		case "time", "cache", "timings":
			c.skip() // written, never read
		case "request":
			if c.once(&seen, 1) {
				e.Request = c.request()
			}
		case "response":
			if c.once(&seen, 2) {
				e.Response = c.response()
			}
		default:
			c.entryExtra(e, key)
		}
	})
}

// entryExtra reads the vendor fields of an entry.
func (c *cursor) entryExtra(e *harEntry, key []byte) {
	switch string(key) {
	case "_resourceType":
		c.flex(&e.ResourceType)
	case "_initiator":
		c.unmarshaler(&e.Initiator)
	case "_initiator_detail":
		c.flex(&e.InitiatorDetail)
	case "_initiator_type":
		c.flex(&e.InitiatorType)
	case "_initiator_line":
		c.unmarshaler(&e.InitiatorLine)
	case "_initiator_column":
		c.unmarshaler(&e.InitiatorColumn)
	case "_initiator_function_name":
		c.flex(&e.InitiatorFunction)
	case "_webSocketMessages":
		c.unmarshaler(&e.WebSocketMessages)
	case "_error":
		c.flex(&e.Error)
	case "_frameId":
		c.flex(&e.FrameID)
	case "_frame_id":
		c.flex(&e.FrameIDWPT)
	case "_frameURL":
		c.flex(&e.FrameURL)
	case "_target":
		c.flex(&e.Target)
	case "serverIPAddress":
		c.str(&e.ServerIPAddress)
	case "_serverPort":
		c.unmarshaler(&e.ServerPort)
	default:
		c.unknown(key, entryKeys)
	}
}

var requestKeys = []string{"method", "url", "httpVersion", "cookies", "headers", "queryString", "postData",
	"headersSize", "bodySize"}

// request reads a request object; null is a nil request.
func (c *cursor) request() *harRequest {
	if c.bad || c.null() {
		return nil
	}
	r := &harRequest{}
	var seen uint32
	c.object(func(key []byte) {
		switch string(key) {
		case "method":
			c.str(&r.Method)
		case "url":
			c.str(&r.URL)
		case "httpVersion":
			c.str(&r.HTTPVersion)
		case "cookies":
			if c.once(&seen, 1) {
				r.Cookies = c.cookies()
			}
		case "headers":
			if c.once(&seen, 2) {
				r.Headers = c.headers()
			}
		case "postData":
			if c.once(&seen, 4) {
				r.PostData = c.postData()
			}
		case "queryString", "headersSize", "bodySize":
			c.skip()
		default:
			c.unknown(key, requestKeys)
		}
	})
	return r
}

var responseKeys = []string{"status", "statusText", "httpVersion", "cookies", "headers", "content",
	"redirectURL", "headersSize", "bodySize", "_error", "_fetchedViaServiceWorker", "_failureText"}

// response reads a response object; null is a nil response.
func (c *cursor) response() *harResponse {
	if c.bad || c.null() {
		return nil
	}
	r := &harResponse{}
	var seen uint32
	c.object(func(key []byte) {
		switch string(key) {
		case "status":
			c.unmarshaler(&r.Status)
		case "statusText":
			c.str(&r.StatusText)
		case "httpVersion":
			c.str(&r.HTTPVersion)
		case "cookies":
			if c.once(&seen, 1) {
				r.Cookies = c.cookies()
			}
		case "headers":
			if c.once(&seen, 2) {
				r.Headers = c.headers()
			}
		case "content":
			if c.once(&seen, 4) {
				r.Content = c.content()
			}
		case "redirectURL":
			c.str(&r.RedirectURL)
		case "headersSize", "bodySize":
			c.skip()
		case "_error":
			c.flex(&r.Error)
		case "_fetchedViaServiceWorker":
			c.boolean(&r.FetchedViaServiceWorker)
		case "_failureText":
			c.flex(&r.FailureText)
		default:
			c.unknown(key, responseKeys)
		}
	})
	return r
}

var contentKeys = []string{"size", "mimeType", "text", "encoding", "_file"}

func (c *cursor) content() *harContent {
	if c.bad || c.null() {
		return nil
	}
	ct := &harContent{}
	c.object(func(key []byte) {
		switch string(key) {
		case "size":
			if c.null() {
				ct.Size = nil
				return
			}
			ct.Size = &flexFloat{}
			c.unmarshaler(ct.Size)
		case "mimeType":
			c.str(&ct.MimeType)
		case "text":
			c.unmarshaler(&ct.Text)
		case "encoding":
			c.str(&ct.Encoding)
		case "_file":
			c.str(&ct.File)
		default:
			c.unknown(key, contentKeys)
		}
	})
	return ct
}

var postDataKeys = []string{"mimeType", "text", "params", "encoding", "_base64", "_file"}

func (c *cursor) postData() *harPostData {
	if c.bad || c.null() {
		return nil
	}
	pd := &harPostData{}
	var seen uint32
	c.object(func(key []byte) {
		switch string(key) {
		case "mimeType":
			c.str(&pd.MimeType)
		case "text":
			c.unmarshaler(&pd.Text)
		case "params":
			if c.once(&seen, 1) {
				c.std(&pd.Params)
			}
		case "encoding":
			c.str(&pd.Encoding)
		case "_base64":
			c.str(&pd.Base64)
		case "_file":
			c.str(&pd.File)
		default:
			c.unknown(key, postDataKeys)
		}
	})
	return pd
}

var nameValueKeys = []string{"name", "value"}

// headers reads an array of name/value objects; [] is an empty slice and
// null a nil one, as encoding/json makes them.
func (c *cursor) headers() []harNameValue {
	out := []harNameValue{}
	if !c.array(func() {
		var h harNameValue
		c.object(func(key []byte) {
			switch string(key) {
			case "name":
				c.str(&h.Name)
			case "value":
				c.str(&h.Value)
			default:
				c.unknown(key, nameValueKeys)
			}
		})
		out = append(out, h)
	}) {
		return nil
	}
	return out
}

var cookieKeys = []string{"name", "value", "path", "domain", "expires", "httpOnly", "secure", "sameSite"}

func (c *cursor) cookies() []harCookie {
	out := []harCookie{}
	if !c.array(func() {
		var k harCookie
		c.object(func(key []byte) { c.cookieField(&k, key) })
		out = append(out, k)
	}) {
		return nil
	}
	return out
}

func (c *cursor) cookieField(k *harCookie, key []byte) {
	switch string(key) {
	case "name":
		c.str(&k.Name)
	case "value":
		c.str(&k.Value)
	case "path":
		c.str(&k.Path)
	case "domain":
		c.str(&k.Domain)
	case "expires":
		c.flex(&k.Expires)
	case "httpOnly":
		c.unmarshaler(&k.HTTPOnly)
	case "secure":
		c.unmarshaler(&k.Secure)
	case "sameSite":
		c.str(&k.SameSite)
	default:
		c.unknown(key, cookieKeys)
	}
}

// decodeInitiator decodes Chrome's _initiator object as encoding/json
// would, taking the shapes DevTools writes itself and handing anything
// else to encoding/json.
func decodeInitiator(raw []byte, hi *harInitiator) error {
	c := cursor{b: raw}
	c.initiator(hi)
	if !c.bad && c.i == len(raw) {
		return nil
	}
	*hi = harInitiator{}
	return json.Unmarshal(raw, hi)
}

var initiatorKeys = []string{"type", "url", "lineNumber", "columnNumber", "stack"}

func (c *cursor) initiator(hi *harInitiator) {
	var seen uint32
	c.object(func(key []byte) {
		switch string(key) {
		case "type":
			c.str(&hi.Type)
		case "url":
			c.str(&hi.URL)
		case "lineNumber":
			c.unmarshaler(&hi.LineNumber)
		case "columnNumber":
			c.unmarshaler(&hi.ColumnNumber)
		case "stack":
			if c.once(&seen, 1) {
				hi.Stack = c.stack()
			}
		default:
			c.unknown(key, initiatorKeys)
		}
	})
}

var stackKeys = []string{"description", "callFrames", "parent"}

// stack reads a stack and its async parents; null is a nil stack.
func (c *cursor) stack() *harStack {
	if c.bad || c.null() {
		return nil
	}
	st := &harStack{}
	var seen uint32
	c.object(func(key []byte) {
		switch string(key) {
		case "description":
			c.str(&st.Description)
		case "callFrames":
			if c.once(&seen, 1) {
				st.CallFrames = c.callFrames()
			}
		case "parent":
			if c.once(&seen, 2) {
				st.Parent = c.stack()
			}
		default:
			c.unknown(key, stackKeys)
		}
	})
	return st
}

var callFrameKeys = []string{"functionName", "scriptId", "url", "lineNumber", "columnNumber"}

func (c *cursor) callFrames() []harCallFrame {
	out := []harCallFrame{}
	if !c.array(func() {
		var f harCallFrame
		c.object(func(key []byte) {
			switch string(key) {
			case "functionName":
				c.str(&f.FunctionName)
			case "scriptId":
				c.str(&f.ScriptID)
			case "url":
				c.str(&f.URL)
			case "lineNumber":
				c.unmarshaler(&f.LineNumber)
			case "columnNumber":
				c.unmarshaler(&f.ColumnNumber)
			default:
				c.unknown(key, callFrameKeys)
			}
		})
		out = append(out, f)
	}) {
		return nil
	}
	return out
}
