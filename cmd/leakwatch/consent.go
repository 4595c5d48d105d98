package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/leakwatch/leakwatch/internal/audit"
	"github.com/leakwatch/leakwatch/internal/browser"
	"github.com/leakwatch/leakwatch/internal/consent"
	"github.com/leakwatch/leakwatch/internal/crawl"
	"github.com/leakwatch/leakwatch/internal/lab"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// consentAll is the --consent value that scans in every state.
const consentAll = "all"

// consentRun is one capture of a --consent scan: the crawl's consent mode
// and whether GPC is sent; label names its output files.
type consentRun struct {
	mode  string
	gpc   bool
	label string
}

// consentRuns returns the captures --consent and --gpc ask for: one, or
// for "all" none, reject and accept in fresh profiles; withGPC adds a
// fourth, none with GPC, when GPC is not sent anyway (the demo).
func (f *scanFlags) consentRuns(withGPC bool) ([]consentRun, error) {
	switch f.consent {
	case "", traffic.ConsentNone, traffic.ConsentReject, traffic.ConsentAccept:
		return []consentRun{{mode: f.consent, gpc: f.gpc}}, nil
	case consentAll:
		if f.profile != "" {
			// One profile would carry the first state's choice into the next.
			return nil, usagef("--consent all needs a fresh profile per state; it cannot be used with --profile")
		}
		runs := []consentRun{{traffic.ConsentNone, f.gpc, "none"}, {traffic.ConsentReject, f.gpc, "reject"},
			{traffic.ConsentAccept, f.gpc, "accept"}}
		if withGPC && !f.gpc {
			runs = append(runs, consentRun{traffic.ConsentNone, true, "gpc"})
		}
		return runs, nil
	}
	return nil, usagef("--consent %q: want none, reject, accept or all", f.consent)
}

// consentRules turns internal/consent's platform table into the crawler's
// rules, then extra. A CMP's rule keeps only its own globals: a framework
// API it implements (__tcfapi) would otherwise make every TCF site look
// like that CMP.
func consentRules(extra ...crawl.ConsentRule) []crawl.ConsentRule {
	table := consent.Rules()
	framework := map[string]bool{}
	for _, p := range table {
		if p.Kind == "framework" {
			for _, g := range p.Globals {
				framework[g] = true
			}
		}
	}
	var out []crawl.ConsentRule
	for _, p := range table {
		r := crawl.ConsentRule{Name: p.Name, Banner: p.Banner,
			Reject: crawl.ConsentAnswer(p.Reject), Accept: crawl.ConsentAnswer(p.Accept)}
		for _, g := range p.Globals {
			if p.Kind == "framework" || !framework[g] {
				r.Globals = append(r.Globals, g)
			}
		}
		for _, c := range p.Cookies {
			r.Cookies = append(r.Cookies, c.Name)
		}
		out = append(out, r)
	}
	return append(out, extra...)
}

// labConsentRule is the demo site's own CMP as a crawler rule.
func labConsentRule(p lab.CMP) crawl.ConsentRule {
	return crawl.ConsentRule{Name: p.Name, Globals: []string{p.Global}, Banner: []string{p.Banner}, Cookies: p.Cookies,
		Reject: crawl.ConsentAnswer{API: p.RejectAPI, Selectors: []string{p.RejectSelector}},
		Accept: crawl.ConsentAnswer{API: p.AcceptAPI, Selectors: []string{p.AcceptSelector}}}
}

// withLabel inserts ".label" before a file name's extension:
// report.html -> report.reject.html.
func withLabel(path, label string) string {
	if path == "" || path == "-" {
		return path
	}
	ext := filepath.Ext(path)
	return strings.TrimSuffix(path, ext) + "." + label + ext
}

// scanConsentStates runs one scan per consent run, each in a fresh browser
// profile, and reports each capture on its own (output files named by
// state), then all of them together: the comparison report ("compare"),
// which sets side by side what each company received in each state. It
// goes through every run and returns the first error.
func scanConsentStates(ctx context.Context, e *env, an *analysis, sf scanFlags, of outputFlags,
	copts crawl.Options, bopts browser.Options, secrets []string, runs []consentRun) error {
	var errs []error
	var captures []*traffic.Capture
	for _, run := range runs {
		if ctx.Err() != nil {
			break
		}
		s, o, c, b := sf, of, copts, bopts
		s.consent, s.gpc = run.mode, run.gpc
		label := run.label
		s.onCapture = func(c *traffic.Capture) {
			c.Source = "scan (consent " + label + ")"
			captures = append(captures, c)
		}
		s.harOut = withLabel(sf.harOut, run.label)
		o.output, o.evidence = withLabel(of.output, run.label), withLabel(of.evidence, run.label)
		if !sf.quietLog {
			fmt.Fprintf(e.stderr, "leakwatch: consent state %s: scanning in a fresh profile (consent %s, GPC %v)\n",
				run.label, run.mode, run.gpc)
		}
		if err := scanAndReport(ctx, e, an, s, o, c, b, secrets); err != nil {
			errs = append(errs, fmt.Errorf("consent state %s: %w", run.label, err))
		}
	}
	if len(captures) > 1 && ctx.Err() == nil {
		if err := compareConsentStates(ctx, e, an, of, captures, secrets); err != nil {
			errs = append(errs, fmt.Errorf("consent comparison: %w", err))
		}
	}
	if len(errs) > 0 {
		return errs[0]
	}
	return ctx.Err()
}

// compareConsentStates reports the captures of every state together: the
// report's consent section sets them side by side. No policy applies to
// it (each state's report had its own) and it has no evidence bundle.
func compareConsentStates(ctx context.Context, e *env, an *analysis, of outputFlags,
	captures []*traffic.Capture, secrets []string) error {
	rep, err := audit.Run(ctx, an.auditOptions(), captures...)
	if err != nil {
		return err
	}
	o := of
	o.output, o.evidence, o.policy, o.failOn, o.baseline = withLabel(of.output, "compare"), "", "", nil, ""
	return o.finish(ctx, e, rep, finishInputs{secrets: secrets, personas: personaValues(an.personas)})
}
