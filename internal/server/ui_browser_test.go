package server

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/proto"

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
	b := browsertest.Rod(t, ctx)
	page, err := b.Page(proto.TargetCreateTarget{URL: e.ts.URL + "/"})
	if err != nil {
		t.Fatal(err)
	}
	page = page.Timeout(90 * time.Second)
	var mu sync.Mutex
	var scriptErrs []string
	go page.EachEvent(func(ev *proto.RuntimeExceptionThrown) {
		mu.Lock()
		defer mu.Unlock()
		scriptErrs = append(scriptErrs, ev.ExceptionDetails.Text)
	})()

	page.MustElement("#token").MustInput(e.tokens[store.RoleScan])
	page.MustElement("#login button[type=submit]").MustClick()
	page.MustElementR("p", "No site yet")

	reportURL := submitInUI(t, page, "#/scan", harURL("health-shop-mylabbox.har"))
	report := b.MustPage(reportURL).Timeout(60 * time.Second)
	var rep struct {
		Companies []struct{ Name string } `json:"companies"`
	}
	id := reportURL[strings.Index(reportURL, "/api/scans/")+len("/api/scans/") : strings.Index(reportURL, "/report.html")]
	e.must(200, "GET", "/api/scans/"+id+"/report.json", store.RoleRead, nil, &rep)
	if len(rep.Companies) == 0 {
		t.Fatal("the scan's report names no company")
	}
	if text := report.MustElement("body").MustText(); !strings.Contains(text, rep.Companies[0].Name) {
		t.Fatalf("the report page does not name %s", rep.Companies[0].Name)
	}
	report.MustClose()
	page.MustActivate()

	// Scan the same site again from its history page, then diff the two.
	page.MustElement("#scan-links a[href^='#/sites/']").MustClick()
	page.MustElementR("a", "Scan again").MustClick()
	submitInUI(t, page, "", harURL("health-shop-oraquick.har"))
	page.MustElement("#scan-links a[href^='#/sites/']").MustClick()
	boxes := page.MustElement("#history").MustElements("input[type=checkbox]")
	if len(boxes) != 2 {
		t.Fatalf("site history shows %d scans, want 2", len(boxes))
	}
	for _, box := range boxes {
		box.MustClick()
	}
	page.MustElement("#diff").MustClick()
	if text := page.MustElement("#diff-text").MustText(); strings.TrimSpace(text) == "" {
		t.Fatal("empty diff")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(scriptErrs) > 0 {
		t.Fatalf("page script errors: %v", scriptErrs)
	}
}

// submitInUI opens the submit form (at hash, or where the page is), scans
// target, waits for the scan page to show it done, and returns the
// report's URL.
func submitInUI(t *testing.T, page *rod.Page, hash, target string) string {
	t.Helper()
	if hash != "" {
		page.MustEval(`h => { location.hash = h }`, hash)
	}
	page.MustElement("#url").MustInput(target)
	page.MustElement("#submit button[type=submit]").MustClick()
	link := page.MustElement("#report-link")
	page.MustElementR("#scan-state", "done")
	href := link.MustProperty("href").String()
	if !strings.Contains(href, "/report.html") {
		t.Fatalf("report link %q", href)
	}
	return href
}
