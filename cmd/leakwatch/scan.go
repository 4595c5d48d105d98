package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/leakwatch/leakwatch/internal/audit"
	"github.com/leakwatch/leakwatch/internal/browser"
	"github.com/leakwatch/leakwatch/internal/crawl"
	"github.com/leakwatch/leakwatch/internal/har"
	"github.com/leakwatch/leakwatch/internal/leak"
	"github.com/leakwatch/leakwatch/internal/redact"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// scanFlags are the flags of a live scan, shared by scan and demo.
type scanFlags struct {
	// onCapture, when set, is given each capture once it is reported
	// (--consent all compares them).
	onCapture   func(*traffic.Capture)
	maxPages    int
	depth       int
	tabs        int
	steps       string
	fillForms   bool
	submit      bool
	quietLog    bool
	verbose     bool // the output flag --verbose, copied in by the command
	cookies     string
	profile     string
	headful     bool
	browserArgs []string
	noSandbox   bool
	block3pc    bool
	harOut      string
	screenshots bool
	quiet       time.Duration
	pageTimeout time.Duration
	scanTimeout time.Duration
	consent     string // none, reject, accept, all; empty: banners not examined
	gpc, dnt    bool
	// consentRules are the consent platforms recognised (the demo adds the
	// lab's CMP to the table).
	consentRules []crawl.ConsentRule
	// allWithGPC makes --consent all add a capture with GPC (the demo).
	allWithGPC bool
}

func (f *scanFlags) register(cmd *cobra.Command, crawling bool) {
	fl := cmd.Flags()
	if crawling {
		fl.IntVar(&f.maxPages, "max-pages", 10, "visit at most this many pages in all")
		fl.IntVar(&f.depth, "depth", 1, "follow same-site links this many clicks deep from each start URL (0: start URLs only)")
		fl.StringVar(&f.steps, "steps", "", "YAML steps run before crawling (goto, click, type, press, select, wait_url, expect... see docs/steps.schema.json); a failing step fails the scan")
		fl.BoolVar(&f.fillForms, "fill-forms", false, "type persona values into visible form fields (by type, autocomplete, name), key by key, without submitting")
		fl.BoolVar(&f.submit, "submit", false, "with --fill-forms: submit each filled form once, after all its fields are typed")
		fl.StringVar(&f.cookies, "cookies", "", "cookies to load before the first page (Netscape cookies.txt or JSON) for authenticated scans")
		fl.StringVar(&f.profile, "profile", "", "reuse this Chromium profile directory (e.g. one you logged in with by hand using --headful)")
		fl.BoolVar(&f.headful, "headful", false, "open a visible browser window instead of running headless")
	}
	fl.IntVar(&f.tabs, "tabs", 1, "pages visited in parallel")
	fl.BoolVar(&f.quietLog, "quiet", false, "print no progress and only errors on stderr")
	fl.StringArrayVar(&f.browserArgs, "browser-arg", nil, "extra Chromium command-line flag; repeatable")
	fl.BoolVar(&f.noSandbox, "no-sandbox", false, "run Chromium without its sandbox (it is off anyway, with a warning, when leakwatch runs as root or the system offers no sandbox)")
	fl.BoolVar(&f.block3pc, "block-third-party-cookies", false, "keep Chromium's default of blocking third-party cookies (default: allowed, as in a typical browser)")
	fl.StringVar(&f.harOut, "har-out", "", "also write the capture as a HAR 1.2 file (importable in Chrome DevTools)")
	fl.BoolVar(&f.screenshots, "screenshots", false, "take a screenshot of every page (shown in the HTML report and the evidence bundle)")
	fl.DurationVar(&f.quiet, "network-quiet", 500*time.Millisecond, "a page is loaded when the network was idle this long")
	fl.DurationVar(&f.pageTimeout, "page-timeout", 30*time.Second, "give up on a page after this long (what it sent is kept)")
	fl.DurationVar(&f.scanTimeout, "timeout", 10*time.Minute, "give up on the whole scan after this long (what it sent is kept)")
	fl.StringVar(&f.consent, "consent", "", "consent banners: none (record them, answer nothing), reject or accept (answer each shown, by the platform's API or its buttons), all (none, reject and accept in fresh profiles, one report each); default: not examined")
	fl.BoolVar(&f.gpc, "gpc", false, "send Global Privacy Control: Sec-GPC: 1 on every request, navigator.globalPrivacyControl true; the site's /.well-known/gpc.json is recorded")
	fl.BoolVar(&f.dnt, "dnt", false, "send Do Not Track: DNT: 1 on every request, navigator.doNotTrack \"1\"")
}

