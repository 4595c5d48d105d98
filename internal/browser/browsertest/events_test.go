package browsertest

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/leakwatch/leakwatch/internal/browser"
)

// record returns Listeners that describe every call into got.
func record(got *[]string) Listeners {
	add := func(v any) { *got = append(*got, fmt.Sprintf("%T %+v", v, v)) }
	return Listeners{
		Request:   func(r Request) { add(r) },
		Response:  func(r Response) { add(r) },
		Console:   func(c Console) { add(c) },
		Exception: func(e Exception) { add(e) },
		Log:       func(l LogEntry) { add(l) },
	}
}

func TestListenersDispatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		method, params string
		want           string // the call made, "" for none
		err            bool
	}{
		{"Network.requestWillBeSent", `{"requestId":"1","request":{"url":"https://a.test/x","method":"POST","headers":{}}}`,
			"browsertest.Request {URL:https://a.test/x Method:POST}", false},
		{"Network.responseReceived", `{"response":{"url":"https://a.test/x","status":204,"remoteIPAddress":"[::1]","remotePort":443}}`,
			"browsertest.Response {URL:https://a.test/x Status:204 RemoteIP:::1}", false},
		{"Runtime.consoleAPICalled", `{"type":"error","args":[{"type":"string","value":"boom"},{"type":"number","value":2,"description":"2"},
			{"type":"number","unserializableValue":"NaN","description":"NaN"},{"type":"object","className":"Object","description":"Object"},
			{"type":"undefined"}]}`,
			"browsertest.Console {Type:error Text:boom 2 NaN Object undefined}", false},
		{"Runtime.exceptionThrown", `{"timestamp":1,"exceptionDetails":{"text":"Uncaught","exception":{"type":"object","description":"Error: boom\n    at x"}}}`,
			"browsertest.Exception {Text:Uncaught Description:Error: boom\n    at x}", false},
		{"Log.entryAdded", `{"entry":{"source":"network","level":"error","text":"Failed to load resource","url":"https://a.test/404"}}`,
			"browsertest.LogEntry {Level:error Text:Failed to load resource URL:https://a.test/404}", false},
		{"Page.loadEventFired", `{"timestamp":1}`, "", false},
		{"Network.requestWillBeSent", `{"request":"not an object"}`, "", true},
		{"Log.entryAdded", `[]`, "", true},
	}
	for _, tt := range tests {
		var got []string
		err := record(&got).dispatch(browser.Event{Method: tt.method, Params: json.RawMessage(tt.params)})
		if (err != nil) != tt.err {
			t.Errorf("%s %s: error %v, want error %v", tt.method, tt.params, err, tt.err)
		}
		var want []string
		if tt.want != "" {
			want = []string{tt.want}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: calls %q, want %q", tt.method, got, want)
		}
	}
}

// A nil listener is not called, and its events are not even decoded.
func TestListenersNil(t *testing.T) {
	t.Parallel()
	if err := (Listeners{}).dispatch(browser.Event{Method: "Log.entryAdded", Params: json.RawMessage(`[]`)}); err != nil {
		t.Errorf("event without a listener decoded: %v", err)
	}
}
