package browser

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
)

// Crash makes the tab's renderer crash, for tests of crash handling.
// It does not wait: a crashing renderer never answers.
func (t *Tab) Crash(context.Context) {
	t.c.b.send(t.s.id, "Page.crash", nil)
}

// BarePage is a page of a second Chromium started with the same flags and
// driven over the same DevTools transport, but with none of leakwatch's
// recording: what a visit costs without it, for benchmarks.
type BarePage struct {
	c       *conn
	cmd     *exec.Cmd
	dir     string
	session string
	loads   chan struct{}
}

// NewBarePage starts the second Chromium with extra flags and opens a page.
func NewBarePage(ctx context.Context, args []string) (*BarePage, error) {
	exe, err := Find()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "leakwatch-bare-")
	if err != nil {
		return nil, err
	}
	p := &BarePage{dir: dir, loads: make(chan struct{}, 16)}
	all := append(append([]string{}, rootFlags...), "--no-sandbox", "--headless", "--remote-debugging-pipe",
		"--user-data-dir="+dir)
	p.cmd = exec.Command(exe, append(all, args...)...)
	setProcAttr(p.cmd)
	t, handedOver, err := pipeTo(p.cmd)
	if err != nil {
		p.Close()
		return nil, err
	}
	err = p.cmd.Start()
	handedOver()
	if err != nil {
		p.Close()
		return nil, err
	}
	p.c = newConn(t, nil)
	go p.watch()
	if err := p.open(ctx); err != nil {
		p.Close()
		return nil, err
	}
	return p, nil
}

func (p *BarePage) open(ctx context.Context) error {
	var target struct {
		TargetID string `json:"targetId"`
	}
	raw, err := p.c.Call(ctx, "", "Target.createTarget", map[string]any{"url": "about:blank"})
	if err == nil {
		err = json.Unmarshal(raw, &target)
	}
	if err != nil {
		return fmt.Errorf("bare page: %w", err)
	}
	var att struct {
		SessionID string `json:"sessionId"`
	}
	raw, err = p.c.Call(ctx, "", "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true})
	if err == nil {
		err = json.Unmarshal(raw, &att)
	}
	if err != nil {
		return fmt.Errorf("bare page: %w", err)
	}
	p.session = att.SessionID
	_, err = p.c.Call(ctx, p.session, "Page.enable", nil)
	return err
}

func (p *BarePage) watch() {
	for ev := range p.c.Events() {
		if ev.Method == "Page.loadEventFired" && ev.SessionID == p.session {
			select {
			case p.loads <- struct{}{}:
			default:
			}
		}
	}
}

// Navigate loads u and waits for its load event.
func (p *BarePage) Navigate(ctx context.Context, u string) error {
	for len(p.loads) > 0 {
		<-p.loads
	}
	if _, err := p.c.Call(ctx, p.session, "Page.navigate", map[string]any{"url": u}); err != nil {
		return err
	}
	select {
	case <-p.loads:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close ends the second Chromium and removes its profile.
func (p *BarePage) Close() {
	if p.c != nil {
		_ = p.c.Close()
	}
	if p.cmd != nil && p.cmd.Process != nil {
		killGroup(p.cmd.Process.Pid)
		_ = p.cmd.Wait()
	}
	_ = os.RemoveAll(p.dir)
}
