package main

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/browser"
	"github.com/leakwatch/leakwatch/internal/browser/browsertest"
)

// TestServeUIDemo drives the real binary's UI in headless Chromium on the
// demo site, as issue 15 asks: log in, scan a page of the demo site that
// loads no tag, watch it finish, add a signed webhook to the site, scan
// its home page accepting consent with the demo persona, see the alert for
// the companies that added arrive, open the report, diff the two scans;
// then restart the server and find the login still open.
func TestServeUIDemo(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	b := browsertest.Launch(t, ctx, browser.Options{}) // skips without Chromium
	rcv := &hookReceiver{secret: "ui-demo-webhook-secret"}
	hook := httptest.NewServer(rcv)
	defer hook.Close()
	dir := t.TempDir()
	// --allow-private-targets: the webhook receiver is on loopback.
	p := startServeEnv(t, dir, []string{testStoreKey}, "--demo", "--allow-private-targets")
	token := waitToken(t, p)
	page := uiPage(t, ctx, b)
	page.Navigate(p.url)
	page.Fill("#token", token)
	page.Click("#login button[type=submit]")
	uiWaitText(page, "p", "No site yet")

	page.Eval(nil, `() => { location.hash = "#/scan" }`)
	page.WaitTrue(`() => !!document.querySelector('#submit select[name=persona] option[value=demo]')`)
	uiScan(page, "https://www.parcelpost.test/.well-known/gpc.json", "reject", "")

	page.Click("#scan-links a[href^='#/sites/']")
	page.WaitSelector("#notify-form")
	page.Select("#notify-kind", "webhook")
	page.Fill("#notify-url", hook.URL+"/alerts")
	page.Fill("#notify-secret", rcv.secret)
	page.Click("#notify-form button[type=submit]")
	page.WaitSelector("#notify-targets")
	uiClickText(page, "a", "Scan again")
	page.WaitTrue(`() => !!document.querySelector('#submit select[name=persona] option[value=demo]')`)
	uiScan(page, "https://www.parcelpost.test/", "accept", "demo")
	alert := waitDelivery(t, rcv, 90*time.Second)
	if !strings.Contains(string(alert.body), "Meta") {
		t.Errorf("the alert does not name Meta, which accepting consent added: %.600s", alert.body)
	}

	report := uiPage(t, ctx, b)
	report.Navigate(page.Str(`() => document.querySelector('#report-link').href`))
	if text := report.Text("body"); !strings.Contains(text, "Meta") || !strings.Contains(text, "Pinterest") {
		t.Fatalf("the demo scan's report does not name Meta and Pinterest: %.500s", text)
	}
	page.Click("#scan-links a[href^='#/sites/']")
	page.WaitTrue(`() => document.querySelectorAll('#history input[type=checkbox]').length === 2`)
	page.Eval(nil, `() => document.querySelectorAll('#history input[type=checkbox]').forEach(b => b.click())`)
	page.Click("#diff")
	page.WaitTrue(`() => (document.querySelector('#diff-text')?.innerText || '').includes('Meta')`)
	p.stop(t)
	if good, bad := rcv.got(); len(good) != 1 || bad != 0 {
		t.Errorf("%d signed alerts and %d badly signed, want exactly 1", len(good), bad)
	}

	// The session is in the store: after a restart the UI is still logged in.
	p2 := startServeEnv(t, dir, []string{testStoreKey}, "--demo")
	page.Navigate(p2.url)
	uiWaitText(page, "#who", "admin")
	uiWaitText(page, "#sites td", "parcelpost.test")
	p2.stop(t)
}

// uiScan submits a scan of a demo site URL from the open submit form and
// waits for the scan page to show it done.
func uiScan(page *browsertest.Page, url, consent, persona string) {
	page.Fill("#url", url)
	if persona != "" {
		page.Select("#submit select[name=persona]", persona)
	}
	page.Select("#submit select[name=consent]", consent)
	page.Click("#submit button[type=submit]")
	page.WaitSelector("#report-link")
	uiWaitText(page, "#scan-state", "done")
}

func uiClickText(p *browsertest.Page, sel, text string) {
	p.WaitTrue(`(sel, text) => { const e = [...document.querySelectorAll(sel)].find(e => e.textContent.includes(text)); if (e) e.click(); return !!e }`, sel, text)
}

// waitDelivery waits for the receiver's first signed delivery.
func waitDelivery(t *testing.T, rcv *hookReceiver, limit time.Duration) delivery {
	t.Helper()
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if good, bad := rcv.got(); len(good) > 0 || bad > 0 {
			if bad > 0 {
				t.Fatalf("%d badly signed deliveries", bad)
			}
			return good[0]
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("no alert within %s", limit)
	return delivery{}
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
