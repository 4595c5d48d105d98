package crawl_test

import (
	"context"
	"net/url"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/browser/browsertest"
	"github.com/leakwatch/leakwatch/internal/crawl"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

var env *browsertest.Env

func TestMain(m *testing.M) {
	os.Exit(browsertest.Main(m, "testdata/site", &env))
}

func run(t *testing.T, o crawl.Options) *traffic.Capture {
	t.Helper()
	b := env.Need(t)
	if o.Quiet == 0 {
		o.Quiet = 200 * time.Millisecond
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	c, err := crawl.Run(ctx, b, o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func site(p string) string { return env.Server.URL("site.test", false, p) }

func paths(c *traffic.Capture) []string {
	var out []string
	for _, p := range c.Pages {
		u, _ := url.Parse(p.URL)
		out = append(out, u.Path)
	}
	return out
}

func find(c *traffic.Capture, subs ...string) *traffic.Request {
	for _, r := range c.Requests {
		if browsertest.ContainsAll(r.URL, subs...) {
			return r
		}
	}
	return nil
}

func TestRunDeterministicBFS(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		o        crawl.Options
		want     []string
		inOrder  bool
		repeated bool
	}{
		{"start only", crawl.Options{}, []string{"/index.html"}, true, false},
		{"depth 1", crawl.Options{Depth: 1}, []string{"/index.html", "/a.html", "/b.html", "/c.html"}, true, false},
		{"depth 2 capped", crawl.Options{Depth: 2, MaxPages: 4},
			[]string{"/index.html", "/a.html", "/b.html", "/c.html", "/d.html"}, true, false},
		{"two tabs", crawl.Options{Depth: 2, MaxPages: 5, Tabs: 2},
			[]string{"/a.html", "/b.html", "/c.html", "/d.html", "/e.html", "/index.html"}, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.o.Start = []string{site("/index.html")}
			runs := 1
			if tt.repeated {
				runs = 2
			}
			for i := 0; i < runs; i++ {
				got := paths(run(t, tt.o))
				if !tt.inOrder {
					sort.Strings(got)
				}
				if !reflect.DeepEqual(got, tt.want) {
					t.Errorf("run %d visited %v, want %v", i+1, got, tt.want)
				}
			}
		})
	}
}

func TestRunPagesHaveTitlesAndScreenshots(t *testing.T) {
	t.Parallel()
	c := run(t, crawl.Options{Start: []string{site("/c.html")}, Screenshots: true})
	if len(c.Pages) != 1 {
		t.Fatalf("pages = %d", len(c.Pages))
	}
	p := c.Pages[0]
	if p.Title != "page c" || len(p.Screenshot) < 100 || string(p.Screenshot[1:4]) != "PNG" || p.Started.IsZero() {
		t.Errorf("page = title %q, screenshot %d bytes, started %v", p.Title, len(p.Screenshot), p.Started)
	}
	if r := find(c, "from=c"); r == nil || r.PageID != p.ID {
		t.Errorf("request of page c = %+v", r)
	}
	if c.Source != site("/c.html") {
		t.Errorf("source = %q", c.Source)
	}
}

func TestRunStepsLogin(t *testing.T) {
	t.Parallel()
	for _, how := range []string{`click: "#go"`, `submit: "#email"`} {
		t.Run(how, func(t *testing.T) {
			t.Parallel()
			steps, err := crawl.ParseSteps([]byte(`
- goto: ` + site("/login.html") + `
- type: {selector: "#email", text: "user@example.com"}
- type: {selector: "#password", text: "hunter2"}
- screenshot: filled
- ` + how + `
- wait: {selector: "body"}
`))
			if err != nil {
				t.Fatal(err)
			}
			c := run(t, crawl.Options{Steps: steps})
			if r := find(c, "from=keyup", "v=user%40example.com"); r == nil {
				t.Errorf("typed value never reached the keyup request")
			}
			login := find(c, "from=login")
			if login == nil || login.Method != "POST" || !strings.Contains(string(login.Body), "email=user%40example.com") {
				t.Fatalf("login POST = %+v", login)
			}
			if len(c.Pages) != 2 || len(c.Pages[0].Screenshot) == 0 || login.PageID != c.Pages[1].ID {
				t.Errorf("pages = %d, first with screenshot %d bytes", len(c.Pages), len(c.Pages[0].Screenshot))
			}
		})
	}
}

func TestRunScanTimeoutKeepsCapture(t *testing.T) {
	t.Parallel()
	start := time.Now()
	c := run(t, crawl.Options{Start: []string{site("/c.html"), site("/never"), site("/a.html")},
		Timeout: 3 * time.Second})
	if d := time.Since(start); d > 12*time.Second {
		t.Errorf("crawl took %s with a 3s timeout", d)
	}
	if len(c.Pages) < 2 || find(c, "from=c") == nil {
		t.Errorf("capture lost: %d pages", len(c.Pages))
	}
	for _, p := range c.Pages {
		if strings.HasSuffix(p.URL, "/never") && p.Error == "" {
			t.Errorf("timed-out page has no error")
		}
	}
}

func TestRunStepFailureIsRecorded(t *testing.T) {
	t.Parallel()
	steps := []crawl.Step{{Action: "goto", URL: site("/c.html")}, {Action: "click", Selector: "#missing", Line: 2,
		Timeout: time.Second}}
	c, err := runErr(t, crawl.Options{Steps: steps, PageTimeout: 3 * time.Second})
	if err == nil || len(c.Pages) != 1 || !strings.Contains(c.Pages[0].Error, `#missing`) {
		t.Errorf("err %v, pages = %+v", err, c.Pages)
	}
}

func TestRunFillForms(t *testing.T) {
	t.Parallel()
	values := crawl.DefaultFormValues()
	values["tracking"] = "JJD0099887766"
	c := run(t, crawl.Options{Start: []string{site("/form.html")}, FillForms: true, FormValues: values})
	want := map[string]string{"mail": values["email"], "phone_number": values["tel"],
		"first_name": values["given-name"], "x1": values["family-name"], "code": values["postal-code"],
		"tracking_number": "JJD0099887766"}
	for field, v := range want {
		if r := find(c, "tracker.test", "f="+field+"&v="+url.QueryEscape(v)); r == nil {
			q := strings.ReplaceAll(url.QueryEscape(v), "+", "%20")
			if r = find(c, "tracker.test", "f="+field+"&v="+q); r == nil {
				t.Errorf("field %s: value %q never left", field, v)
			}
		}
	}
	for _, f := range []string{"pw", "unrelated", "secret"} {
		if r := find(c, "f="+f+"&"); r != nil {
			t.Errorf("field %s was filled: %s", f, r.URL)
		}
	}
	if r := find(c, "from=submitted"); r != nil {
		t.Errorf("the form was submitted")
	}
}

func TestRunCookiesInjected(t *testing.T) {
	t.Parallel()
	cookies, err := crawl.ParseCookies([]byte("site.test\tFALSE\t/\tFALSE\t0\tsession\tabc123\n"))
	if err != nil {
		t.Fatal(err)
	}
	c := run(t, crawl.Options{Start: []string{site("/cookies.html")}, Cookies: cookies})
	r := find(c, "from=cookiepage")
	if r == nil || r.Headers.Get("Cookie") != "session=abc123" {
		t.Fatalf("request = %+v", r)
	}
	if !strings.Contains(find(c, "/cookies.html").Headers.Get("Cookie"), "session=abc123") {
		t.Errorf("first navigation went without the cookie")
	}
}

func TestRunPageTimeout(t *testing.T) {
	t.Parallel()
	start := time.Now()
	c := run(t, crawl.Options{Start: []string{site("/never"), site("/c.html")}, PageTimeout: 3 * time.Second})
	if d := time.Since(start); d > 15*time.Second {
		t.Errorf("crawl took %s", d)
	}
	if len(c.Pages) != 2 || c.Pages[0].Error == "" || c.Pages[1].Error != "" {
		for _, p := range c.Pages {
			t.Errorf("page %s error %q", p.URL, p.Error)
		}
	}
}
