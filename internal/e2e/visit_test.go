package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/browser"
	"github.com/leakwatch/leakwatch/internal/har"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// shopper is the account holder: shown on the account page, typed into
// the form.
var shopper = visitor{
	Email:     "rosalind.okafor@example.net",
	Phone:     "541-555-0187",
	FirstName: "Rosalind",
	LastName:  "Okafor",
	Street:    "742 Evergreen Terrace",
	City:      "Springfield",
	State:     "OR",
	Zip:       "97477",
}

// visit is the recorded visit, shared by the tests of this binary.
type visit struct {
	capture *traffic.Capture // read back from the HAR
	live    *traffic.Capture // as the browser recorded it
	harPath string
	hits    []hit // what the collectors received
	err     error
}

var (
	visitOnce sync.Once
	theVisit  visit
)

// recorded returns the visit, recording it on first use.
func recorded(t testing.TB) *visit {
	t.Helper()
	need(t)
	visitOnce.Do(func() {
		dir, err := os.MkdirTemp("", "leakwatch-e2e-")
		if err != nil {
			theVisit.err = err
			return
		}
		theVisit.harPath = filepath.Join(dir, "visit.har")
		ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
		defer cancel()
		theVisit.err = record(ctx, &theVisit)
	})
	if theVisit.err != nil {
		t.Fatalf("record the visit: %v", theVisit.err)
	}
	return &theVisit
}

func record(ctx context.Context, v *visit) error {
	bc, err := env.browser.NewContext(ctx)
	if err != nil {
		return err
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = bc.Close(cctx)
	}()
	tab, err := bc.NewTab(ctx)
	if err != nil {
		return err
	}
	if err := act(ctx, tab); err != nil {
		return err
	}
	v.hits = env.site.Hits()
	c, err := bc.Capture(ctx)
	if err != nil {
		return err
	}
	v.live = c
	f, err := os.Create(v.harPath)
	if err != nil {
		return err
	}
	if err := har.Write(f, c, har.WriteOptions{}); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	v.capture, err = har.ReadFile(ctx, v.harPath, har.Options{})
	return err
}

// act is the visitor: open the account page, type the contact details key
// by key, flushing the session replay in its three ways along the way, and
// save the form.
func act(ctx context.Context, tab *browser.Tab) error {
	if err := tab.Navigate(ctx, "https://"+shopHost+"/account"); err != nil {
		return err
	}
	if err := tab.WaitQuiet(ctx, 300*time.Millisecond); err != nil {
		return err
	}
	steps := []struct{ sel, text, flush string }{
		{"#email", shopper.Email, ""},
		{"#phone", shopper.Phone, "json"},
		{"#first_name", shopper.FirstName, ""},
		{"#last_name", shopper.LastName, "gzip"},
		{"#street", shopper.Street, ""},
		{"#city", shopper.City, ""},
		{"#zip", shopper.Zip, ""},
	}
	for _, s := range steps {
		if err := tab.Type(ctx, s.sel, s.text); err != nil {
			return err
		}
		if s.flush != "" {
			if err := flush(ctx, tab, s.flush); err != nil {
				return err
			}
		}
	}
	if err := tab.Click(ctx, "#save"); err != nil {
		return err
	}
	if err := waitText(ctx, tab, "#status", "Saved."); err != nil {
		return err
	}
	if err := flush(ctx, tab, "b64"); err != nil {
		return err
	}
	// PostHog flushes its queue every 250 ms.
	return tab.WaitQuiet(ctx, 700*time.Millisecond)
}

func flush(ctx context.Context, tab *browser.Tab, mode string) error {
	raw, err := tab.Eval(ctx, fmt.Sprintf("window.flushReplay(%q)", mode))
	if err != nil {
		return fmt.Errorf("flush replay %s: %w", mode, err)
	}
	var status int
	if err := json.Unmarshal(raw, &status); err != nil || status != 204 {
		return fmt.Errorf("flush replay %s: status %s", mode, raw)
	}
	return nil
}

// waitText polls until the element's text is want.
func waitText(ctx context.Context, tab *browser.Tab, sel, want string) error {
	js := fmt.Sprintf("document.querySelector(%q).textContent", sel)
	for {
		raw, err := tab.Eval(ctx, js)
		if err != nil {
			return err
		}
		var got string
		if json.Unmarshal(raw, &got) == nil && got == want {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("wait for %s to read %q (last %s): %w", sel, want, raw, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}
