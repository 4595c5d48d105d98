package browser_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/browser"
	"github.com/leakwatch/leakwatch/internal/browser/browsertest"
)

func TestNeverEndingPageTimesOut(t *testing.T) {
	t.Parallel()
	tab := env.Tab(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	start := time.Now()
	err := tab.Navigate(ctx, env.Server.URL("site.test", false, "/never"))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Navigate error = %v, want deadline exceeded", err)
	}
	if d := time.Since(start); d > 6*time.Second {
		t.Errorf("Navigate took %s after a 2s timeout", d)
	}
	qctx, qcancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer qcancel()
	_ = tab.WaitQuiet(qctx, 300*time.Millisecond) // must return by the deadline
	p := tab.Page()
	if p == nil || !strings.Contains(p.Error, "deadline") || !strings.HasSuffix(p.URL, "/never") {
		t.Errorf("page = %+v, want the timeout recorded", p)
	}
}

func TestRedirectLoop(t *testing.T) {
	t.Parallel()
	tab := env.Tab(t)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	err := tab.Navigate(ctx, env.Server.URL("site.test", false, "/loop"))
	if err == nil || !strings.Contains(err.Error(), "ERR_TOO_MANY_REDIRECTS") {
		t.Fatalf("Navigate error = %v", err)
	}
	c, err := tab.Context().Capture(ctx)
	if err != nil {
		t.Fatal(err)
	}
	hops := 0
	for _, r := range c.Requests {
		if strings.Contains(r.URL, "/loop") {
			hops++
			if r.Response != nil && r.Response.Status == 302 && r.Response.RedirectURL == "" {
				t.Errorf("hop %d lacks its redirect URL", r.Index)
			}
		}
	}
	if hops < 10 {
		t.Errorf("recorded %d redirect hops, want each hop as a request", hops)
	}
	if len(c.Pages) != 1 || !strings.Contains(c.Pages[0].Error, "ERR_TOO_MANY_REDIRECTS") {
		t.Errorf("pages = %+v", c.Pages)
	}
}

func TestAlertIsDismissed(t *testing.T) {
	t.Parallel()
	tab := open(t, "site.test", false, "/alert.html")
	waitRequest(t, tab, "request after the alert", urlHas("after=alert"))
	if tab.Dialogs() != 1 {
		t.Errorf("dialogs = %d, want 1", tab.Dialogs())
	}
}

func TestPopupIsCaptured(t *testing.T) {
	t.Parallel()
	tab := open(t, "site.test", false, "/popup.html")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := tab.Click(ctx, "#open"); err != nil {
		t.Fatal(err)
	}
	r, c := waitRequest(t, tab, "request from the popup", urlHas("from=popup"))
	opener := tab.Page()
	if r.Target != "page" || r.PageID == "" || r.PageID == opener.ID {
		t.Errorf("popup request target %q page %q (opener page %q)", r.Target, r.PageID, opener.ID)
	}
	if len(c.Pages) != 2 {
		t.Errorf("pages = %d, want opener and popup", len(c.Pages))
	}
}

