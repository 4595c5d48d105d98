package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"golang.org/x/time/rate"

	"github.com/leakwatch/leakwatch/internal/store"
)

// Queue runs stored scans. The server stores a scan as queued, then calls
// Enqueue; Cancel stops a queued or running scan (its state is already
// cancelled in the store when Cancel is called).
type Queue interface {
	Enqueue(ctx context.Context, scanID int64) error
	Cancel(ctx context.Context, scanID int64) error
}

// TargetCheck refuses a URL a scan must not visit (loopback, private,
// link-local or metadata addresses): it returns an error saying why.
type TargetCheck func(ctx context.Context, rawURL string) error

// Config configures a Server. Store is required; the other zero values
// work.
type Config struct {
	// Store keeps sites, scans, reports and tokens.
	Store store.Store
	// Queue runs submitted scans. Nil means an InlineQueue running Scan
	// with MaxSessions at once (a nil Scan fails every scan).
	Queue Queue
	// Scan runs one scan for the default InlineQueue.
	Scan ScanFunc
	// MaxSessions bounds the scans the default InlineQueue runs at once
	// (Chromium sessions); 0 means 1.
	MaxSessions int
	// Notify is called once after the default InlineQueue stores a scan's
	// result, to send its site's notifications (jobs.Notifier.Notify); its
	// ctx ends when Stop's does. A River queue notifies by itself. Nil
	// sends none.
	Notify func(ctx context.Context, scanID int64) error
	// TargetCheck vets each submitted URL (and each URL its steps visit).
	// Nil means CheckLiteralTarget, or no check at all when
	// AllowPrivateTargets is set; a check given is used as it is (the
	// network guard knows about --allow-private-targets itself).
	TargetCheck TargetCheck
	// StepTargets parses a submission's steps (refusing malformed ones)
	// and returns the URLs they navigate to, which pass TargetCheck too.
	// Nil accepts steps unread: the scanner reports their errors.
	StepTargets func(steps string) ([]string, error)
	// AllowPrivateTargets lets scans visit loopback and private addresses
	// (the demo, a lab on the LAN).
	AllowPrivateTargets bool
	// Logger receives request and scan logs; nil discards them.
	Logger *slog.Logger
	// RateLimit is each token's (or, before login, each client address's)
	// sustained requests per second; 0 means 10. RateBurst is the bucket
	// size; 0 means 40.
	RateLimit rate.Limit
	RateBurst int
	// MaxBodyBytes bounds a request body; 0 means 1 MiB.
	MaxBodyBytes int64
	// SecureCookies marks the session cookie Secure on every answer: the
	// server is reached over TLS through a proxy. TrustProxyHeaders marks
	// it Secure when X-Forwarded-Proto says https (set it only behind a
	// proxy that sets or strips that header).
	SecureCookies     bool
	TrustProxyHeaders bool
	// MetricsPublic serves /metrics to anyone; otherwise it needs
	// MetricsToken (a scraper's bearer token, when set) or an API token.
	MetricsPublic bool
	MetricsToken  string
	// SessionTTL is how long a UI login lasts; 0 means 12 hours.
	SessionTTL time.Duration
	// PollInterval is how often a progress stream rereads its scan from
	// the store (a queue in another process changes it); 0 means 1s.
	PollInterval time.Duration
	// Version is reported by /healthz and the evidence manifest.
	Version string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Defaults.
const (
	DefaultRateLimit    = 10
	DefaultRateBurst    = 40
	DefaultMaxBodyBytes = 1 << 20
	DefaultSessionTTL   = 12 * time.Hour
	DefaultPollInterval = time.Second
)

// Validate reports a config that cannot work.
func (c Config) Validate() error {
	switch {
	case c.Store == nil:
		return errors.New("server: no store")
	case c.MaxSessions < 0:
		return fmt.Errorf("server: max sessions %d is negative", c.MaxSessions)
	case c.RateLimit < 0 || c.RateBurst < 0:
		return fmt.Errorf("server: rate limit %v/%d is negative", c.RateLimit, c.RateBurst)
	case c.MaxBodyBytes < 0 || c.SessionTTL < 0 || c.PollInterval < 0:
		return errors.New("server: negative body limit, session lifetime or poll interval")
	}
	return nil
}

func (c Config) withDefaults() Config {
	if c.MaxSessions == 0 {
		c.MaxSessions = 1
	}
	if c.RateLimit == 0 {
		c.RateLimit = DefaultRateLimit
	}
	if c.RateBurst == 0 {
		c.RateBurst = DefaultRateBurst
	}
	if c.MaxBodyBytes == 0 {
		c.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if c.SessionTTL == 0 {
		c.SessionTTL = DefaultSessionTTL
	}
	if c.PollInterval == 0 {
		c.PollInterval = DefaultPollInterval
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.TargetCheck == nil && !c.AllowPrivateTargets {
		c.TargetCheck = CheckLiteralTarget
	}
	return c
}
