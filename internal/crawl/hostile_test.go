package crawl_test

import (
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/crawl"
)

// A hung renderer and a dialog storm cost only their own page: the pages
// after them load normally, and the dialogs make one warning per message.
func TestRunHostilePagesCostOnlyThemselves(t *testing.T) {
	t.Parallel()
	start := time.Now()
	c, err := runErr(t, crawl.Options{Start: []string{site("/hang.html"), site("/alerts.html"),
		site("/c.html"), site("/d.html")}, PageTimeout: 4 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 40*time.Second {
		t.Errorf("crawl took %s", d)
	}
	byURL := map[string]string{}
	for _, p := range c.Pages {
		byURL[p.URL[strings.LastIndex(p.URL, "/"):]] = p.Error
	}
	for _, u := range []string{"/c.html", "/d.html"} {
		if e, ok := byURL[u]; !ok || e != "" {
			t.Errorf("page %s after the hostile ones: loaded %v, error %q", u, ok, e)
		}
	}
	for _, u := range []string{"/hang.html", "/alerts.html"} {
		if byURL[u] == "" {
			t.Errorf("hostile page %s has no error", u)
		}
	}
	dialogs := 0
	for _, w := range c.Warnings {
		if strings.Contains(w, "dialog") {
			dialogs++
			t.Log(w)
		}
	}
	if dialogs == 0 || dialogs > 3 {
		t.Errorf("%d dialog warnings, want one per message", dialogs)
	}
}

// A page that never goes quiet is loaded, with its network still busy.
func TestRunBusyPageIsLoaded(t *testing.T) {
	t.Parallel()
	// Polls every 50ms never leave a second of quiet, even on a loaded machine.
	c, err := runErr(t, crawl.Options{Start: []string{site("/poll.html")}, PageTimeout: 4 * time.Second,
		Quiet: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Pages) != 1 || c.Pages[0].Error != "" || !c.Pages[0].NetworkBusy {
		for _, p := range c.Pages {
			t.Errorf("page %s: error %q, busy %v", p.URL, p.Error, p.NetworkBusy)
		}
		t.Fatalf("want one loaded page marked busy")
	}
	if n := len(findAll(c, "from=pagepoll")); n < 5 {
		t.Errorf("%d polls recorded", n)
	}
}

// --fill-forms with --submit sends each filled form once and marks when.
func TestRunFillFormsSubmit(t *testing.T) {
	t.Parallel()
	values := crawl.DefaultFormValues()
	c, err := runErr(t, crawl.Options{Start: []string{site("/signup.html")}, FillForms: true, Submit: true,
		FormValues: values})
	if err != nil {
		t.Fatal(err)
	}
	sdk := findAll(c, "from=sdk-submit")
	if len(sdk) != 1 || !strings.Contains(string(sdk[0].Body), values["email"]) {
		t.Fatalf("SDK requests after submit = %d, want one with the email", len(sdk))
	}
	if n := len(findAll(c, "from=signup-post")); n != 1 {
		t.Errorf("form posted %d times, want once", n)
	}
	if n := len(findAll(c, "from=other-post")); n != 0 {
		t.Errorf("the form without filled fields was submitted")
	}
	subs := c.Pages[0].Submits
	if len(subs) != 1 || subs[0].Index > sdk[0].Index || subs[0].Time.IsZero() {
		t.Errorf("submits = %+v, want one before request %d", subs, sdk[0].Index)
	}
	for _, r := range c.Requests {
		if strings.Contains(r.URL, "/signup.html") && r.Index >= subs[0].Index {
			t.Errorf("page load request %d is after the submission mark %d", r.Index, subs[0].Index)
		}
	}
}
