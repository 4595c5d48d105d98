package report

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/proto"

	"github.com/leakwatch/leakwatch/internal/browser/browsertest"
)

// chromium is the one Chromium of the test binary's browser tests.
var chromium browsertest.SharedRod

func TestMain(m *testing.M) {
	code := m.Run()
	chromium.Close()
	os.Exit(code)
}

// startChromium returns the shared Chromium (never a download), or skips t
// as browsertest does.
func startChromium(t *testing.T) *rod.Browser {
	t.Helper()
	return chromium.Browser(t)
}

// pageLog records what a tab fetched and what its console said.
type pageLog struct {
	mu       sync.Mutex
	requests []string
	console  []string
}

func (l *pageLog) add(list *[]string, s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	*list = append(*list, s)
}

func (l *pageLog) snapshot() (reqs, console []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string{}, l.requests...), append([]string{}, l.console...)
}

// openReport writes the HTML to a file and opens it in a new tab that
// records every network request and console message.
func openReport(t *testing.T, b *rod.Browser, html []byte) (*rod.Page, *pageLog, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(path, html, 0o644); err != nil {
		t.Fatal(err)
	}
	doc := (&url.URL{Scheme: "file", Path: path}).String()
	page, err := b.Page(proto.TargetCreateTarget{URL: "about:blank"})
	if err != nil {
		t.Fatalf("open tab: %v", err)
	}
	t.Cleanup(func() { _ = page.Close() })
	page = page.Timeout(60 * time.Second)
	for name, enable := range map[string]func() error{
		"network": func() error { return proto.NetworkEnable{}.Call(page) },
		"runtime": func() error { return proto.RuntimeEnable{}.Call(page) },
		"log":     func() error { return proto.LogEnable{}.Call(page) },
	} {
		if err := enable(); err != nil {
			t.Fatalf("enable CDP %s events: %v", name, err)
		}
	}
	log := &pageLog{}
	go page.EachEvent(
		func(e *proto.NetworkRequestWillBeSent) { log.add(&log.requests, e.Request.URL) },
		func(e *proto.RuntimeConsoleAPICalled) { log.add(&log.console, string(e.Type)+": "+consoleText(e)) },
		func(e *proto.RuntimeExceptionThrown) { log.add(&log.console, "exception: "+e.ExceptionDetails.Text) },
		func(e *proto.LogEntryAdded) { log.add(&log.console, string(e.Entry.Level)+": "+e.Entry.Text) },
	)()
	if err := page.Navigate(doc); err != nil {
		t.Fatalf("navigate to %s: %v", doc, err)
	}
	if err := page.WaitLoad(); err != nil {
		t.Fatalf("wait for load: %v", err)
	}
	return page, log, doc
}

func consoleText(e *proto.RuntimeConsoleAPICalled) string {
	var parts []string
	for _, a := range e.Args {
		parts = append(parts, a.Value.String()+a.Description)
	}
	return strings.Join(parts, " ")
}

// fakeScreenshot draws a small page-like PNG.
func fakeScreenshot() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 480, 300))
	for y := range 300 {
		for x := range 480 {
			c := color.RGBA{250, 250, 252, 255}
			switch {
			case y < 40:
				c = color.RGBA{36, 81, 143, 255}
			case y > 70 && y < 90 && x > 30 && x < 300, y > 110 && y < 120 && x > 30 && x < 420:
				c = color.RGBA{200, 204, 210, 255}
			case y > 150 && y < 270 && x > 30 && x < 220:
				c = color.RGBA{228, 232, 238, 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return buf.Bytes()
}
