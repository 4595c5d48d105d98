package crawl_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/crawl"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// runErr is run that returns the crawl's error instead of failing.
func runErr(t *testing.T, o crawl.Options) (*traffic.Capture, error) {
	t.Helper()
	b := env.Need(t)
	if o.Quiet == 0 {
		o.Quiet = 200 * time.Millisecond
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	return crawl.Run(ctx, b, o)
}

func mustSteps(t *testing.T, doc string) []crawl.Step {
	t.Helper()
	steps, err := crawl.ParseSteps([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	return steps
}

// Every action a tester relies on, in a steps-only scan.
func TestRunEveryStepAction(t *testing.T) {
	t.Parallel()
	steps := mustSteps(t, `
- set_cookie: {name: sid, value: abc123, url: "`+site("/")+`"}
- goto: `+site("/controls.html")+`
- clear: "#q"
- type: {selector: "#q", text: "shoes", delay: 10ms}
- press: Enter
- wait_url: search=shoes
- wait_url: {regex: "controls\\.html\\?search=sh.es$"}
- expect: Results for shoes
- expect: {selector: "#result"}
- select: {selector: "#plan", value: Pro plan}
- check: "#terms"
- check: "#terms"
- hover: "#menu"
- scroll_to: "#far"
- goto: about:blank
`)
	c, err := runErr(t, crawl.Options{Steps: steps})
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range []string{"cleared", "enter-shoes", "plan-pro", "terms-true", "hover", "far-seen"} {
		r := find(c, "ev="+ev)
		if r == nil {
			t.Errorf("no request for %s", ev)
			continue
		}
		if !strings.Contains(r.Headers.Get("Cookie"), "sid=abc123") {
			t.Errorf("%s went without the cookie set by set_cookie", ev)
		}
	}
	if n := len(findAll(c, "ev=terms-")); n != 1 {
		t.Errorf("check clicked %d times, want once (the second check finds it checked)", n)
	}
	if len(c.Pages) != 1 {
		t.Errorf("pages = %d, want the one page of the steps (no start URL to revisit)", len(c.Pages))
	}
}

func findAll(c *traffic.Capture, sub string) []*traffic.Request {
	var out []*traffic.Request
	for _, r := range c.Requests {
		if strings.Contains(r.URL, sub) {
			out = append(out, r)
		}
	}
	return out
}

// A failing step fails the scan at once, within its own timeout, names its
// step once, and keeps what was captured; an optional one does not.
func TestRunStepFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, doc string
		want      string // "" for success
	}{
		{"missing selector", `- click: {selector: "#missing", timeout: 1s}`, `step 2 (click, line 3): no element matches "#missing"`},
		{"expect text", `- expect: {text: "Welcome back", timeout: 1s}`, `step 2 (expect, line 3): text "Welcome back" not on`},
		{"wait_url", `- wait_url: {url: "/account", timeout: 1s}`, `step 2 (wait_url, line 3): address`},
		{"optional", `- click: {selector: "#missing", timeout: 1s, optional: true}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			steps := mustSteps(t, "\n- goto: "+site("/c.html")+"\n"+tt.doc+"\n- goto: "+site("/d.html")+"\n")
			start := time.Now()
			c, err := runErr(t, crawl.Options{Steps: steps})
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %s with a 1s step timeout", d)
			}
			if c == nil {
				t.Fatalf("no capture (err %v)", err)
			}
			if tt.want == "" {
				if err != nil || find(c, "/d.html") == nil {
					t.Errorf("optional step: err %v, rest of the steps ran: %v", err, find(c, "/d.html") != nil)
				}
				return
			}
			var se *crawl.StepError
			if !errors.As(err, &se) || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("error = %v, want a StepError starting %q", err, tt.want)
			}
			if strings.Count(err.Error(), "step ") != 1 {
				t.Errorf("error names the step more than once: %v", err)
			}
			if find(c, "/c.html") == nil || find(c, "/d.html") != nil {
				t.Errorf("capture: want the first page kept and no step after the failure")
			}
		})
	}
}
