package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"
)

// ErrConfig says a Config field is out of range.
var ErrConfig = errors.New("jobs: invalid config")

// Config tunes a Runner. The zero value works: defaults are filled by
// withDefaults.
type Config struct {
	// MaxSessions bounds how many scans run at once (each drives its own
	// Chromium): the scan queue's worker pool. 0 means 2.
	MaxSessions int
	// ScanTimeout bounds one attempt of a scan; its context is cancelled
	// when it passes. 0 means 10 minutes.
	ScanTimeout time.Duration
	// ScanAttempts bounds how often a scan is tried (the first attempt
	// included) before it is marked failed. 0 means 3.
	ScanAttempts int
	// RescueAfter is how long a job may stay running before River takes
	// it for abandoned (its process died) and retries it. It must exceed
	// ScanTimeout; 0 means ScanTimeout plus 5 minutes.
	RescueAfter time.Duration
	// PollInterval is how often idle workers look for new jobs and how
	// often a running scan checks whether it was cancelled elsewhere. 0
	// means 1 second.
	PollInterval time.Duration
	// ScheduleTick is how often due schedules are looked for. 0 means 1
	// minute. ScheduleLookback is how far back a tick still enqueues a
	// slot it finds due (a server down longer than that skips the slot);
	// 0 means 1 hour.
	ScheduleTick     time.Duration
	ScheduleLookback time.Duration
	// HTTPClient sends webhooks; nil means a client with WebhookTimeout.
	// Pass one whose dialer refuses private targets (the SSRF guard).
	HTTPClient *http.Client
	// WebhookTimeout bounds one delivery; 0 means 10 seconds.
	// WebhookAttempts bounds deliveries of one notification; 0 means 5.
	WebhookTimeout  time.Duration
	WebhookAttempts int
	// Outbox is the directory email targets' messages are written to;
	// empty refuses email targets. MailFrom is their From address.
	Outbox   string
	MailFrom string
	// Targets lists where a site's notifications go; nil means nowhere.
	Targets TargetFunc
	// ID names this runner among others on the same database; empty means
	// River's default (host name and start time).
	ID string
	// Logger receives River's and the runner's logs; nil discards them.
	Logger *slog.Logger
	// Now is the clock of schedules; nil means time.Now.
	Now func() time.Time
}

// TargetFunc returns the notification targets of a site.
type TargetFunc func(ctx context.Context, siteID int64) ([]Target, error)

// Validate reports a field out of range.
func (c Config) Validate() error {
	for _, f := range []struct {
		name string
		v    time.Duration
	}{{"ScanTimeout", c.ScanTimeout}, {"RescueAfter", c.RescueAfter}, {"PollInterval", c.PollInterval},
		{"ScheduleTick", c.ScheduleTick}, {"ScheduleLookback", c.ScheduleLookback}, {"WebhookTimeout", c.WebhookTimeout}} {
		if f.v < 0 {
			return fmt.Errorf("%w: %s %s is negative", ErrConfig, f.name, f.v)
		}
	}
	if c.MaxSessions < 0 || c.MaxSessions > 10_000 {
		return fmt.Errorf("%w: MaxSessions %d is outside 0..10000", ErrConfig, c.MaxSessions)
	}
	if c.ScanAttempts < 0 || c.WebhookAttempts < 0 {
		return fmt.Errorf("%w: attempts must not be negative", ErrConfig)
	}
	d := c.withDefaults()
	if d.RescueAfter <= d.ScanTimeout {
		return fmt.Errorf("%w: RescueAfter %s must exceed ScanTimeout %s, or running scans would be taken for dead", ErrConfig, d.RescueAfter, d.ScanTimeout)
	}
	return nil
}

func (c Config) withDefaults() Config {
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	if c.MaxSessions == 0 {
		c.MaxSessions = 2
	}
	if c.ScanAttempts == 0 {
		c.ScanAttempts = 3
	}
	if c.WebhookAttempts == 0 {
		c.WebhookAttempts = 5
	}
	def(&c.ScanTimeout, 10*time.Minute)
	def(&c.RescueAfter, c.ScanTimeout+5*time.Minute)
	def(&c.PollInterval, time.Second)
	def(&c.ScheduleTick, time.Minute)
	def(&c.ScheduleLookback, time.Hour)
	def(&c.WebhookTimeout, 10*time.Second)
	if c.HTTPClient == nil {
		// No redirects: a receiver could otherwise bounce a signed body to
		// an address the operator never named.
		c.HTTPClient = &http.Client{Timeout: c.WebhookTimeout, CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		}}
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}
