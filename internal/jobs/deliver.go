package jobs

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/riverqueue/river"
)

// Target formats.
const (
	FormatJSON  = "json"  // the Notice in a webhookBody
	FormatSlack = "slack" // a Slack-compatible {"text", "blocks"} message
)

// Headers of a delivery.
const (
	SignatureHeader = "X-Leakwatch-Signature" // sha256=<hex HMAC-SHA256 of the body>
	EventHeader     = "X-Leakwatch-Event"
	DeliveryHeader  = "X-Leakwatch-Delivery" // the same on every retry of one delivery
)

// Target is where a site's notifications go.
type Target struct {
	URL    string
	Secret []byte // HMAC key of the signature; empty sends no signature
	Format string // FormatJSON (default) or FormatSlack
}

func (t Target) body(n Notice) (json.RawMessage, error) {
	switch t.Format {
	case "", FormatJSON:
		return n.JSON()
	case FormatSlack:
		return n.Slack()
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
	ScanID int64           `json:"scan_id"`
	SiteID int64           `json:"site_id"`
	URL    string          `json:"url"`
	Format string          `json:"format"`
	Body   json.RawMessage `json:"body"`
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

// Work posts the body, signed with the target's current secret. A 2xx
// answer ends it; 408, 429 and 5xx or no answer are retried; any other
// status is final.
func (w *deliverWorker) Work(ctx context.Context, job *river.Job[deliverArgs]) error {
	a := job.Args
	t, ok, err := w.r.target(ctx, a)
	if err != nil || !ok {
		return err // a target removed since is not delivered to
	}
	ctx, cancel := context.WithTimeout(ctx, w.r.cfg.WebhookTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.URL, bytes.NewReader(a.Body))
	if err == nil && req.URL.Scheme != "http" && req.URL.Scheme != "https" {
		err = fmt.Errorf("%w: scheme %q is not http or https", ErrConfig, req.URL.Scheme)
	}
	if err != nil {
		return river.JobCancel(fmt.Errorf("webhook %s: %w", a.URL, err))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "leakwatch-webhook")
	req.Header.Set(EventHeader, Event)
	req.Header.Set(DeliveryHeader, "scan-"+strconv.FormatInt(a.ScanID, 10)+"-job-"+strconv.FormatInt(job.ID, 10))
	if len(t.Secret) > 0 {
		req.Header.Set(SignatureHeader, Sign(t.Secret, a.Body))
	}
	resp, err := w.r.cfg.HTTPClient.Do(req)
	if err != nil {
		return fmt.Errorf("webhook %s: %w", a.URL, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	switch s := resp.StatusCode; {
	case s >= 200 && s < 300:
		return nil
	case s == http.StatusRequestTimeout || s == http.StatusTooManyRequests || s >= 500:
		return fmt.Errorf("webhook %s: status %d", a.URL, s)
	default:
		return river.JobCancel(fmt.Errorf("webhook %s: status %d", a.URL, s))
	}
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
		if t.URL == a.URL && (t.Format == a.Format || (t.Format == "" && a.Format == FormatJSON) || (t.Format == FormatJSON && a.Format == "")) {
			return t, true, nil
		}
	}
	return Target{}, false, nil
}
