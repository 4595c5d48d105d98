package server

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/browser"
	"github.com/leakwatch/leakwatch/internal/browser/browsertest"
	"github.com/leakwatch/leakwatch/internal/store"
)

// TestUIInChromium drives the web UI in headless Chromium as a user does:
// log in, submit a scan of a HAR-backed site, watch it finish over the
// event stream, open its report, scan again and diff the two scans.
func TestUIInChromium(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	e := newEnv(t)
	b := browsertest.Launch(t, ctx, browser.Options{})
	page := newUIPage(t, ctx, b)
	var mu sync.Mutex
	var scriptErrs []string
	page.Listen(browsertest.Listeners{Exception: func(ev browsertest.Exception) {
		mu.Lock()
		defer mu.Unlock()
		scriptErrs = append(scriptErrs, ev.Text)
	}})
	page.Navigate(e.ts.URL + "/")

	page.Fill("#token", e.tokens[store.RoleScan])
	page.Click("#login button[type=submit]")
	waitText(page, "p", "No site yet")

	reportURL := submitInUI(t, page, "#/scan", harURL("health-shop-mylabbox.har"))
	var rep struct {
		Companies []struct{ Name string } `json:"companies"`
	}
	id := reportURL[strings.Index(reportURL, "/api/scans/")+len("/api/scans/") : strings.Index(reportURL, "/report.html")]
	e.must(200, "GET", "/api/scans/"+id+"/report.json", store.RoleRead, nil, &rep)
	if len(rep.Companies) == 0 {
		t.Fatal("the scan's report names no company")
	}
	report := newUIPage(t, ctx, b)
	report.Timeout = 60 * time.Second
	report.Navigate(reportURL)
	if text := report.Text("body"); !strings.Contains(text, rep.Companies[0].Name) {
		t.Fatalf("the report page does not name %s", rep.Companies[0].Name)
	}

	// Scan the same site again from its history page, then diff the two.
	page.Click("#scan-links a[href^='#/sites/']")
	clickText(page, "a", "Scan again")
	submitInUI(t, page, "", harURL("health-shop-oraquick.har"))
	page.Click("#scan-links a[href^='#/sites/']")
	page.WaitTrue(`() => document.querySelectorAll('#history input[type=checkbox]').length === 2`)
	page.Eval(nil, `() => document.querySelectorAll('#history input[type=checkbox]').forEach(b => b.click())`)
	page.Click("#diff")
	page.WaitTrue(`() => (document.querySelector('#diff-text')?.innerText || '').trim() !== ''`)
	mu.Lock()
	defer mu.Unlock()
	if len(scriptErrs) > 0 {
		t.Fatalf("page script errors: %v", scriptErrs)
	}
}

// newUIPage opens a tab in the browser's default context, so that the
// tabs share the login's session cookie.
func newUIPage(t *testing.T, ctx context.Context, b *browser.Browser) *browsertest.Page {
	t.Helper()
	tab, err := b.NewTab(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p := browsertest.NewPage(t, tab)
	p.Timeout = 90 * time.Second
	return p
}

// waitText waits until an element matching sel holds text.
func waitText(p *browsertest.Page, sel, text string) {
	p.WaitTrue(`(sel, text) => [...document.querySelectorAll(sel)].some(e => e.textContent.includes(text))`, sel, text)
}

// clickText clicks the first element matching sel that holds text.
func clickText(p *browsertest.Page, sel, text string) {
	p.WaitTrue(`(sel, text) => { const e = [...document.querySelectorAll(sel)].find(e => e.textContent.includes(text)); if (e) e.click(); return !!e }`, sel, text)
}

// submitInUI opens the submit form (at hash, or where the page is), scans
// target, waits for the scan page to show it done, and returns the
// report's URL.
func submitInUI(t *testing.T, page *browsertest.Page, hash, target string) string {
	t.Helper()
	if hash != "" {
		page.Eval(nil, `h => { location.hash = h }`, hash)
	}
	page.Fill("#url", target)
	page.Click("#submit button[type=submit]")
	page.WaitSelector("#report-link")
	waitText(page, "#scan-state", "done")
	href := page.Str(`() => document.querySelector('#report-link').href`)
	if !strings.Contains(href, "/report.html") {
		t.Fatalf("report link %q", href)
	}
	return href
}
