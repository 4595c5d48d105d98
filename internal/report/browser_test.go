package report

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/browser/browsertest"
)

// chromium is the one Chromium of the test binary's browser tests.
var chromium browsertest.Shared

func TestMain(m *testing.M) {
	code := m.Run()
	if err := chromium.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "close Chromium:", err)
	}
	os.Exit(code)
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

// openReport writes the HTML to a file and opens it in a new tab of the
// shared Chromium (never a download; skipped as browsertest does) that
// records every network request and console message.
func openReport(t *testing.T, html []byte) (*browsertest.Page, *pageLog, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(path, html, 0o644); err != nil {
		t.Fatal(err)
	}
	doc := (&url.URL{Scheme: "file", Path: path}).String()
	page := chromium.Page(t)
	page.Timeout = 60 * time.Second
	log := &pageLog{}
	page.Listen(browsertest.Listeners{
		Request: func(r browsertest.Request) { log.add(&log.requests, r.URL) },
		Console: func(c browsertest.Console) { log.add(&log.console, c.Type+": "+c.Text) },
		Exception: func(e browsertest.Exception) {
			log.add(&log.console, "exception: "+e.Text+" "+e.Description)
		},
		Log: func(e browsertest.LogEntry) { log.add(&log.console, e.Level+": "+e.Text) },
	})
	page.Navigate(doc)
	return page, log, doc
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