type scanOptions struct {
	analysis analysisFlags
	output   outputFlags
	scan     scanFlags
}

func newScanCmd(e *env) *cobra.Command {
	var o scanOptions
	cmd := &cobra.Command{
		Use:   "scan [flags] [URL...]",
		Short: "Scan a site in headless Chromium and report what left the browser",
		Long: `Scan drives a real headless Chromium through a site like a person: it runs --steps (log in,
type a tracking number or a search), fills forms with persona values when asked, waits for the
network to go quiet, scrolls, and follows same-site links in a deterministic order. With --steps
that begin with goto no URL is needed. It records every
request from every frame and worker (bodies, cookies actually sent, initiator stacks, WebSocket
frames) and analyzes the capture exactly like 'analyze' does a HAR file.

With --consent it examines every page for consent banners (IAB TCF, GPP, US Privacy and the common
platforms) and records each one and what it did about it in the capture (and in --har-out):
reject or accept answers every banner shown, by the platform's own API where it has one, else by
clicking its button (in shadow roots and in the banner's iframe); a banner it cannot answer is a
warning. --consent all scans three times in fresh profiles (none, reject, accept) and writes one
report per state, the state in each file name (report.reject.html). --gpc and --dnt send the
opt-out signals on every request and to page scripts.

Chromium is found via $LEAKWATCH_CHROME, then chromium, chromium-browser, google-chrome on PATH.

` + exitHelp,
		Example: `  # Home page and up to 10 same-site pages
  leakwatch scan https://www.example.com/

  # Log in, open the account page and type a tracking number; fail CI on any leak
  leakwatch scan --steps login.yaml --persona me.yaml --fail-on leak https://staging.example.com/

  # Click "Reject all" on every banner, send Global Privacy Control, keep the capture
  leakwatch scan --consent reject --gpc --har-out rejected.har https://www.example.com/

  # Fill forms with the persona's values, keep the capture and an HTML report
  leakwatch scan --fill-forms --persona me.yaml --har-out scan.har -o report.html https://shop.example.com/checkout`,
		Args: usageArgs(cobra.ArbitraryArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runScan(cmd.Context(), e, o, args)
		},
	}
	o.analysis.register(cmd)
	o.output.register(cmd)
	o.scan.register(cmd, true)
	return cmd
}

func runScan(ctx context.Context, e *env, o scanOptions, urls []string) error {
	o.scan.verbose = o.output.verbose
	if err := o.output.validate(); err != nil {
		return err
	}
	for _, u := range urls {
		if !isHTTPURL(u) {
			return usagef("scan: %q is not an http(s) URL", u)
		}
	}
	switch {
	case len(urls) == 0 && o.scan.steps == "":
		return usagef("scan: give a URL to scan, or --steps")
	case o.scan.submit && !o.scan.fillForms:
		return usagef("scan: --submit needs --fill-forms")
	case o.scan.quietLog && o.scan.verbose:
		return usagef("scan: --quiet and --verbose exclude each other")
	}
	if _, err := o.scan.consentRuns(false); err != nil {
		return err
	}
	personas, err := o.analysis.loadPersonas()
	if err != nil {
		return err
	}
	if o.scan.fillForms && len(personas) == 0 {
		// Without a persona the crawler types its own fictional person;
		// look for exactly those values.
		personas = []leak.Persona{defaultFormPersona()}
	}
	an, err := prepareWith(ctx, e, o.analysis, personas)
	if err != nil {
		return err
	}
	copts, secrets, err := o.scan.crawlOptions(urls, an.personas)
	if err != nil {
		return err
	}
	return scanAndReport(ctx, e, an, o.scan, o.output, copts, browser.Options{}, secrets)
}

