package crawl

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// Defaults for zero Options fields.
const (
	DefaultQuiet       = 500 * time.Millisecond
	DefaultPageTimeout = 30 * time.Second
	DefaultMaxPages    = 20
)

// Options say what to do on a site. The zero value visits nothing; set Start
// or Steps.
type Options struct {
	// Start are the URLs visited first, in order.
	Start []string
	// Depth is how many links deep to follow from a start URL; 0 visits the
	// start URLs only.
	Depth int
	// MaxPages caps the pages reached by following links (start URLs and
	// steps not counted); 0 means DefaultMaxPages.
	MaxPages int
	// Tabs is the number of pages visited in parallel; 0 means 1.
	Tabs int
	// Quiet is how long the network must be idle before a page counts as
	// loaded; 0 means DefaultQuiet. It is capped by PageTimeout.
	Quiet time.Duration
	// PageTimeout bounds each page visit; 0 means DefaultPageTimeout.
	PageTimeout time.Duration
	// Timeout bounds the whole crawl (0: none); what was captured is kept.
	Timeout time.Duration
	// Steps run first, in one tab (e.g. to log in); crawling follows.
	Steps []Step
	// FillForms types FormValues into the visible fields of every page
	// visited by the crawl (without submitting, unless Submit is set).
	FillForms bool
	// Submit, with FillForms, submits each form that got a value once,
	// after all its fields are typed; each submission is recorded in
	// traffic.Page.Submits.
	Submit bool
	// FormValues maps a kind (see Kinds, or a custom word found in field
	// names) to the value typed; nil means DefaultFormValues.
	FormValues map[string]string
	// Cookies are put into the browser before the first navigation.
	Cookies []traffic.Cookie
	// Screenshots takes a PNG of every page visited.
	Screenshots bool
	// Logger receives what the crawl does (Info), pages that fail (Warn)
	// and details (Debug); nil discards it.
	Logger *slog.Logger
	// Progress, when set, is called after every page and at the end; it
	// must return quickly.
	Progress func(Progress)
	// Consent is what to do with consent banners: traffic.ConsentNone
	// (empty: the same) leaves them, ConsentReject and ConsentAccept answer
	// each one shown, on every page, by ConsentRules.
	Consent string
	// ConsentRules are the consent platforms recognised; none means pages
	// are not examined for consent at all.
	ConsentRules []ConsentRule
	// ConsentWait bounds the wait for a choice to take; 0 means
	// DefaultConsentWait.
	ConsentWait time.Duration
	// OnSecret, when set, is called with the text of every type step
	// found secret as it runs (see TypedSecrets), including text typed into
	// an element that turns out to be a password field (type=password, or
	// autocomplete current-password, new-password or one-time-code), so
	// that outputs can redact it. It may be called from several tabs at
	// once.
	OnSecret func(text string)
}

// DefaultFormValues is a fictional person, used when FillForms is set
// without FormValues.
func DefaultFormValues() map[string]string {
	return map[string]string{
		"email": "erika.mustermann@example.com", "tel": "+49 30 1234567",
		"given-name": "Erika", "family-name": "Mustermann", "name": "Erika Mustermann",
		"street-address": "Heidestrasse 17", "address-level2": "Berlin",
		"address-level1": "Berlin", "postal-code": "10557", "country": "Germany",
		"bday": "1984-08-12", "search": "leakwatch test search",
	}
}

// Validate reports the first setting that cannot work.
func (o *Options) Validate() error {
	switch {
	case len(o.Start) == 0 && len(o.Steps) == 0:
		return errors.New("crawl: nothing to do: give a start URL or steps")
	case o.Depth < 0:
		return fmt.Errorf("crawl: depth %d is negative", o.Depth)
	case o.MaxPages < 0:
		return fmt.Errorf("crawl: max pages %d is negative", o.MaxPages)
	case o.Tabs < 0 || o.Tabs > 32:
		return fmt.Errorf("crawl: %d tabs; want 1 to 32", o.Tabs)
	case o.Quiet < 0 || o.PageTimeout < 0 || o.Timeout < 0:
		return errors.New("crawl: durations must not be negative")
	}
	for _, u := range o.Start {
		if err := checkURL(u); err != nil {
			return fmt.Errorf("crawl: start %w", err)
		}
	}
	if len(o.Start) == 0 {
		for i, st := range o.Steps {
			if st.Action == "goto" {
				break
			}
			if needsPage(st) {
				return fmt.Errorf("crawl: step %d (%s, line %d) acts on a page before any goto: give a start URL or begin with goto",
					i+1, st.Action, st.Line)
			}
		}
	}
	switch o.Consent {
	case "", traffic.ConsentNone, traffic.ConsentReject, traffic.ConsentAccept:
	default:
		return fmt.Errorf("crawl: consent mode %q; want none, reject or accept", o.Consent)
	}
	if o.ConsentWait < 0 {
		return errors.New("crawl: durations must not be negative")
	}
	if o.Submit && !o.FillForms {
		return errors.New("crawl: submit needs fill forms")
	}
	return nil
}

// withDefaults returns o with zero fields set to their defaults.
func (o Options) withDefaults() Options {
	if o.MaxPages == 0 {
		o.MaxPages = DefaultMaxPages
	}
	if o.Tabs == 0 {
		o.Tabs = 1
	}
	if o.PageTimeout == 0 {
		o.PageTimeout = DefaultPageTimeout
	}
	if o.Quiet == 0 {
		o.Quiet = DefaultQuiet
	}
	o.Quiet = min(o.Quiet, o.PageTimeout)
	if o.FormValues == nil {
		o.FormValues = DefaultFormValues()
	}
	if o.Consent == "" {
		o.Consent = traffic.ConsentNone
	}
	if o.ConsentWait == 0 {
		o.ConsentWait = DefaultConsentWait
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}
