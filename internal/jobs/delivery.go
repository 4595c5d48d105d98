package jobs

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// Deliverer sends one notification body to one target: a webhook POST
// (signed when the target has a secret) or an email-ready message written
// to the outbox directory. Both queues deliver through it.
type Deliverer struct {
	// Client posts webhooks; it must refuse private addresses unless the
	// operator allows them, and should not follow redirects.
	Client *http.Client
	// Outbox is the directory email-ready messages are written to (one
	// RFC 5322 file each, for a mail transfer agent or a person to pick
	// up); empty refuses email targets.
	Outbox string
	// From is the From address of those messages; empty means
	// "leakwatch@localhost".
	From string
	// Now stamps the messages' Date; nil means time.Now.
	Now func() time.Time
}

// emailBody is the delivery body of an email target.
type emailBody struct {
	Subject string `json:"subject"`
	Text    string `json:"text"`
}

// deliveryIDPattern is what a delivery id may hold: it names an outbox file.
var deliveryIDPattern = regexp.MustCompile(`^[A-Za-z0-9-]{1,100}$`)

// Deliver sends body (made by the target's format from a Notice) to t.
// deliveryID is the same on every retry of one delivery: the receiver's
// deduplication key, and the outbox file's name. An error wrapping
// ErrPermanent cannot be mended by another attempt.
func (d Deliverer) Deliver(ctx context.Context, t Target, body []byte, deliveryID string) error {
	if !deliveryIDPattern.MatchString(deliveryID) {
		return fmt.Errorf("%w: delivery id %q", ErrPermanent, deliveryID)
	}
	if t.Format == FormatEmail {
		return d.writeEmail(t, body, deliveryID)
	}
	return d.post(ctx, t, body, deliveryID)
}

func (d Deliverer) post(ctx context.Context, t Target, body []byte, deliveryID string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.URL, bytes.NewReader(body))
	if err == nil && req.URL.Scheme != "http" && req.URL.Scheme != "https" {
		err = fmt.Errorf("scheme %q is not http or https", req.URL.Scheme)
	}
	if err != nil {
		return fmt.Errorf("%w: webhook: %w", ErrPermanent, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "leakwatch-webhook")
	req.Header.Set(EventHeader, Event)
	req.Header.Set(DeliveryHeader, deliveryID)
	if len(t.Secret) > 0 {
		req.Header.Set(SignatureHeader, Sign(t.Secret, body))
	}
	client := d.Client
	if client == nil {
		return fmt.Errorf("%w: webhook: no HTTP client", ErrPermanent)
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("webhook %s: %w", redactURL(t.URL), err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	switch s := resp.StatusCode; {
	case s >= 200 && s < 300:
		return nil
	case s == http.StatusRequestTimeout || s == http.StatusTooManyRequests || s >= 500:
		return fmt.Errorf("webhook %s: status %d", redactURL(t.URL), s)
	default:
		return fmt.Errorf("%w: webhook %s: status %d", ErrPermanent, redactURL(t.URL), s)
	}
}

// redactURL is a URL as logs may show it: scheme and host (a webhook's
// path and query often hold its credential).
func redactURL(raw string) string {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return "(malformed URL)"
	}
	host, _, _ := strings.Cut(rest, "/")
	host, _, _ = strings.Cut(host, "?")
	if _, h, ok := strings.Cut(host, "@"); ok {
		host = h
	}
	return scheme + "://" + host + "/…"
}

// writeEmail writes the message to the outbox once: a second delivery
// with the same id finds the file and writes nothing.
func (d Deliverer) writeEmail(t Target, body []byte, deliveryID string) error {
	if d.Outbox == "" {
		return fmt.Errorf("%w: email target, but no outbox directory is configured", ErrPermanent)
	}
	var m emailBody
	if err := json.Unmarshal(body, &m); err != nil {
		return fmt.Errorf("%w: email body: %w", ErrPermanent, err)
	}
	msg, err := d.message(t, m, deliveryID)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(d.Outbox, 0o700); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	tmp, err := os.CreateTemp(d.Outbox, ".tmp-"+deliveryID+"-*")
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(msg)
	err = errors.Join(err, tmp.Sync(), tmp.Close())
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	// A hard link fails when the name exists: the message is there once.
	err = os.Link(tmp.Name(), filepath.Join(d.Outbox, deliveryID+".eml"))
	if err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("outbox: %w", err)
	}
	return nil
}

// message is the RFC 5322 message of m to t's addresses.
func (d Deliverer) message(t Target, m emailBody, deliveryID string) ([]byte, error) {
	if len(t.Emails) == 0 {
		return nil, fmt.Errorf("%w: email target without addresses", ErrPermanent)
	}
	for _, a := range append([]string{d.From}, t.Emails...) {
		if strings.ContainsAny(a, "\r\n") {
			return nil, fmt.Errorf("%w: address %q holds a line break", ErrPermanent, a)
		}
	}
	from := d.From
	if from == "" {
		from = "leakwatch@localhost"
	}
	now := time.Now
	if d.Now != nil {
		now = d.Now
	}
	subject := strings.Join(strings.Fields("[leakwatch] "+m.Subject), " ")
	var b strings.Builder
	for _, h := range [][2]string{
		{"From", from}, {"To", strings.Join(t.Emails, ", ")}, {"Subject", mime.QEncoding.Encode("utf-8", subject)},
		{"Date", now().UTC().Format(time.RFC1123Z)}, {"Message-ID", "<" + deliveryID + "@leakwatch>"},
		{"MIME-Version", "1.0"}, {"Content-Type", "text/plain; charset=utf-8"},
		{"Content-Transfer-Encoding", "8bit"}, {EventHeader, Event}, {DeliveryHeader, deliveryID},
	} {
		b.WriteString(h[0] + ": " + h[1] + "\r\n")
	}
	b.WriteString("\r\n")
	text := strings.ReplaceAll(strings.ReplaceAll(m.Text, "\r\n", "\n"), "\r", "\n")
	b.WriteString(strings.ReplaceAll(text, "\n", "\r\n"))
	return []byte(b.String()), nil
}
