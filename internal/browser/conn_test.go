package browser

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

// fakeTransport is Chromium's side of a connection, in memory.
type fakeTransport struct {
	in  chan []byte // what the client wrote
	out chan []byte // what the client reads
}

func newFake() *fakeTransport {
	return &fakeTransport{in: make(chan []byte, 16), out: make(chan []byte, 16)}
}

func (f *fakeTransport) write(msg []byte) error { f.in <- append([]byte(nil), msg...); return nil }

func (f *fakeTransport) read() ([]byte, error) {
	m, ok := <-f.out
	if !ok {
		return nil, io.EOF
	}
	return m, nil
}

func (f *fakeTransport) close() error { return nil }

func TestConn(t *testing.T) {
	t.Parallel()
	f := newFake()
	var bad []error
	c := newConn(f, func(err error) { bad = append(bad, err) })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	type res struct {
		raw json.RawMessage
		err error
	}
	calls := make(chan res, 2)
	go func() {
		r, err := c.Call(ctx, "S1", "Runtime.evaluate", map[string]any{"expression": "1"})
		calls <- res{r, err}
	}()
	var sent message
	if err := json.Unmarshal(<-f.in, &sent); err != nil || sent.Method != "Runtime.evaluate" || sent.SessionID != "S1" {
		t.Fatalf("sent %+v, %v", sent, err)
	}
	// Garbage, an event and an unknown answer come first; then the answer.
	f.out <- []byte("{not json")
	f.out <- []byte(`{"method":"Page.loadEventFired","sessionId":"S1","params":{"timestamp":1}}`)
	f.out <- []byte(`{"id":999999,"result":{}}`)
	ev := <-c.Events()
	if ev.Method != "Page.loadEventFired" || ev.SessionID != "S1" || string(ev.Params) != `{"timestamp":1}` {
		t.Errorf("event %+v", ev)
	}
	f.out <- []byte(`{"id":` + jsonInt(sent.ID) + `,"result":{"result":{"value":2}}}`)
	if r := <-calls; r.err != nil || string(r.raw) != `{"result":{"value":2}}` {
		t.Errorf("answer %s, %v", r.raw, r.err)
	}
	if len(bad) != 1 {
		t.Errorf("malformed messages reported: %v", bad)
	}

	go func() { r, err := c.Call(ctx, "", "Target.closeTarget", nil); calls <- res{r, err} }()
	_ = json.Unmarshal(<-f.in, &sent)
	f.out <- []byte(`{"id":` + jsonInt(sent.ID) + `,"error":{"code":-32602,"message":"No target with given id found"}}`)
	if r := <-calls; r.err == nil || !strings.Contains(r.err.Error(), "No target with given id found") {
		t.Errorf("error answer gave %v", r.err)
	}

	// The connection ends: a waiting call fails at once, later ones too.
	go func() { r, err := c.Call(ctx, "", "Browser.getVersion", nil); calls <- res{r, err} }()
	<-f.in
	close(f.out)
	if r := <-calls; !errors.Is(r.err, errClosed) {
		t.Errorf("call on an ended connection: %v", r.err)
	}
	if _, ok := <-c.Events(); ok {
		t.Error("events not closed")
	}
	if _, err := c.Call(ctx, "", "Browser.getVersion", nil); !errors.Is(err, errClosed) {
		t.Errorf("call after the end: %v", err)
	}
}

func jsonInt(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// TestWebSocketTransport drives a Chromium over its DevTools WebSocket, the
// transport of systems that cannot hand it a pipe.
func TestWebSocketTransport(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test: skipped with -short")
	}
	if _, err := Find(); err != nil {
		t.Skip(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	b, err := Launch(ctx, Options{webSocket: true, NoSandbox: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	tab, err := b.NewTab(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := tab.Navigate(ctx, "data:text/html,<title>ws</title>"); err != nil {
		t.Fatal(err)
	}
	v, err := tab.Eval(ctx, "document.title")
	if err != nil || string(v) != `"ws"` {
		t.Errorf("title %s, %v", v, err)
	}
	for _, p := range Processes(b.UserDataDir()) {
		if strings.Contains(p.Cmdline, "--remote-debugging-pipe") {
			t.Errorf("a pipe was used: %s", p.Cmdline)
		}
	}
}
