package jobs

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// TestDeliverEmail writes an email-ready message to the outbox once per
// delivery id, with the notice's subject and text, and refuses what would
// inject headers.
func TestDeliverEmail(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	d := Deliverer{Outbox: dir, From: "watch@leakwatch.example", Now: func() time.Time { return time.Unix(1_800_000_000, 0) }}
	n := Notice{SiteURL: "https://shop.example/", ScanID: 7, Against: 6, Reference: "previous scan"}
	n.NewConsentConflicts = []ConsentConflict{{Company: "Meta Platforms", Summary: "sent after a reject"}}
	tg := Target{ID: 3, Format: FormatEmail, Emails: []string{"dpo@shop.example", "sec@shop.example"}}
	body, err := tg.body(n)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 { // a retry writes nothing more
		if err := d.Deliver(context.Background(), tg, body, DeliveryID(7, 3)); err != nil {
			t.Fatal(err)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "scan-7-target-3.eml" {
		t.Fatalf("outbox holds %v", entries)
	}
	f, _ := os.Open(filepath.Join(dir, entries[0].Name()))
	defer f.Close()
	m, err := mail.ReadMessage(f)
	if err != nil {
		t.Fatal(err)
	}
	if to := m.Header.Get("To"); to != "dpo@shop.example, sec@shop.example" {
		t.Errorf("To %q", to)
	}
	if s := m.Header.Get("Subject"); !strings.HasPrefix(s, "[leakwatch] ") || !strings.Contains(s, "consent") {
		t.Errorf("Subject %q", s)
	}
	for _, c := range []struct {
		name string
		tg   Target
		d    Deliverer
	}{
		{"no outbox", tg, Deliverer{}},
		{"line break in an address", Target{Format: FormatEmail, Emails: []string{"a@x.example\r\nBcc: b@y.example"}}, d},
		{"no address", Target{Format: FormatEmail}, d},
	} {
		err := c.d.Deliver(context.Background(), c.tg, body, "scan-1-target-9")
		if !errors.Is(err, ErrPermanent) {
			t.Errorf("%s: %v, want a permanent error", c.name, err)
		}
	}
	if err := d.Deliver(context.Background(), tg, body, "../../etc/x"); !errors.Is(err, ErrPermanent) {
		t.Errorf("a path in the delivery id: %v", err)
	}
}

func TestRedactURL(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"https://hooks.slack.example/services/T0/B0/secret": "https://hooks.slack.example/…",
		"https://user:pw@hook.example?token=x":              "https://hook.example/…",
		"nonsense":                                          "(malformed URL)",
	} {
		if got := redactURL(in); got != want {
			t.Errorf("redactURL(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestDeliverStoredTarget: a queued delivery names its target by id and is
// sent to the target's URL and secret as they are when it runs; a target
// removed meanwhile gets nothing.
func TestDeliverStoredTarget(t *testing.T) {
	t.Parallel()
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got = append(got, r.URL.Path+" "+strconv.FormatBool(Verify([]byte("new-secret"), b, r.Header.Get(SignatureHeader)))+" "+r.Header.Get(DeliveryHeader))
	}))
	defer srv.Close()
	targets := []Target{{ID: 5, URL: srv.URL + "/now", Secret: []byte("new-secret")}}
	r := &Runner{cfg: Config{Targets: func(context.Context, int64) ([]Target, error) { return targets, nil }}.withDefaults()}
	job := &river.Job[deliverArgs]{JobRow: &rivertype.JobRow{ID: 9, Attempt: 1, MaxAttempts: 5},
		Args: deliverArgs{ScanID: 7, SiteID: 1, TargetID: 5, Format: FormatJSON, Body: []byte(`{}`)}}
	if err := (&deliverWorker{r: r}).Work(context.Background(), job); err != nil {
		t.Fatal(err)
	}
	targets = []Target{{ID: 6, URL: srv.URL + "/other"}}
	if err := (&deliverWorker{r: r}).Work(context.Background(), job); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != "/now true scan-7-target-5" {
		t.Errorf("deliveries %q", got)
	}
}
