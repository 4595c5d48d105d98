package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/browser"
	"github.com/leakwatch/leakwatch/internal/browser/browsertest"
)

// TestServeUIDemo drives the real binary's UI in headless Chromium on the
// demo site: log in, scan https://www.parcelpost.test/ with the demo
// persona, watch it finish, open the report; then restart the server and
// find the login still open.
func TestServeUIDemo(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	b := browsertest.Launch(t, ctx, browser.Options{}) // skips without Chromium
	dir := t.TempDir()
	p := startServeEnv(t, dir, []string{testStoreKey}, "--demo")
	token := waitToken(t, p)
	page := uiPage(t, ctx, b)
	page.Navigate(p.url)
	page.Fill("#token", token)
	page.Click("#login button[type=submit]")
	uiWaitText(page, "p", "No site yet")

	page.Eval(nil, `() => { location.hash = "#/scan" }`)
	page.WaitTrue(`() => !!document.querySelector('#submit select[name=persona] option[value=demo]')`)
	page.Fill("#url", "https://www.parcelpost.test/")
	page.Select("#submit select[name=persona]", "demo")
	page.Select("#submit select[name=consent]", "accept")
	page.Click("#submit button[type=submit]")
	page.WaitSelector("#report-link")
	uiWaitText(page, "#scan-state", "done")
	report := uiPage(t, ctx, b)
	report.Navigate(page.Str(`() => document.querySelector('#report-link').href`))
	if text := report.Text("body"); !strings.Contains(text, "Meta") || !strings.Contains(text, "Pinterest") {
		t.Fatalf("the demo scan's report does not name Meta and Pinterest: %.500s", text)
	}
	p.stop(t)

	// The session is in the store: after a restart the UI is still logged in.
	p2 := startServeEnv(t, dir, []string{testStoreKey}, "--demo")
	page.Navigate(p2.url)
	uiWaitText(page, "#who", "admin")
	uiWaitText(page, "#sites td", "parcelpost.test")
	p2.stop(t)
}

func uiPage(t *testing.T, ctx context.Context, b *browser.Browser) *browsertest.Page {
	t.Helper()
	tab, err := b.NewTab(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p := browsertest.NewPage(t, tab)
	p.Timeout = 120 * time.Second
	return p
}

func uiWaitText(p *browsertest.Page, sel, text string) {
	p.WaitTrue(`(sel, text) => [...document.querySelectorAll(sel)].some(e => e.textContent.includes(text))`, sel, text)
}
