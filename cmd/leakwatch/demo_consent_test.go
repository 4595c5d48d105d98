package main

import (
	"context"
	"net/url"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/browser/browsertest"
	"github.com/leakwatch/leakwatch/internal/har"
	"github.com/leakwatch/leakwatch/internal/lab"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// labCollectors are the vendors' collector hosts of the demo site.
var labCollectors = map[string]bool{"www.facebook.com": true, "px.ads.linkedin.com": true, "tr.snapchat.com": true,
	"bat.bing.com": true, "region1.google-analytics.com": true, "googleads.g.doubleclick.net": true, "ct.pinterest.com": true}

func collectorsIn(reqs []*traffic.Request) []string {
	set := map[string]bool{}
	for _, r := range reqs {
		if u, err := url.Parse(r.URL); err == nil && labCollectors[u.Hostname()] && !strings.HasSuffix(u.Path, ".js") {
			set[u.Hostname()] = true
		}
	}
	var out []string
	for h := range set {
		out = append(out, h)
	}
	sort.Strings(out)
	return out
}

// TestDemoConsentAll runs `demo --consent all`: four HARs labelled with
// their state, which show exactly the lab's two violations: after the
// recorded reject only Pinterest's collector is sent to, with GPC only
// Snap's.
func TestDemoConsentAll(t *testing.T) {
	browsertest.Chromium(t)
	dir := t.TempDir()
	code, _, stderr := runCmd(t, "", "demo", "--consent", "all", "--quiet", "--format", "json",
		"--output", filepath.Join(dir, "demo.json"), "--har-out", filepath.Join(dir, "demo.har"))
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	all := []string{"bat.bing.com", "ct.pinterest.com", "googleads.g.doubleclick.net", "px.ads.linkedin.com",
		"region1.google-analytics.com", "tr.snapchat.com", "www.facebook.com"}
	truth := map[string][]string{}
	for _, v := range lab.ConsentViolations() {
		truth[v.Kind] = append(truth[v.Kind], v.Collectors...)
	}
	tests := []struct {
		label, mode string
		gpc         bool
		after       []string // collectors sent to after the choice (the whole capture when none was made)
	}{
		{"none", traffic.ConsentNone, false, all},
		{"reject", traffic.ConsentReject, false, truth[lab.ViolationAfterReject]},
		{"accept", traffic.ConsentAccept, false, all},
		{"gpc", traffic.ConsentNone, true, truth[lab.ViolationDespiteGPC]},
	}
	for _, tc := range tests {
		c, err := har.ReadFile(context.Background(), filepath.Join(dir, "demo."+tc.label+".har"), har.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if c.Consent != tc.mode || (c.OptOut != nil && c.OptOut.GPC) != tc.gpc {
			t.Errorf("%s: capture consent %q, opt-out %+v", tc.label, c.Consent, c.OptOut)
		}
		from := 0
		for _, p := range c.Pages {
			for _, a := range p.Consent {
				if a.Result == traffic.ConsentAnswered && from == 0 {
					from = a.Index
				}
			}
		}
		if (from > 0) != (tc.mode == traffic.ConsentReject || tc.mode == traffic.ConsentAccept) {
			t.Errorf("%s: answered at request %d", tc.label, from)
		}
		if got := collectorsIn(c.Requests[from:]); !reflect.DeepEqual(got, tc.after) {
			t.Errorf("%s: collectors %v, want %v", tc.label, got, tc.after)
		}
	}
}
