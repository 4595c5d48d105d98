package report

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/browser/browsertest"
)

// TestHTMLInChromium opens the HTML report in headless Chromium and checks
// that it fetches nothing, logs nothing, names the right companies and that
// search and filters hide and show cards.
func TestHTMLInChromium(t *testing.T) {
	var buf bytes.Buffer
	opts := Options{Screenshots: map[string][]byte{"page-1.png": fakeScreenshot()}}
	if err := Render(&buf, shopReport(), "html", opts); err != nil {
		t.Fatal(err)
	}
	page, log, doc := openReport(t, buf.Bytes())

	summary := page.Text("#summary")
	for _, name := range []string{"Meta", "LinkedIn", "Google"} {
		if !strings.Contains(summary, name) {
			t.Errorf("summary %q does not name %s", summary, name)
		}
	}
	if strings.Contains(summary, "Hotjar") {
		t.Errorf("summary %q names Hotjar, which received no persona data", summary)
	}
	if h := page.Text("#headline"); !strings.HasPrefix(h, "3 companies received personal data") {
		t.Errorf("headline = %q", h)
	}

	if w := page.Int(`() => { const i = document.querySelector('#screens img'); return i ? i.naturalWidth : -1 }`); w != 480 {
		t.Errorf("embedded page screenshot is %d px wide, want 480 (not decoded?)", w)
	}

	visible := func() string {
		return page.Str(`() => Array.from(document.querySelectorAll('article.card'))
			.filter(c => !c.hidden && c.offsetParent !== null).map(c => c.dataset.company).join(",")`)
	}
	const all = "Meta,LinkedIn,Google,Hotjar,trk.example-cdn.io"
	steps := []struct {
		name string
		act  func()
		want string
	}{
		{"initial", func() {}, all},
		{"search linkedin", func() { page.Type("#q", "insight.min.js") }, "LinkedIn"},
		{"search cleared", func() { page.Fill("#q", "") }, all},
		{"company Google", func() { page.Select("#f-company", "Google") }, "Google"},
		{"reset", func() { page.Click("#f-reset") }, all},
		{"kind ZIP", func() { page.Select("#f-kind", "ZIP code") }, "Meta"},
		{"kind street", func() { page.Select("#f-kind", "street address") }, "LinkedIn"},
		{"kind phone (pattern)", func() { page.Select("#f-kind", "phone number") }, "Hotjar"},
		{"any personal data", func() { page.Select("#f-kind", "Any personal data") }, "Meta,LinkedIn,Google,Hotjar"},
		{"search within filter", func() { page.Type("#q", "hashed email") }, "Meta,LinkedIn"},
		{"diagram click", func() { page.Click(`.node-g[data-target^="c2-"]`) }, "LinkedIn"},
		{"reset again", func() { page.Click("#f-reset") }, all},
		{"no match", func() { page.Fill("#q", "no-such-thing-anywhere") }, ""},
	}
	for _, s := range steps {
		s.act()
		if got := visible(); got != s.want {
			t.Errorf("%s: visible cards = %q, want %q", s.name, got, s.want)
		}
	}
	if !page.Visible("#none") {
		t.Error("no-match message hidden when no card matches")
	}
	page.Click("#f-reset")
	page.Click("details summary") // opening raw evidence fetches nothing either

	checkPrint(t, page)
	if wantScreenshots() {
		saveScreenshot(t, page, 1280, 1600, false, filepath.Join("..", "..", "docs", "report-screenshot.png"))
	}
	checkQuiet(t, log, doc)
}

