package har

import (
	"bytes"
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/sharedtest"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

var update = sharedtest.Update

// sharedHARs lists every shared HAR with its entry and page counts, counted
// independently with python's json module (len(log.entries), len(log.pages)).
var sharedHARs = []struct {
	file           string
	entries, pages int
	creator        string
	browser        string
}{
	{"harviewer-firefox47.har", 23, 3, "Firefox 47.0", "Firefox 47.0"},
	{"harviewer-ie11-fiddler.har", 11, 2, "Fiddler 4.6.2.2", ""},
	{"harviewer-no-pages.har", 87, 0, "Fiddler 2.3.3.5", ""},
	{"health-shop-mylabbox.har", 91, 1, "chrome-har 0.11.12", ""},
	{"health-shop-oraquick.har", 106, 1, "chrome-har 0.11.12", ""},
	{"health-shop-personalabs.har", 215, 1, "chrome-har 0.11.12", ""},
	{"pagexray-expressen.har", 607, 3, "WebPagetest 17.12", "Chrome 63.0.3239.132"},
	{"pagexray-ferguson.har", 174, 1, "chrome-har 0.12.0", "Chrome 97.0.4692.99"},
	{"pagexray-http1-chrome.har", 13, 1, "Browsertime 1.0", "Chrome 48.0.2564.82"},
	{"pagexray-http2-firefox.har", 10, 1, "Firefox 43.0.4", "Firefox 43.0.4"},
	{"pagexray-verizon.har", 169, 1, "chrome-har 0.2.3", "Chrome 64.0.3282.140"},
	{"pagexray-wikipedia-webpagetest.har", 102, 6, "WebPagetest 2.17", "Google Chrome 44.0.2403.157"},
}

func sharedPath(t testing.TB, name string) string {
	t.Helper()
	return sharedtest.Path(t, "har", name)
}

func TestSharedHARs(t *testing.T) {
	t.Parallel()
	dir := sharedtest.Path(t, "har")
	files, _ := filepath.Glob(filepath.Join(dir, "*.har"))
	if len(files) != len(sharedHARs) {
		t.Errorf("%d HARs in %s, table lists %d: update the table", len(files), dir, len(sharedHARs))
	}
	for _, tc := range sharedHARs {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			c, err := ReadFile(context.Background(), sharedPath(t, tc.file), Options{Name: tc.file})
			if err != nil {
				t.Fatal(err)
			}
			if len(c.Requests) != tc.entries || len(c.Pages) != tc.pages {
				t.Errorf("got %d entries, %d pages; want %d, %d", len(c.Requests), len(c.Pages), tc.entries, tc.pages)
			}
			if c.Creator != tc.creator || c.Browser != tc.browser || c.Source != tc.file {
				t.Errorf("creator %q browser %q source %q", c.Creator, c.Browser, c.Source)
			}
			if len(c.Warnings) > 0 {
				t.Errorf("warnings: %q", c.Warnings)
			}
			for i, r := range c.Requests {
				if r.Index != i || r.URL == "" || r.Method == "" || r.ResourceType == "" || r.Started.IsZero() {
					t.Fatalf("request %d incomplete: %+v", i, r)
				}
				if r.PageID != "" && c.PageByID(r.PageID) == nil && tc.pages > 0 {
					t.Errorf("request %d: pageref %q has no page", i, r.PageID)
				}
			}
		})
	}
}

// TestSharedDetails checks mapped values against what the files hold.
func TestSharedDetails(t *testing.T) {
	t.Parallel()
	c, err := ReadFile(context.Background(), sharedPath(t, "health-shop-mylabbox.har"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p := c.Pages[0]; p.URL != "https://www.mylabbox.com/" || p.Started.Format("2006-01-02T15:04:05.000Z07:00") != "2023-06-07T20:39:28.267Z" {
		t.Errorf("page = %+v", p)
	}
	// Entry 0 of mylabbox: parser-initiated; chrome-har's _initiator_detail
	// holds lineNumber 1099 (0-based), its _initiator_line 1100.
	in := c.Requests[0].Initiator
	if in.Type != "parser" || in.URL != "https://www.mylabbox.com/" || in.Line != 1099 || in.Column != 1 {
		t.Errorf("initiator 0 = %+v", in)
	}
	var multipart, scripted int
	for _, r := range c.Requests {
		if strings.HasPrefix(r.BodyMIME, "multipart/form-data") && bytes.Contains(r.Body, []byte("Content-Disposition: form-data")) {
			multipart++
		}
		if r.Initiator.Type == "script" && len(r.Initiator.Stack) > 0 && r.InitiatorScript() != "" {
			scripted++
		}
	}
	if multipart == 0 || scripted == 0 {
		t.Errorf("multipart bodies %d, script initiators with stacks %d", multipart, scripted)
	}
}

func TestRoundTripShared(t *testing.T) {
	t.Parallel()
	for _, tc := range sharedHARs {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			// Whole bodies, and bodies capped small so that many are dropped.
			for _, max := range []int{-1, 1000} {
				opts := Options{Name: tc.file, MaxResponseBody: max}
				first, err := ReadFile(context.Background(), sharedPath(t, tc.file), opts)
				if err != nil {
					t.Fatal(err)
				}
				assertRoundTrip(t, first, opts)
			}
		})
	}
}

// assertRoundTrip writes c, reads it back and wants the same capture.
func assertRoundTrip(t *testing.T, c *traffic.Capture, opts Options) {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, c, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	second, err := Read(context.Background(), &buf, opts)
	if err != nil {
		t.Fatal(err)
	}
	// Warnings describe the file that was read; they are not written.
	want := *c
	want.Warnings = nil
	second.Warnings = nil
	if want.Creator == "" {
		want.Creator = "leakwatch" // the writer names itself
	}
	if !reflect.DeepEqual(&want, second) {
		reportDiff(t, &want, second)
	}
}

func reportDiff(t *testing.T, want, got *traffic.Capture) {
	t.Helper()
	if len(want.Pages) != len(got.Pages) || len(want.Requests) != len(got.Requests) {
		t.Fatalf("round trip: %d pages %d requests, want %d, %d", len(got.Pages), len(got.Requests), len(want.Pages), len(want.Requests))
	}
	for i := range want.Pages {
		if !reflect.DeepEqual(want.Pages[i], got.Pages[i]) {
			t.Fatalf("page %d:\n got %+v\nwant %+v", i, got.Pages[i], want.Pages[i])
		}
	}
	for i := range want.Requests {
		w, g := want.Requests[i], got.Requests[i]
		if !reflect.DeepEqual(w, g) {
			if !reflect.DeepEqual(w.Response, g.Response) {
				t.Fatalf("request %d response:\n got %+v\nwant %+v", i, g.Response, w.Response)
			}
			t.Fatalf("request %d:\n got %+v\nwant %+v", i, g, w)
		}
	}
	t.Fatalf("round trip differs outside pages and requests:\n got %+v\nwant %+v", got, want)
}
