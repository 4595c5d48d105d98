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
	c, err := runErr(t, crawl.Options{Start: []string{site("/poll.html")}, PageTimeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Pages) != 1 || c.Pages[0].Error != "" || !c.Pages[0].NetworkBusy {
		t.Fatalf("pages = %+v, want one loaded page marked busy", c.Pages)
	}
	if n := len(findAll(c, "from=pagepoll")); n < 5 {
		t.Errorf("%d polls recorded", n)
	}
}
