package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/leakwatch/leakwatch/internal/browser"
	"github.com/leakwatch/leakwatch/internal/crawl"
	"github.com/leakwatch/leakwatch/internal/lab"
	"github.com/leakwatch/leakwatch/internal/leak"
)

type demoOptions struct {
	analysis analysisFlags
	output   outputFlags
	scan     scanFlags
}

func newDemoCmd(e *env) *cobra.Command {
	var o demoOptions
	cmd := &cobra.Command{
		Use:   "demo [flags]",
		Short: "Reproduce the postal-service incident end to end, offline",
		Long: `Demo starts an embedded parcel-delivery site on loopback HTTPS whose pages carry tags that
behave like the real Meta, LinkedIn, Snap, Microsoft UET, Google (GA4, Ads) and Pinterest tags
(Meta with automatic advanced matching switched on by its signals config). Every vendor hostname
is mapped to the local server with Chromium's --host-resolver-rules: nothing leaves the machine.

It then scans the site in headless Chromium as the reporters did by hand: logs in as the demo
customer, opens the account page that shows the mailing address, types a parcel tracking number,
and prints which companies received the address, the email and the tracking number, in which
fields and encodings, proven by which requests. It leaves nothing running.

The site has a consent banner (a TCF-style CMP written for the lab) that its tags honour, except
Pinterest's, which keeps sending after "Reject all", and Snap's, which ignores Global Privacy
Control. --consent all scans four times in fresh profiles: no answer, reject, accept, and no
answer with GPC, writing one report per state.

` + exitHelp,
		Example: `  leakwatch demo
  leakwatch demo --format html --output demo.html --har-out demo.har
  leakwatch demo --evidence demo.zip --show-values
  leakwatch demo --consent all --format json --output demo.json --har-out demo.har`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDemo(cmd.Context(), e, o)
		},
	}
	o.analysis.register(cmd)
	o.output.register(cmd)
	o.scan.register(cmd, false)
	// The demo shows its pages in the HTML report unless told not to.
	o.scan.screenshots = true
	cmd.Flags().Lookup("screenshots").DefValue = "true"
	return cmd
}

func runDemo(ctx context.Context, e *env, o demoOptions) error {
	o.scan.verbose = o.output.verbose
	if err := o.output.validate(); err != nil {
		return err
	}
	site, err := lab.Start(ctx, lab.Options{Logger: e.log()})
	if err != nil {
		return fmt.Errorf("start demo site: %w", err)
	}
	defer site.Close()
	personas, err := leak.ParsePersonas(site.Persona(), "demo persona")
	if err != nil {
		return fmt.Errorf("demo persona: %w", err)
	}
	more, err := o.analysis.loadPersonas()
	if err != nil {
		return err
	}
	personas = append(personas, more...)
	an, err := prepareWith(ctx, e, o.analysis, personas)
	if err != nil {
		return err
	}
	o.scan.consentRules = consentRules(labConsentRule(lab.ConsentPlatform()))
	o.scan.allWithGPC = true
	if _, err := o.scan.consentRuns(true); err != nil {
		return err
	}
	steps, err := crawl.ParseSteps(site.Steps())
	if err != nil {
		return fmt.Errorf("demo steps: %w", err)
	}
	e.log().Log(ctx, levelNotice, fmt.Sprintf("demo: site %s on %s; logging in, opening the account page, typing a tracking number...", site.URL, site.Addr()))
	copts := crawl.Options{Start: []string{site.URL}, Steps: steps, Depth: 0,
		Tabs: o.scan.tabs, Quiet: o.scan.quiet, PageTimeout: o.scan.pageTimeout,
		Timeout: min(o.scan.scanTimeout, 3*time.Minute), Screenshots: o.scan.screenshots}
	return scanAndReport(ctx, e, an, o.scan, o.output, copts,
		browser.Options{Args: site.ChromeArgs()}, append(site.Secrets(), crawl.TypedSecrets(steps)...))
}
