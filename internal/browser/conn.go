package browser

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
)

// transport carries whole DevTools protocol messages to and from Chromium:
// a pipe (--remote-debugging-pipe) where the OS can hand one to a child, a
// WebSocket elsewhere.
type transport interface {
	// write sends one message; it is never called concurrently.
	write(msg []byte) error
	// read returns the next message; an error ends the connection.
	read() ([]byte, error)
	close() error
}

// event is a DevTools protocol event, from the browser or a session.
type event struct {
	SessionID string
	Method    string
	Params    json.RawMessage
}

// cdpError is an error answer to a command.
type cdpError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Data    string `json:"data"`
}

func (e *cdpError) Error() string {
	if e.Data != "" {
		return fmt.Sprintf("%s (%s; code %d)", e.Message, e.Data, e.Code)
	}
	return fmt.Sprintf("%s (code %d)", e.Message, e.Code)
}

// reply is the answer to one command.
type reply struct {
	result json.RawMessage
	err    error
}

// conn is a DevTools protocol client: commands whose answers are matched by
// ID, and events delivered in the order received. One reader goroutine
// reads both, so whoever consumes events must not wait for an answer on the
// same goroutine (the browser's handlers start goroutines for that).
type conn struct {
	t       transport
	wmu     sync.Mutex // serialises writes
	nextID  atomic.Int64
	mu      sync.Mutex
	pending map[int64]chan reply
	err     error         // why the connection ended; set before done is closed
	done    chan struct{} // closed when the connection has ended
	events  chan *event   // closed when the connection has ended
	// malformed is told of a message that is not DevTools protocol JSON.
	malformed func(error)
}

// newConn starts reading t.
func newConn(t transport, malformed func(error)) *conn {
	c := &conn{t: t, pending: map[int64]chan reply{}, done: make(chan struct{}), events: make(chan *event),
		malformed: malformed}
	go c.readLoop()
	return c
}

// message is any DevTools protocol message: a command, an answer or an event.
type message struct {
	ID        int64           `json:"id,omitempty"`
	SessionID string          `json:"sessionId,omitempty"`
	Method    string          `json:"method,omitempty"`
	Params    any             `json:"params,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     *cdpError       `json:"error,omitempty"`
}

// incoming is a message as read: its parameters kept raw.
type incoming struct {
	ID        int64           `json:"id"`
	SessionID string          `json:"sessionId"`
	Method    string          `json:"method"`
	Params    json.RawMessage `json:"params"`
	Result    json.RawMessage `json:"result"`
	Error     *cdpError       `json:"error"`
}

func (c *conn) readLoop() {
	defer close(c.events)
	for {
		data, err := c.t.read()
		if err != nil {
			c.end(err)
			return
		}
		var m incoming
		if err := json.Unmarshal(data, &m); err != nil {
			if c.malformed != nil {
				c.malformed(err)
			}
			continue
		}
		if m.Method != "" {
			c.events <- &event{SessionID: m.SessionID, Method: m.Method, Params: m.Params}
			continue
		}
		c.mu.Lock()
		ch := c.pending[m.ID]
		delete(c.pending, m.ID)
		c.mu.Unlock()
		if ch == nil {
			continue // the answer to a command sent with notify
		}
		if m.Error != nil {
			ch <- reply{err: m.Error}
		} else {
			ch <- reply{result: m.Result}
		}
	}
}

// end records why the connection ended and fails the commands waiting.
func (c *conn) end(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return
	}
	c.err = fmt.Errorf("%w: %w", errClosed, err)
	close(c.done)
	for id, ch := range c.pending {
		ch <- reply{err: c.err}
		delete(c.pending, id)
	}
}

// Events delivers the events until the connection ends.
func (c *conn) Events() <-chan *event { return c.events }

// Call sends a command and waits for its answer.
func (c *conn) Call(ctx context.Context, sessionID, method string, params any) (json.RawMessage, error) {
	id := c.nextID.Add(1)
	ch := make(chan reply, 1)
	c.mu.Lock()
	if c.err != nil {
		c.mu.Unlock()
		return nil, c.err
	}
	c.pending[id] = ch
	c.mu.Unlock()
	if err := c.write(message{ID: id, SessionID: sessionID, Method: method, Params: params}); err != nil {
		c.forget(id)
		return nil, err
	}
	select {
	case r := <-ch:
		return r.result, r.err
	case <-ctx.Done():
		c.forget(id)
		return nil, ctx.Err()
	}
}

func (c *conn) forget(id int64) {
	c.mu.Lock()
	delete(c.pending, id)
	c.mu.Unlock()
}

// Notify sends a command without waiting for its answer, which is dropped.
func (c *conn) Notify(sessionID, method string, params any) error {
	return c.write(message{ID: c.nextID.Add(1), SessionID: sessionID, Method: method, Params: params})
}

func (c *conn) write(m message) error {
	data, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("encode %s: %w", m.Method, err)
	}
	select {
	case <-c.done:
		return c.err
	default:
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if err := c.t.write(data); err != nil {
		return fmt.Errorf("send %s: %w", m.Method, err)
	}
	return nil
}

// Close ends the connection; the reader ends when the transport does.
func (c *conn) Close() error {
	err := c.t.close()
	c.end(errors.New("connection closed"))
	return err
}
