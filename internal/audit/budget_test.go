package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/leak"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// repeatedLeaks is a page and n Meta pixel hits that each carry the email.
func repeatedLeaks(n int) *traffic.Capture {
	c := &traffic.Capture{Source: "repeat", Pages: []*traffic.Page{{ID: "p", URL: "https://shop.example/", Title: "Shop"}}}
	for i := range n {
		c.Requests = append(c.Requests, &traffic.Request{Index: i, PageID: "p", Method: "GET",
			URL: fmt.Sprintf("https://www.facebook.com/tr/?id=1&ev=PageView&cd[e]=dana%%40example.com&n=%d", i)})
	}
	return c
}

func TestLimitsKeepTheEarliestAndSaySo(t *testing.T) {
	t.Parallel()
	pool, _ := leak.NewPool([]leak.Persona{{Email: "dana@example.com"}})
	var first []byte
	for _, workers := range []int{1, 2, 3} {
		r, err := Run(context.Background(), Options{Classifier: classifier(t), Pool: pool, Workers: workers, NoPatterns: true,
			Limits: Limits{MaxFindings: 10, MaxPixelHits: 5, MaxEvidenceBytes: 1 << 10}}, repeatedLeaks(60))
		if err != nil {
			t.Fatal(err)
		}
		if r.Summary.Leaks != 10 || len(r.Pixels) != 5 {
			t.Fatalf("kept %d leaks and %d pixel hits, want 10 and 5", r.Summary.Leaks, len(r.Pixels))
		}
		for i, f := range r.Findings[:10] {
			if f.Request.Index != i {
				t.Fatalf("finding %d is of request %d: the earliest requests must be kept", i, f.Request.Index)
			}
		}
		w := strings.Join(r.Warnings, "\n")
		for _, want := range []string{"50 leak and pattern findings not listed", "--max-findings",
			"55 pixel hits of Meta Meta Pixel", "--max-evidence-bytes"} {
			if !strings.Contains(w, want) {
				t.Errorf("warnings lack %q:\n%s", want, w)
			}
		}
		b, _ := json.Marshal(r)
		if first == nil {
			first = b
		} else if string(b) != string(first) {
			t.Fatalf("report with %d workers differs", workers)
		}
	}
}

func TestLongURLIsCappedInFindings(t *testing.T) {
	t.Parallel()
	long := "https://www.facebook.com/tr/?id=1&ev=PageView&cd[e]=dana%40example.com&pad=" + strings.Repeat("x", 1<<20)
	c := &traffic.Capture{Pages: []*traffic.Page{{ID: "p", URL: "https://shop.example/", Title: "Shop"}},
		Requests: []*traffic.Request{{PageID: "p", Method: "GET", URL: long}}}
	pool, _ := leak.NewPool([]leak.Persona{{Email: "dana@example.com"}})
	r, err := Run(context.Background(), Options{Classifier: classifier(t), Pool: pool}, c)
	if err != nil {
		t.Fatal(err)
	}
	if r.Summary.Leaks != 1 {
		t.Fatalf("%d leaks, want 1", r.Summary.Leaks)
	}
	if n := len(r.Findings[0].Request.URL); n > maxRefURL+64 {
		t.Errorf("finding carries a %d-byte URL", n)
	}
	if n := len(r.Pixels[0].Request.URL); n > maxDetailURL+64 {
		t.Errorf("pixel hit carries a %d-byte URL", n)
	}
	if n := len(r.Requests[0].URL); n > maxDetailURL+64 || !strings.Contains(r.Requests[0].URL, "more bytes]") {
		t.Errorf("evidence URL is %d bytes, want it cut and marked", n)
	}
}

func TestLeaksBeforeAndAfterSubmit(t *testing.T) {
	t.Parallel()
	c := repeatedLeaks(4)
	c.Pages[0].Submits = []traffic.Submit{{Index: 2, Form: "#signup"}}
	c.Pages[0].NetworkBusy = true
	pool, _ := leak.NewPool([]leak.Persona{{Email: "dana@example.com"}})
	r, err := Run(context.Background(), Options{Classifier: classifier(t), Pool: pool, NoPatterns: true}, c)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]string{0: "before", 1: "before", 2: "after", 3: "after"}
	for _, f := range r.Findings {
		if f.Type == TypeLeak && f.Submit != want[f.Request.Index] {
			t.Errorf("request %d: submit %q, want %q", f.Request.Index, f.Submit, want[f.Request.Index])
		}
	}
	if p := r.Pages[0]; !p.NetworkBusy || len(p.Submits) != 1 || p.Submits[0].Form != "#signup" {
		t.Errorf("page %+v lacks the scan's facts", p)
	}
}

func TestKeystrokeFinding(t *testing.T) {
	t.Parallel()
	c := &traffic.Capture{Pages: []*traffic.Page{{ID: "p", URL: "https://shop.example/signup", Title: "Sign up",
		Submits: []traffic.Submit{{Index: 1}}}},
		Requests: []*traffic.Request{{PageID: "p", Method: "POST", URL: "https://rec.tracker.example/keys",
			Body: []byte(`{"field":"email","value":"dana.whitfield@exam"}`), BodyMIME: "application/json"}}}
	pool, _ := leak.NewPool([]leak.Persona{{Email: "dana.whitfield@example.com"}})
	r, err := Run(context.Background(), Options{Classifier: classifier(t), Pool: pool, NoPatterns: true}, c)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Findings) == 0 {
		t.Fatal("no finding")
	}
	f := r.Findings[0]
	want := "The first 19 of 26 characters of the email left while it was being typed, to tracker.example."
	if f.Type != TypeKeystroke || f.Summary != want || f.Submit != "before" || r.Summary.Leaks != 0 {
		t.Errorf("finding %s %q submit %q (leaks %d), want a keystroke finding %q sent before the submission",
			f.Type, f.Summary, f.Submit, r.Summary.Leaks, want)
	}
}