// crawlOptions turns flags into the crawler's options and lists the secrets
// the steps type (passwords), to redact them from outputs.
func (f *scanFlags) crawlOptions(urls []string, personas []leak.Persona) (crawl.Options, []string, error) {
	o := crawl.Options{Start: urls, MaxPages: f.maxPages, Depth: f.depth, Tabs: f.tabs,
		Quiet: f.quiet, PageTimeout: f.pageTimeout, Timeout: f.scanTimeout, Screenshots: f.screenshots,
		FillForms: f.fillForms, Submit: f.submit}
	var secrets []string
	if f.steps != "" {
		steps, err := crawl.LoadSteps(f.steps) // its errors name the file
		if err != nil {
			return o, nil, usageError{err}
		}
		o.Steps = steps
		secrets = append(secrets, crawl.TypedSecrets(steps)...)
	}
	if f.cookies != "" {
		cs, err := crawl.LoadCookies(f.cookies)
		if err != nil {
			return o, nil, usageError{fmt.Errorf("cookies %s: %w", f.cookies, err)}
		}
		o.Cookies = cs
		for _, c := range cs {
			secrets = append(secrets, c.Value)
		}
	}
	if f.fillForms && len(personas) > 0 {
		o.FormValues = crawl.FormValues(personaFields(personas[0]))
	}
	return o, secrets, nil
}

// scanAndReport launches Chromium, crawls, and reports.
func scanAndReport(ctx context.Context, e *env, an *analysis, sf scanFlags, of outputFlags,
	copts crawl.Options, bopts browser.Options, secrets []string) error {
	runs, err := sf.consentRuns(sf.allWithGPC)
	if err != nil {
		return err
	}
	if len(runs) > 1 {
		return scanConsentStates(ctx, e, an, sf, of, copts, bopts, secrets, runs)
	}
	copts.Consent, bopts.GPC, bopts.DNT = sf.consent, sf.gpc, sf.dnt
	if sf.consent != "" {
		copts.ConsentRules = sf.consentRules
		if copts.ConsentRules == nil {
			copts.ConsentRules = consentRules()
		}
	}
	// Text the crawler finds secret as it types (a password field the
	// steps file did not mark) is redacted with the rest.
	var typed secretList
	copts.OnSecret = typed.add
	bopts.Args = append(bopts.Args, sf.browserArgs...)
	bopts.Headful, bopts.ProfileDir, bopts.BlockThirdPartyCookies = sf.headful, sf.profile, sf.block3pc
	bopts.NoSandbox = sf.noSandbox
	b, err := browser.Launch(ctx, bopts)
	if err != nil {
		return err
	}
	restore := func() {}
	// Closed below to report its error; closed here too on a panic, so no
	// Chromium and no temporary folder outlives leakwatch.
	defer b.Close()
	var line *progressLine
	if !sf.quietLog && e.logFormat != "json" && isTerminal(e.stderr) {
		line = &progressLine{w: e.stderr}
		copts.Progress = line.show
		restore = e.logTo.redirect(line) // log lines clear the progress line first
	}
	copts.Logger = e.log()
	logBrowser(copts.Logger, b)
	capture, crawlErr := crawl.Run(ctx, b, copts)
	line.end()
	restore()
	if cerr := b.Close(); cerr != nil {
		e.log().Warn("closing Chromium", "err", cerr)
	}
	if capture == nil {
		if crawlErr == nil {
			crawlErr = fmt.Errorf("scan captured nothing")
		}
		return fmt.Errorf("scan: %w", crawlErr)
	}
	var stepErr *crawl.StepError
	if crawlErr != nil && !errors.As(crawlErr, &stepErr) { // a failed step is on its page already
		capture.Warnings = append(capture.Warnings, "scan stopped early: "+crawlErr.Error())
	}
	// An interrupted scan (Ctrl-C, --timeout) still reports what it
	// captured, marked incomplete.
	incomplete := ""
	if ctx.Err() != nil {
		incomplete = fmt.Sprintf("scan stopped (%v): the report covers only what was captured until then", context.Cause(ctx))
	}
	secrets = append(slices.Clone(secrets), typed.list()...)
	if err := reportCapture(context.WithoutCancel(ctx), e, an, sf, of, capture, secrets, incomplete); err != nil {
		return err
	}
	if sf.onCapture != nil {
		sf.onCapture(capture)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("scan interrupted (%w); the report covers what was captured until then", err)
	}
	// The report is written; a failed step, or a scan in which no page
	// loaded, still fails.
	if crawlErr != nil {
		return fmt.Errorf("scan: %w", crawlErr)
	}
	for _, p := range capture.Pages {
		if p.Error == "" {
			return nil
		}
	}
	if len(capture.Pages) == 0 {
		return fmt.Errorf("scan: no page was visited")
	}
	return fmt.Errorf("scan: no page loaded (%s)", capture.Pages[0].Error)
}

