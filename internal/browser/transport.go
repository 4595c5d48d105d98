package browser

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/websocket"
)

// pipeTransport speaks to a Chromium started with --remote-debugging-pipe:
// it reads commands from its file descriptor 3 and writes answers and
// events to 4, each message followed by a NUL byte. No port is opened, so
// no other local process or user can take the browser over.
type pipeTransport struct {
	w  *os.File // Chromium's fd 3
	rf *os.File // Chromium's fd 4
	r  *bufio.Reader
}

// pipeTo gives cmd the two pipes; after cmd started, the caller closes the
// ends it handed over with started.
func pipeTo(cmd *exec.Cmd) (t *pipeTransport, started func(), err error) {
	inR, inW, err := os.Pipe()
	if err != nil {
		return nil, nil, fmt.Errorf("devtools pipe: %w", err)
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		inR.Close()
		inW.Close()
		return nil, nil, fmt.Errorf("devtools pipe: %w", err)
	}
	cmd.ExtraFiles = []*os.File{inR, outW}
	t = &pipeTransport{w: inW, rf: outR, r: bufio.NewReaderSize(outR, 64<<10)}
	return t, func() { inR.Close(); outW.Close() }, nil
}

func (p *pipeTransport) write(msg []byte) error {
	_, err := p.w.Write(append(msg, 0))
	return err
}

func (p *pipeTransport) read() ([]byte, error) {
	b, err := p.r.ReadBytes(0)
	if err != nil {
		return nil, err
	}
	return b[:len(b)-1], nil
}

func (p *pipeTransport) close() error {
	return errors.Join(p.w.Close(), p.rf.Close())
}

// wsTransport speaks to Chromium's DevTools WebSocket on loopback, where a
// pipe cannot be handed to a child (Windows).
type wsTransport struct{ ws *websocket.Conn }

// wsOrigin is the Origin the client sends; Chromium accepts it with
// --remote-allow-origins.
const wsOrigin = "http://127.0.0.1"

// maxMessage bounds one DevTools message (a response body, base64).
const maxMessage = 256 << 20

func dialWS(ctx context.Context, url string) (*wsTransport, error) {
	cfg, err := websocket.NewConfig(url, wsOrigin)
	if err != nil {
		return nil, fmt.Errorf("connect to chromium at %s: %w", url, err)
	}
	ws, err := cfg.DialContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("connect to chromium at %s: %w", url, err)
	}
	ws.MaxPayloadBytes = maxMessage
	return &wsTransport{ws: ws}, nil
}

func (w *wsTransport) write(msg []byte) error { return websocket.Message.Send(w.ws, string(msg)) }

func (w *wsTransport) read() ([]byte, error) {
	var b []byte
	err := websocket.Message.Receive(w.ws, &b)
	return b, err
}

func (w *wsTransport) close() error { return w.ws.Close() }

// dial waits for Chromium's DevTools WebSocket and connects to it.
func (b *Browser) dial(ctx context.Context) (transport, error) {
	wsURL, err := b.waitEndpoint(ctx)
	if err != nil {
		return nil, err
	}
	return dialWS(ctx, wsURL)
}

// waitEndpoint waits for Chromium to write DevToolsActivePort.
func (b *Browser) waitEndpoint(ctx context.Context) (string, error) {
	timeout := b.startTimeout()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	file := filepath.Join(b.dataDir, "DevToolsActivePort")
	for {
		if data, err := os.ReadFile(file); err == nil {
			lines := strings.Split(strings.TrimSpace(string(data)), "\n")
			if len(lines) == 2 {
				if _, err := strconv.Atoi(lines[0]); err == nil {
					return "ws://127.0.0.1:" + lines[0] + lines[1], nil
				}
			}
		}
		select {
		case <-ctx.Done():
			return "", fmt.Errorf("start chromium: %w", ctx.Err())
		case <-b.exited:
			return "", fmt.Errorf("chromium %s exited at start: %s", b.opts.Exec, b.stderr.String())
		case <-deadline.C:
			return "", fmt.Errorf("chromium %s did not open DevTools within %s: %s", b.opts.Exec, timeout, b.stderr.String())
		case <-tick.C:
		}
	}
}
