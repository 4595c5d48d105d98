package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/leakwatch/leakwatch/internal/store"
)

// StoredTargets is the TargetFunc of the targets kept in the store.
func StoredTargets(st store.Notifications) TargetFunc {
	return func(ctx context.Context, siteID int64) ([]Target, error) {
		ts, err := st.NotifyTargets(ctx, siteID)
		if err != nil {
			return nil, err
		}
		out := make([]Target, 0, len(ts))
		for _, t := range ts {
			tg := Target{ID: t.ID, URL: t.URL, Secret: t.Secret}
			switch t.Kind {
			case store.NotifyWebhook:
				tg.Format = FormatJSON
			case store.NotifySlack:
				tg.Format = FormatSlack
			case store.NotifyEmail:
				tg.Format, tg.Emails = FormatEmail, t.Emails
			default:
				continue // a kind this binary does not know
			}
			out = append(out, tg)
		}
		return out, nil
	}
}

// Notifier sends a done scan's notice to its site's targets in this
// process, retrying each delivery with a doubling wait: the inline queue's
// notifications (a Runner queues River jobs instead). A notice is sent
// only when Notify is called, once per finished scan.
type Notifier struct {
	Store     NoticeStore
	Targets   TargetFunc
	Deliverer Deliverer
	// Attempts bounds the tries of one delivery; 0 means 5. Backoff is
	// the first wait between them; 0 means 2 seconds.
	Attempts int
	Backoff  time.Duration
	// Timeout bounds one try; 0 means 10 seconds.
	Timeout time.Duration
	Logger  *slog.Logger
}

// Notify compares the scan with its reference and delivers the notice to
// every target of its site when something is new. It returns when every
// delivery succeeded, failed for good, or ctx ended.
func (n *Notifier) Notify(ctx context.Context, scanID int64) error {
	if n.Targets == nil {
		return nil
	}
	notice, err := NoticeFor(ctx, n.Store, scanID)
	if err != nil || notice == nil || notice.Empty() {
		return err
	}
	targets, err := n.Targets(ctx, notice.SiteID)
	if err != nil {
		return fmt.Errorf("targets of site %d: %w", notice.SiteID, err)
	}
	var errs []error
	for _, t := range targets {
		body, err := t.body(*notice)
		if err == nil {
			err = n.deliver(ctx, t, body, DeliveryID(scanID, t.ID))
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("notify target %d of site %d: %w", t.ID, notice.SiteID, err))
		}
	}
	return errors.Join(errs...)
}

func (n *Notifier) deliver(ctx context.Context, t Target, body []byte, id string) error {
	attempts, wait, timeout := n.Attempts, n.Backoff, n.Timeout
	if attempts <= 0 {
		attempts = 5
	}
	if wait <= 0 {
		wait = 2 * time.Second
	}
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	var err error
	for i := range attempts {
		if i > 0 {
			if n.Logger != nil {
				n.Logger.Warn("notification delivery failed, retrying", "delivery", id, "wait", wait, "err", err)
			}
			select {
			case <-time.After(wait):
			case <-ctx.Done():
				return errors.Join(err, ctx.Err())
			}
			wait *= 2
		}
		tctx, cancel := context.WithTimeout(ctx, timeout)
		err = n.Deliverer.Deliver(tctx, t, body, id)
		cancel()
		if err == nil || errors.Is(err, ErrPermanent) {
			return err
		}
	}
	return err
}
