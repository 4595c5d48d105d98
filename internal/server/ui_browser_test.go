package server

import (
	"bytes"
	"context"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/browser"
	"github.com/leakwatch/leakwatch/internal/browser/browsertest"
	"github.com/leakwatch/leakwatch/internal/jobs"
	"github.com/leakwatch/leakwatch/internal/store"
)

// TestUIInChromium drives the web UI in headless Chromium as a user does:
// log in, submit a scan of a HAR-backed site, watch it finish over the
// event stream, open its report, add a signed webhook to the site, scan
// again and see the alert for the new company reach the webhook, diff the
// two scans; then store, list and delete a persona without its values
// ever coming back.
func TestUIInChromium(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	rcv := &receiver{secret: []byte("ui-webhook-secret-0123")}
	hook := httptest.NewServer(rcv)
	defer hook.Close()
	e := newEnvStore(t, "sqlite:"+filepath.Join(t.TempDir(), "db"), store.Config{Key: bytes.Repeat([]byte{7}, 32)},
		func(c *Config) {
			c.AllowPrivateTargets = true // the webhook receiver is on loopback
			n := &jobs.Notifier{Store: c.Store, Targets: jobs.StoredTargets(c.Store), Backoff: 10 * time.Millisecond,
				Deliverer: jobs.Deliverer{Client: hook.Client()}}
			c.Notify = n.Notify
		})
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

	page.Fill("#token", e.tokens[store.RoleAdmin])
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

	// On the site's page, add a signed webhook; scan the site again (a new
	// company: Salesforce), see the alert arrive, then diff the two scans.
	page.Click("#scan-links a[href^='#/sites/']")
	page.WaitSelector("#notify-form")
	page.Select("#notify-kind", "webhook")
	page.Fill("#notify-url", hook.URL+"/alerts")
	page.Fill("#notify-secret", string(rcv.secret))
	page.Click("#notify-form button[type=submit]")
	page.WaitSelector("#notify-targets")
	if text := page.Text("#notify"); strings.Contains(text, "/alerts") || strings.Contains(text, string(rcv.secret)) {
		t.Fatalf("the notification settings show the webhook's path or secret: %s", text)
	}
	clickText(page, "a", "Scan again")
	submitInUI(t, page, "", harURL("health-shop-oraquick.har"))
	waitAlert(t, rcv, "Salesforce")
	page.Click("#scan-links a[href^='#/sites/']")
	page.WaitTrue(`() => document.querySelectorAll('#history input[type=checkbox]').length === 2`)
	page.Eval(nil, `() => document.querySelectorAll('#history input[type=checkbox]').forEach(b => b.click())`)
	page.Click("#diff")
	page.WaitTrue(`() => (document.querySelector('#diff-text')?.innerText || '').trim() !== ''`)
	personasInUI(t, page)
	mu.Lock()
	defer mu.Unlock()
	if len(scriptErrs) > 0 {
		t.Fatalf("page script errors: %v", scriptErrs)
	}
}

// waitAlert waits for the one signed notification naming company.
func waitAlert(t *testing.T, rcv *receiver, company string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for good, _ := rcv.got(); len(good) == 0 && time.Now().Before(deadline); good, _ = rcv.got() {
		time.Sleep(50 * time.Millisecond)
	}
	good, bad := rcv.got()
	if len(good) != 1 || bad != 0 || !strings.Contains(string(good[0]), `"company":"`+company+`"`) {
		t.Fatalf("alerts: %d signed, %d badly signed, want one naming %s: %.400s", len(good), bad, company, good)
	}
}

// personasInUI stores a persona through the persona page, sees it listed
// without its values, and deletes it.
func personasInUI(t *testing.T, page *browsertest.Page) {
	t.Helper()
	const secretEmail = "ui.persona.5521@leakwatch-test.example"
	page.Eval(nil, `() => { window.confirm = () => true; location.hash = "#/personas" }`)
	page.WaitSelector("#persona-form")
	page.Fill("#persona-name", "uijane")
	page.Fill("#persona-body", "email: "+secretEmail+"\nname: Jane Uitest\n")
	page.Click("#persona-form button[type=submit]")
	waitText(page, "#personas td", "uijane")
	if page.Str(`() => document.querySelector('#persona-body').value`) != "" || strings.Contains(page.Text("body"), secretEmail) {
		t.Fatal("the persona's values stay on the page after storing it")
	}
	clickText(page, "#personas button", "Delete")
	waitText(page, "p", "No persona yet")
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
