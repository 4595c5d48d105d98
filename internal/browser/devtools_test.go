package browser_test

import (
	"bytes"
	"image/png"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/browser"
	"github.com/leakwatch/leakwatch/internal/browser/browsertest"
)

// events collects what Page.Listen reports.
type events struct {
	mu        sync.Mutex
	requests  []string
	responses []browsertest.Response
	console   []browsertest.Console
	thrown    []browsertest.Exception
	log       []browsertest.LogEntry
}

func (e *events) listeners() browsertest.Listeners {
	lock := func(f func()) { e.mu.Lock(); defer e.mu.Unlock(); f() }
	return browsertest.Listeners{
		Request:   func(r browsertest.Request) { lock(func() { e.requests = append(e.requests, r.Method+" "+r.URL) }) },
		Response:  func(r browsertest.Response) { lock(func() { e.responses = append(e.responses, r) }) },
		Console:   func(c browsertest.Console) { lock(func() { e.console = append(e.console, c) }) },
		Exception: func(x browsertest.Exception) { lock(func() { e.thrown = append(e.thrown, x) }) },
		Log:       func(l browsertest.LogEntry) { lock(func() { e.log = append(e.log, l) }) },
	}
}

// until polls ok, under the lock, for up to 10 seconds.
func (e *events) until(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		e.mu.Lock()
		done := ok()
		e.mu.Unlock()
		if done {
			return
		}
		if time.Now().After(deadline) {
			e.mu.Lock()
			defer e.mu.Unlock()
			t.Fatalf("no %s: requests %q, responses %+v, console %+v, exceptions %+v, log %+v",
				what, e.requests, e.responses, e.console, e.thrown, e.log)
		}
	}
}

// Page.Listen reports a page's requests, responses, console calls,
// uncaught exceptions and the browser's log entries, typed.
func TestPageListen(t *testing.T) {
	t.Parallel()
	p := env.Page(t)
	var ev events
	p.Listen(ev.listeners())
	p.Navigate(env.Server.URL("site.test", true, "/popped.html"))
	p.Eval(nil, `() => { console.warn("hi", 2, {a: 1}); fetch("/collect?via=listen", {method: "POST", body: "x"});
		fetch("/no-such-file.txt"); setTimeout(() => { throw new Error("boom"); }); }`)
	ev.until(t, "POST request", func() bool {
		for _, r := range ev.requests {
			if strings.HasPrefix(r, "POST ") && strings.HasSuffix(r, "/collect?via=listen") {
				return true
			}
		}
		return false
	})
	ev.until(t, "404 response from loopback", func() bool {
		for _, r := range ev.responses {
			if strings.HasSuffix(r.URL, "/no-such-file.txt") && r.Status == 404 && net.ParseIP(r.RemoteIP).IsLoopback() {
				return true
			}
		}
		return false
	})
	ev.until(t, "console warning", func() bool {
		return len(ev.console) > 0 && ev.console[0] == browsertest.Console{Type: "warning", Text: "hi 2 Object"}
	})
	ev.until(t, "exception", func() bool { return len(ev.thrown) > 0 && strings.Contains(ev.thrown[0].Description, "boom") })
	ev.until(t, "log entry for the 404", func() bool {
		for _, l := range ev.log {
			if l.Level == "error" && strings.Contains(l.Text, "404") && strings.HasSuffix(l.URL, "/no-such-file.txt") {
				return true
			}
		}
		return false
	})
}

// Tab.Listen's stop ends the calls: a page that keeps logging reaches the
// listener before stop and never after.
func TestTabListenStop(t *testing.T) {
	t.Parallel()
	p := env.Page(t)
	var mu sync.Mutex
	n := 0
	stop := p.Tab.Listen(func(e browser.Event) {
		if e.Method == "Runtime.consoleAPICalled" {
			mu.Lock()
			n++
			mu.Unlock()
		}
	})
	count := func() int { mu.Lock(); defer mu.Unlock(); return n }
	p.Eval(nil, `() => { window.tick = setInterval(() => console.log("tick"), 10); }`)
	p.WaitTrue(`() => new Promise(r => setTimeout(() => r(true), 100))`)
	if count() == 0 {
		t.Fatal("listener saw no console call")
	}
	stop()
	after := count()
	p.WaitTrue(`() => new Promise(r => setTimeout(() => r(true), 200))`)
	if got := count(); got != after {
		t.Errorf("listener called %d times after stop", got-after)
	}
}

// The Page helpers a test drives a tab with: content, script values and
// errors, emulation and screenshots.
func TestPageHelpers(t *testing.T) {
	t.Parallel()
	p := env.Page(t)
	p.SetContent(`<!doctype html><meta name="viewport" content="width=device-width"><style>@media print { #screen { display: none } }</style>
		<p id="screen">on screen</p><p id="gone" hidden>hidden</p><div style="height: 3000px"></div>`)
	if got := p.Text("#screen"); got != "on screen" {
		t.Errorf("Text = %q", got)
	}
	if !p.Visible("#screen") || p.Visible("#gone") {
		t.Error("Visible wrong for a shown and a hidden element")
	}
	var sum struct{ N int }
	p.Eval(&sum, `(a, b) => ({n: a.x + b})`, map[string]int{"x": 2}, 3)
	if sum.N != 5 {
		t.Errorf("Eval with arguments = %d, want 5", sum.N)
	}
	if _, err := p.EvalErr(`() => { throw new Error("nope") }`); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("EvalErr of a throwing script = %v", err)
	}
	p.EmulateMedia("print")
	if p.Visible("#screen") {
		t.Error("print media still shows #screen")
	}
	p.EmulateMedia("")
	p.SetViewport(390, 844, 2, true)
	if w := p.Int(`() => window.innerWidth`); w != 390 {
		t.Errorf("innerWidth = %d on a 390 px phone", w)
	}
	p.SetViewport(400, 300, 1, false)
	for _, tt := range []struct {
		full      bool
		minHeight int
	}{{false, 300}, {true, 3000}} {
		img, err := png.Decode(bytes.NewReader(p.Screenshot(tt.full)))
		if err != nil {
			t.Fatalf("screenshot (full %v) is not a PNG: %v", tt.full, err)
		}
		if b := img.Bounds(); b.Dx() != 400 || b.Dy() < tt.minHeight || !tt.full && b.Dy() != 300 {
			t.Errorf("screenshot (full %v) is %dx%d", tt.full, b.Dx(), b.Dy())
		}
	}
}
