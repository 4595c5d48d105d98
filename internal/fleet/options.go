package fleet

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"time"

	"github.com/leakwatch/leakwatch/internal/crawl"
	"github.com/leakwatch/leakwatch/internal/leak"
)

// ErrConfig says an option or a Config field is out of range.
var ErrConfig = errors.New("fleet: invalid config")

// RunOptions are how every site of a run is crawled; they are stored with
// the run, so every worker crawls alike.
type RunOptions struct {
	// Consent is none, reject or accept (see crawl.Options.Consent);
	// empty: banners are not examined.
	Consent string `json:"consent,omitempty"`
	// Depth and MaxPages are as in crawl.Options.
	Depth    int `json:"depth"`
	MaxPages int `json:"max_pages"`
	// HAR keeps each site's capture through the worker's HAR sink.
	HAR bool `json:"har,omitempty"`
	// Persona is a persona file's text (YAML or JSON) whose values are
	// looked for; empty: only value patterns are. Enqueue stores it
	// encrypted with the store's personas (it never reaches the run's
	// options in the clear) and keeps only PersonaRef, its name there.
	Persona    string `json:"persona,omitempty"`
	PersonaRef string `json:"persona_ref,omitempty"`
}

// Validate reports an option out of range.
func (o RunOptions) Validate() error {
	switch o.Consent {
	case "", "none", "reject", "accept":
	default:
		return fmt.Errorf("%w: consent %q: want none, reject or accept", ErrConfig, o.Consent)
	}
	if o.Depth < 0 || o.Depth > 10 || o.MaxPages < 1 || o.MaxPages > 1000 {
		return fmt.Errorf("%w: depth %d (0..10) or max pages %d (1..1000) out of range", ErrConfig, o.Depth, o.MaxPages)
	}
	if o.Persona != "" {
		if _, err := leak.ParsePersonas([]byte(o.Persona), "persona"); err != nil {
			return fmt.Errorf("%w: persona: %w", ErrConfig, err)
		}
	}
	return nil
}

func parseRunOptions(raw json.RawMessage) (RunOptions, error) {
	o := RunOptions{MaxPages: 1}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &o); err != nil {
			return o, fmt.Errorf("run options: %w", err)
		}
	}
	return o, o.Validate()
}

// Config tunes a Client. The zero value enqueues and controls runs; a
// positive Concurrency makes it a worker too.
type Config struct {
	// Concurrency is how many sites this process crawls at once, all in
	// one Chromium; 0 works no jobs.
	Concurrency int
	// Name names the worker in results and status; empty means host:pid.
	Name string
	// SiteTimeout is the budget of one attempt at a site; 0 means 2m.
	SiteTimeout time.Duration
	// Politeness is the least time between the starts of two visits to
	// one registrable domain, across all workers; 0 means none.
	Politeness time.Duration
	// Attempts bounds how often a site is tried before its failure is
	// stored; 0 means 3.
	Attempts int
	// PollInterval is how often idle workers look for jobs and paused
	// runs are looked at again; 0 means 1s.
	PollInterval time.Duration
	// ChromeArgs are extra Chromium flags.
	ChromeArgs []string
	// ConsentRules are the consent platforms a run with Consent knows.
	ConsentRules []crawl.ConsentRule
	// TargetCheck, when set, vets a site's URL before it is crawled (the
	// network guard's check: no loopback, private or metadata address); its
	// error fails the site at once, without a retry.
	TargetCheck func(ctx context.Context, url string) error
	// HARs stores the HARs of runs that keep them; nil refuses such runs.
	HARs HARSink
	// Logger receives River's and the worker's logs; nil discards them.
	Logger *slog.Logger
	// Version is the tool version written into reports.
	Version string
}

// Validate reports a field out of range.
func (c Config) Validate() error {
	if c.Concurrency < 0 || c.Concurrency > 256 {
		return fmt.Errorf("%w: concurrency %d is outside 0..256", ErrConfig, c.Concurrency)
	}
	if c.SiteTimeout < 0 || c.Politeness < 0 || c.PollInterval < 0 || c.Attempts < 0 {
		return fmt.Errorf("%w: durations and attempts must not be negative", ErrConfig)
	}
	if c.SiteTimeout > 0 && c.SiteTimeout < 5*time.Second {
		return fmt.Errorf("%w: a site timeout of %s is too short to load a page", ErrConfig, c.SiteTimeout)
	}
	return nil
}

func (c Config) withDefaults() Config {
	if c.Name == "" {
		host, _ := os.Hostname()
		c.Name = host + ":" + strconv.Itoa(os.Getpid())
	}
	if c.SiteTimeout == 0 {
		c.SiteTimeout = 2 * time.Minute
	}
	if c.Attempts == 0 {
		c.Attempts = 3
	}
	if c.PollInterval == 0 {
		c.PollInterval = time.Second
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// rescueAfter is how long a job may run before River takes its worker for
// dead and gives the site to another: the site budget and a margin.
func (c Config) rescueAfter() time.Duration {
	return c.SiteTimeout + max(15*time.Second, c.SiteTimeout/4)
}