// reportCapture analyzes a live capture and writes every output of it.
func reportCapture(ctx context.Context, e *env, an *analysis, sf scanFlags, of outputFlags,
	capture *traffic.Capture, secrets []string, incomplete string) error {
	rep, err := audit.Run(ctx, an.auditOptions(), capture)
	if err != nil {
		return err
	}
	if incomplete != "" {
		rep.Incomplete = incomplete
		rep.Warnings = append([]string{"incomplete: " + incomplete}, rep.Warnings...)
	}
	out := capture
	var red *redact.Redactor
	if !of.noRedact {
		red = redact.NewRedactor(redact.Options{Secrets: secrets})
		if err := capture.Visit(red.Learner()); err != nil {
			return err
		}
		out = redact.Capture(capture, redact.Options{Secrets: secrets})
	}
	shots := screenshots(out, rep)
	var harData []byte
	if sf.harOut != "" || of.evidence != "" {
		var buf bytes.Buffer
		if err := har.Write(&buf, withoutScreenshots(out), har.WriteOptions{CreatorName: "leakwatch", CreatorVersion: toolVersion()}); err != nil {
			return fmt.Errorf("write HAR: %w", err)
		}
		harData = buf.Bytes()
		if sf.harOut != "" {
			if err := os.WriteFile(sf.harOut, harData, 0o644); err != nil {
				return fmt.Errorf("write HAR: %w", err)
			}
		}
	}
	return of.finish(ctx, e, rep, finishInputs{harData: harData, screenshots: shots,
		secrets: secrets, personas: personaValues(an.personas), redactor: red})
}

// screenshots names each page's screenshot and points the report at it.
func screenshots(c *traffic.Capture, rep *audit.Report) map[string][]byte {
	out := map[string][]byte{}
	for i, p := range c.Pages {
		if len(p.Screenshot) == 0 {
			continue
		}
		name := fmt.Sprintf("page-%02d.png", i+1)
		out[name] = p.Screenshot
		for j := range rep.Pages {
			if rep.Pages[j].URL == p.URL && rep.Pages[j].Screenshot == "" {
				rep.Pages[j].Screenshot = name
				break
			}
		}
	}
	return out
}

func withoutScreenshots(c *traffic.Capture) *traffic.Capture {
	cp := *c
	cp.Pages = make([]*traffic.Page, len(c.Pages))
	for i, p := range c.Pages {
		pp := *p
		pp.Screenshot = nil
		cp.Pages[i] = &pp
	}
	return &cp
}

// secretList collects what the crawler types as secret, from any tab.
type secretList struct {
	mu   sync.Mutex
	vals []string
}

func (l *secretList) add(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.vals = append(l.vals, s)
}

func (l *secretList) list() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.vals)
}

// personaFields hands a persona's values to the form filler.
func personaFields(p leak.Persona) []crawl.PersonaField {
	var out []crawl.PersonaField
	for _, v := range p.Values() {
		out = append(out, crawl.PersonaField(v))
	}
	return out
}

func isHTTPURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

// defaultFormPersona is the persona of the values the form filler types
// when given none.
func defaultFormPersona() leak.Persona {
	var vals []leak.PersonaValue
	for _, f := range crawl.DefaultPersona() {
		vals = append(vals, leak.PersonaValue(f))
	}
	return leak.PersonaFromValues("form defaults", vals)
}

// logBrowser logs how Chromium runs: with --verbose, whether its sandbox
// is on and why (the warning when it is off comes with the capture).
func logBrowser(l *slog.Logger, b *browser.Browser) {
	l.Info("chromium started", "version", b.Version(), "pid", b.PID(), "sandbox", b.Sandbox().String(),
		"profile", b.UserDataDir())
}

// progressLine keeps one updating status line on a terminal; log lines
// written through it replace the line, which the next update redraws.
type progressLine struct {
	w     io.Writer
	mu    sync.Mutex
	shown bool
}

func (l *progressLine) show(p crawl.Progress) {
	if p.Final {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, "\r\033[Kleakwatch: %d pages done, %d queued, %d requests, %s",
		p.Done, p.Queued, p.Requests, p.Elapsed.Round(time.Second))
	l.shown = true
}

// Write writes a log line in place of the status line.
func (l *progressLine) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.shown {
		fmt.Fprint(l.w, "\r\033[K")
		l.shown = false
	}
	return l.w.Write(b)
}

// end clears the line so the report and messages start clean.
func (l *progressLine) end() {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.shown {
		fmt.Fprint(l.w, "\r\033[K")
		l.shown = false
	}
}