func TestRendererCrash(t *testing.T) {
	t.Parallel()
	tab := open(t, "site.test", false, "/crash.html")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tab.Crash(ctx)
	deadline := time.Now().Add(5 * time.Second)
	for tab.Page().Error == "" && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if p := tab.Page(); p.Error != "renderer crashed" {
		t.Fatalf("page error = %q", p.Error)
	}
	if err := tab.WaitQuiet(ctx, 100*time.Millisecond); !errors.Is(err, browser.ErrCrashed) {
		t.Errorf("WaitQuiet after crash = %v", err)
	}
	// The capture survives; the dead tab says so at once.
	waitRequest(t, tab, "request before the crash", urlHas("from=crash"))
	deadline = time.Now().Add(5 * time.Second)
	for {
		start := time.Now()
		err := tab.Navigate(ctx, env.Server.URL("site.test", false, "/alert.html"))
		if errors.Is(err, browser.ErrCrashed) {
			if d := time.Since(start); d > time.Second {
				t.Errorf("navigating a crashed tab took %s", d)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("navigate after crash: %v, want ErrCrashed", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestDownloadIsRefused(t *testing.T) {
	t.Parallel()
	tab := env.Tab(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = tab.Navigate(ctx, env.Server.URL("site.test", false, "/download"))
	r, _ := waitRequest(t, tab, "download request", urlHas("/download"))
	if r.Response == nil && r.Error == "" {
		t.Errorf("download request neither answered nor failed")
	}
	if _, err := os.Stat(env.Browser.UserDataDir() + "/Default/Downloads/data.bin"); err == nil {
		t.Errorf("download was saved")
	}
	if _, err := tab.Eval(ctx, "1+1"); err != nil {
		t.Errorf("tab unusable after a download: %v", err)
	}
}

// TestNoChromiumSurvives launches its own browsers and checks that Close
// and a cancelled context leave no process and no profile behind.
func TestNoChromiumSurvives(t *testing.T) {
	env.Need(t)
	for _, how := range []string{"close", "cancel"} {
		t.Run(how, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			b := browsertest.Launch(t, ctx, browser.Options{Args: env.Args})
			dir, pid := b.UserDataDir(), b.PID()
			tab, err := b.NewTab(ctx)
			if err != nil {
				t.Fatal(err)
			}
			nctx, ncancel := context.WithTimeout(ctx, 10*time.Second)
			_ = tab.Navigate(nctx, env.Server.URL("site.test", true, "/worker.html"))
			ncancel()
			if len(browser.Processes(dir)) < 2 {
				t.Fatalf("expected Chromium processes for %s", dir)
			}
			group := 0
			for _, p := range browser.Processes("") {
				if p.PGID == pid {
					group++
				}
			}
			if group < 2 {
				t.Fatalf("expected Chromium's processes in group %d, found %d", pid, group)
			}
			if how == "close" {
				if err := b.Close(); err != nil {
					t.Fatal(err)
				}
			} else {
				cancel()
			}
			deadline := time.Now().Add(10 * time.Second)
			for len(browser.Processes(dir)) > 0 && time.Now().Before(deadline) {
				time.Sleep(50 * time.Millisecond)
			}
			if ps := browser.Processes(dir); len(ps) > 0 {
				t.Errorf("%d Chromium processes survived: %+v", len(ps), ps)
			}
			for _, p := range browser.Processes("") {
				if p.PGID == pid || p.PPID == pid {
					t.Errorf("process of Chromium's group survived: %+v", p)
				}
			}
			for time.Now().Before(deadline) {
				if _, err := os.Stat(dir); os.IsNotExist(err) {
					break
				}
				time.Sleep(50 * time.Millisecond)
			}
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Errorf("temporary profile %s not removed", dir)
			}
			_ = b.Close()
		})
	}
}

func TestFind(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, env, path, want, err string
	}{
		{"env wins", exe, "", exe, ""},
		{"env missing file", "/nonexistent/chrome", "", "", "no such file"},
		{"env is a directory", t.TempDir(), "", "", "not an executable"},
		{"nothing on PATH", "", t.TempDir(), "", "apt-get install chromium"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(browser.EnvChrome, tt.env)
			if tt.path != "" {
				t.Setenv("PATH", tt.path)
			}
			got, err := browser.Find()
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("Find() error = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Find() = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

// TestBlockThirdPartyCookies launches a browser that keeps Chromium's
// default: the tracker's cookie is then not sent.
func TestBlockThirdPartyCookies(t *testing.T) {
	env.Need(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	b := browsertest.Launch(t, context.Background(), browser.Options{Args: env.Args, BlockThirdPartyCookies: true})
	defer b.Close()
	tab, err := b.NewTab(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := tab.Navigate(ctx, env.Server.URL("site.test", true, "/cookie.html")); err != nil {
		t.Fatal(err)
	}
	r, _ := waitRequest(t, tab, "tracker request", urlHas("tracker.test", "from=cookie"))
	if got := r.Headers.Get("Cookie"); got != "" || len(r.Cookies) != 0 {
		t.Errorf("third-party cookie sent although blocked: %q %+v", got, r.Cookies)
	}
}

// TestProfileDirIsKept checks a user's profile survives Close.
func TestProfileDirIsKept(t *testing.T) {
	env.Need(t)
	dir := t.TempDir()
	b := browsertest.Launch(t, context.Background(), browser.Options{Args: env.Args, ProfileDir: dir})
	if !b.HasProfile() || b.UserDataDir() != dir {
		t.Errorf("profile = %v %s", b.HasProfile(), b.UserDataDir())
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir + "/Default/Preferences"); err != nil {
		t.Errorf("profile removed or never written: %v", err)
	}
	if ps := browser.Processes(dir); len(ps) > 0 {
		t.Errorf("processes survived: %+v", ps)
	}
}

// TestBrowserDiesMidScan kills Chromium under a tab: calls fail at once and
// what was recorded before stays readable.
func TestBrowserDiesMidScan(t *testing.T) {
	env.Need(t)
	b := browsertest.Launch(t, context.Background(), browser.Options{Args: env.Args})
	defer b.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	tab, err := b.NewTab(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := tab.Navigate(ctx, env.Server.URL("site.test", false, "/crash.html")); err != nil {
		t.Fatal(err)
	}
	_ = tab.WaitQuiet(ctx, 200*time.Millisecond)
	kill(t, b)
	start := time.Now()
	if err := tab.Navigate(ctx, env.Server.URL("site.test", false, "/alert.html")); err == nil {
		t.Error("navigate on a dead browser succeeded")
	}
	c, _ := b.Default().Capture(ctx)
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("dead browser noticed after %s", d)
	}
	found := false
	for _, r := range c.Requests {
		found = found || strings.Contains(r.URL, "from=crash")
	}
	if !found {
		t.Errorf("requests before the death lost: %d recorded", len(c.Requests))
	}
}

// TestWaitQuietLongPoll: a request that hangs without any activity (a long
// poll) stops holding up network quiet after the stall limit.
func TestWaitQuietLongPoll(t *testing.T) {
	t.Parallel()
	tab := env.Tab(t)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := tab.Navigate(ctx, env.Server.URL("site.test", false, "/longpoll.html")); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := tab.WaitQuiet(ctx, 200*time.Millisecond); err != nil {
		t.Fatalf("WaitQuiet: %v", err)
	}
	if d := time.Since(start); d > 6*time.Second {
		t.Errorf("WaitQuiet returned after %s; want the ~2s stall limit", d)
	}
	// It returned because the stall limit let the poll go, not because the
	// poll ended: the request is still without its answer.
	c, err := tab.Context().Capture(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range c.Requests {
		if strings.Contains(r.URL, "/slow?ms=60000") {
			if r.Response != nil && r.Response.Status != 0 {
				t.Errorf("the long poll was answered (%d): WaitQuiet did not wait out a stall", r.Response.Status)
			}
			return
		}
	}
	t.Error("the long poll is not in the capture")
}