// TestChromiumRecorderSeesRequests proves the recorder above would notice:
// a page without the report's CSP that loads an image from a loopback
// server must show up in the log, as must a console error.
func TestChromiumRecorderSeesRequests(t *testing.T) {
	hits := make(chan string, 4)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits <- r.URL.Path
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	page := `<!DOCTYPE html><title>t</title><img src="` + srv.URL + `/pixel.gif"><script>console.error("boom")</script>`
	_, log, _ := openReport(t, []byte(page))
	select {
	case <-hits:
	case <-time.After(10 * time.Second):
		t.Fatal("loopback server saw no request")
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		reqs, console := log.snapshot()
		if slices.Contains(reqs, srv.URL+"/pixel.gif") && len(console) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("recorder missed the image request or the console error: %q %q", reqs, console)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestHTMLOnPhone checks that a 390 px wide screen needs no sideways scroll.
func TestHTMLOnPhone(t *testing.T) {
	for _, fx := range fixtures {
		t.Run(fx.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Render(&buf, fx.report(), "html", Options{}); err != nil {
				t.Fatal(err)
			}
			page, log, doc := openReport(t, buf.Bytes())
			page.SetViewport(390, 844, 3, true)
			page.Eval(nil, `() => document.querySelectorAll('details').forEach(d => d.open = true)`)
			var w [2]int
			page.Eval(&w, `() => [document.documentElement.scrollWidth, window.innerWidth]`)
			if sw, iw := w[0], w[1]; sw > iw {
				t.Errorf("page is %d px wide on a %d px screen", sw, iw)
			}
			// Content spilling out of its box (long URLs) counts too, except
			// inside boxes that scroll on purpose.
			spill := page.Str(`() => Array.from(document.querySelectorAll('body *'))
				.filter(e => !(e instanceof SVGElement) && e.clientWidth > 0 &&
					getComputedStyle(e).overflowX === 'visible' && e.scrollWidth > e.clientWidth + 1 &&
					!e.closest('.scroll, .flow-wrap'))
				.slice(0, 8).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') +
					' ' + e.scrollWidth + '>' + e.clientWidth).join('; ')`)
			if spill != "" {
				t.Errorf("content spills out of its box at 390 px: %s", spill)
			}
			if wantScreenshots() && fx.name == "shop" {
				saveScreenshot(t, page, 390, 844, true, filepath.Join(os.TempDir(), "leakwatch-report-phone.png"))
			}
			checkQuiet(t, log, doc)
		})
	}
}

// checkQuiet fails on any request but the document and data: URIs, and on
// any console message.
func checkQuiet(t *testing.T, log *pageLog, doc string) {
	t.Helper()
	reqs, console := log.snapshot()
	seenDoc := false
	for _, u := range reqs {
		switch {
		case u == doc:
			seenDoc = true
		case strings.HasPrefix(u, "data:"):
		default:
			t.Errorf("report made a network request: %s", u)
		}
	}
	if !seenDoc {
		t.Errorf("network log did not record the document %s (recording broken?): %q", doc, reqs)
	}
	for _, c := range console {
		t.Errorf("console: %s", c)
	}
}

// wantScreenshots says whether to write the README's screenshot of the report
// (docs/report-screenshot.png) and a phone one: LEAKWATCH_SCREENSHOTS=1.
// Not -update: pixels differ between Chromium builds and fonts, and -update
// on a clean tree must change nothing.
func wantScreenshots() bool { return os.Getenv("LEAKWATCH_SCREENSHOTS") == "1" }

func saveScreenshot(t *testing.T, page *browsertest.Page, w, h int, full bool, path string) {
	t.Helper()
	page.SetViewport(w, h, 1, false)
	page.Eval(nil, `() => window.scrollTo(0, 0)`)
	img := page.Screenshot(full)
	if err := os.WriteFile(path, img, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s", path)
}

// checkPrint switches the tab to print media: controls go, the diagram and
// cards stay, and printing opens every raw request.
func checkPrint(t *testing.T, page *browsertest.Page) {
	t.Helper()
	page.EmulateMedia("print")
	defer page.EmulateMedia("")
	var got struct {
		Controls, Diagram string
		Cards             int
	}
	page.Eval(&got, `() => ({controls: getComputedStyle(document.querySelector('.controls')).display,
		diagram: getComputedStyle(document.querySelector('svg.flow')).display,
		cards: document.querySelectorAll('article.card:not([hidden])').length})`)
	if got.Controls != "none" || got.Diagram == "none" || got.Cards != 5 {
		t.Errorf("print media: controls display %s, diagram display %s, %d cards shown; want none, shown, 5",
			got.Controls, got.Diagram, got.Cards)
	}
	opened := page.Int(`() => { window.dispatchEvent(new Event('beforeprint'));
		const n = Array.from(document.querySelectorAll('details')).filter(d => !d.open).length;
		window.dispatchEvent(new Event('afterprint')); return n; }`)
	if opened != 0 {
		t.Errorf("%d <details> stay closed when printing", opened)
	}
}
