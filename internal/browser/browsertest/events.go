package browsertest

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/leakwatch/leakwatch/internal/browser"
)

// Request is a request the page is about to send (Network.requestWillBeSent).
type Request struct {
	URL, Method string
}

// Response is a response the page received (Network.responseReceived).
type Response struct {
	URL    string
	Status int
	// RemoteIP is the address of the server that answered, without
	// brackets; empty when no connection was made (a cache, a data: URL).
	RemoteIP string
}

// Console is one console API call (Runtime.consoleAPICalled): Type is the
// method (log, error, warning...), Text its arguments joined by spaces.
type Console struct {
	Type, Text string
}

// Exception is an uncaught exception (Runtime.exceptionThrown).
type Exception struct {
	// Text is Chromium's summary ("Uncaught"), Description the error and
	// its stack, when the exception is an object.
	Text, Description string
}

// LogEntry is a message of the browser about the page (Log.entryAdded): a
// blocked request, a CSP violation, a deprecation.
type LogEntry struct {
	Level, Text, URL string
}

// Listeners are the callbacks of Page.Listen; nil ones are not called.
// They run on the browser's event reader: they must return quickly and
// must not call the browser.
type Listeners struct {
	Request   func(Request)
	Response  func(Response)
	Console   func(Console)
	Exception func(Exception)
	Log       func(LogEntry)
}

// Listen calls l's callbacks with the events of the tab's page (not of its
// iframes or workers) until the test ends, enabling the Log domain when
// l.Log is set. An event that does not decode fails the test at its end.
func (p *Page) Listen(l Listeners) {
	p.tb.Helper()
	var (
		mu   sync.Mutex
		errs []string
	)
	stop := p.Tab.Listen(func(ev browser.Event) {
		if err := l.dispatch(ev); err != nil {
			mu.Lock()
			errs = append(errs, err.Error())
			mu.Unlock()
		}
	})
	p.tb.Cleanup(func() {
		stop()
		mu.Lock()
		defer mu.Unlock()
		for _, e := range errs {
			p.tb.Errorf("browsertest: %s", e)
		}
	})
	if l.Log != nil {
		p.Call("Log.enable", nil, nil)
	}
}

// dispatch decodes ev and calls its listener.
func (l Listeners) dispatch(ev browser.Event) error {
	var err error
	switch {
	case ev.Method == "Network.requestWillBeSent" && l.Request != nil:
		var e struct{ Request Request }
		if err = json.Unmarshal(ev.Params, &e); err == nil {
			l.Request(e.Request)
		}
	case ev.Method == "Network.responseReceived" && l.Response != nil:
		var e struct {
			Response struct {
				URL             string `json:"url"`
				Status          int    `json:"status"`
				RemoteIPAddress string `json:"remoteIPAddress"`
			} `json:"response"`
		}
		if err = json.Unmarshal(ev.Params, &e); err == nil {
			r := e.Response
			l.Response(Response{URL: r.URL, Status: r.Status, RemoteIP: strings.Trim(r.RemoteIPAddress, "[]")})
		}
	case ev.Method == "Runtime.consoleAPICalled" && l.Console != nil:
		var e struct {
			Type string
			Args []remoteObject
		}
		if err = json.Unmarshal(ev.Params, &e); err == nil {
			l.Console(Console{Type: e.Type, Text: joinArgs(e.Args)})
		}
	case ev.Method == "Runtime.exceptionThrown" && l.Exception != nil:
		var e struct {
			ExceptionDetails struct {
				Text      string
				Exception remoteObject
			}
		}
		if err = json.Unmarshal(ev.Params, &e); err == nil {
			d := e.ExceptionDetails
			l.Exception(Exception{Text: d.Text, Description: d.Exception.Description})
		}
	case ev.Method == "Log.entryAdded" && l.Log != nil:
		var e struct{ Entry LogEntry }
		if err = json.Unmarshal(ev.Params, &e); err == nil {
			l.Log(e.Entry)
		}
	}
	if err != nil {
		return fmt.Errorf("decode %s: %w", ev.Method, err)
	}
	return nil
}

// remoteObject is a JavaScript value as DevTools describes it.
type remoteObject struct {
	Type        string          `json:"type"`
	Value       json.RawMessage `json:"value"`
	Unserial    string          `json:"unserializableValue"`
	Description string          `json:"description"`
}

// String is the value as console.log would print it, roughly: strings as
// they are, other values as JSON or their description.
func (o remoteObject) String() string {
	var s string
	switch {
	case o.Type == "string" && json.Unmarshal(o.Value, &s) == nil:
		return s
	case o.Unserial != "":
		return o.Unserial
	case o.Description != "":
		return o.Description
	case len(o.Value) > 0:
		return string(o.Value)
	}
	return o.Type
}

func joinArgs(args []remoteObject) string {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = a.String()
	}
	return strings.Join(parts, " ")
}
