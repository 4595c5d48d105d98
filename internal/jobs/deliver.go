package jobs

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/riverqueue/river"
)

// Target formats.
const (
	FormatJSON  = "json"  // the Notice in a webhookBody
	FormatSlack = "slack" // a Slack-compatible {"text", "blocks"} message
	FormatEmail = "email" // an email-ready message written to the outbox
)

// Headers of a delivery.
const (
	SignatureHeader = "X-Leakwatch-Signature" // sha256=<hex HMAC-SHA256 of the body>
	EventHeader     = "X-Leakwatch-Event"
	DeliveryHeader  = "X-Leakwatch-Delivery" // the same on every retry of one delivery
)

// Target is where a site's notifications go.
type Target struct {
	// ID is the stored target's id: a queued delivery names it instead of
	// its URL (which may hold a credential); 0 for a target not stored.
	ID     int64
	URL    string
	Secret []byte   // HMAC key of the signature; empty sends no signature
	Format string   // FormatJSON (default), FormatSlack or FormatEmail
	Emails []string // FormatEmail: the addresses
}

func (t Target) body(n Notice) (json.RawMessage, error) {
	switch t.Format {
	case "", FormatJSON:
		return n.JSON()
	case FormatSlack:
		return n.Slack()
	case FormatEmail:
		subject, text := n.Email()
		b, err := json.Marshal(emailBody{Subject: subject, Text: text})
		if err != nil {
			return nil, fmt.Errorf("encode email: %w", err)
		}
		return b, nil
	}
	return nil, fmt.Errorf("%w: unknown target format %q", ErrConfig, t.Format)
}

// Sign returns the signature header value of body under secret.
func Sign(secret, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Verify reports whether header is the signature of body under secret, in
// constant time.
func Verify(secret, body []byte, header string) bool {
	return hmac.Equal([]byte(header), []byte(Sign(secret, body)))
}

type deliverArgs struct {
	ScanID   int64           `json:"scan_id"`
	SiteID   int64           `json:"site_id"`
	TargetID int64           `json:"target_id,omitempty"`
	URL      string          `json:"url,omitempty"` // only of a target not stored
	Format   string          `json:"format"`
	Body     json.RawMessage `json:"body"`
}

func (deliverArgs) Kind() string { return "leakwatch_deliver" }

type deliverWorker struct {
	river.WorkerDefaults[deliverArgs]
	r *Runner
}

// Timeout bounds one delivery attempt.
func (w *deliverWorker) Timeout(*river.Job[deliverArgs]) time.Duration {
	return w.r.cfg.WebhookTimeout + 5*time.Second
}

// Work delivers the body to the target's current URL or addresses, signed
// with its current secret. A 2xx answer ends it; 408, 429 and 5xx or no
// answer are retried; any other status is final.
func (w *deliverWorker) Work(ctx context.Context, job *river.Job[deliverArgs]) error {
	a := job.Args
	t, ok, err := w.r.target(ctx, a)
	if err != nil || !ok {
		return err // a target removed since is not delivered to
	}
	ctx, cancel := context.WithTimeout(ctx, w.r.cfg.WebhookTimeout)
	defer cancel()
	id := "scan-" + strconv.FormatInt(a.ScanID, 10) + "-job-" + strconv.FormatInt(job.ID, 10)
	if a.TargetID != 0 {
		id = DeliveryID(a.ScanID, a.TargetID)
	}
	err = w.r.deliverer().Deliver(ctx, t, a.Body, id)
	if errors.Is(err, ErrPermanent) {
		return river.JobCancel(err)
	}
	return err
}

// DeliveryID names the delivery of a scan's notice to a stored target: the
// same on every attempt and on both queues.
func DeliveryID(scanID, targetID int64) string {
	return "scan-" + strconv.FormatInt(scanID, 10) + "-target-" + strconv.FormatInt(targetID, 10)
}

func (r *Runner) deliverer() Deliverer {
	return Deliverer{Client: r.cfg.HTTPClient, Outbox: r.cfg.Outbox, From: r.cfg.MailFrom, Now: r.cfg.Now}
}

func (r *Runner) target(ctx context.Context, a deliverArgs) (Target, bool, error) {
	if r.cfg.Targets == nil {
		return Target{}, false, nil
	}
	ts, err := r.cfg.Targets(ctx, a.SiteID)
	if err != nil {
		return Target{}, false, fmt.Errorf("targets of site %d: %w", a.SiteID, err)
	}
	for _, t := range ts {
		if a.TargetID != 0 || t.ID != 0 {
			if t.ID == a.TargetID && sameFormat(t.Format, a.Format) {
				return t, true, nil
			}
			continue
		}
		if t.URL == a.URL && (t.Format == a.Format || (t.Format == "" && a.Format == FormatJSON) || (t.Format == FormatJSON && a.Format == "")) {
			return t, true, nil
		}
	}
	return Target{}, false, nil
}

func sameFormat(a, b string) bool {
	norm := func(f string) string {
		if f == "" {
			return FormatJSON
		}
		return f
	}
	return norm(a) == norm(b)
}
