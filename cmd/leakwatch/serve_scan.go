package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/leakwatch/leakwatch/internal/audit"
	"github.com/leakwatch/leakwatch/internal/browser"
	"github.com/leakwatch/leakwatch/internal/crawl"
	"github.com/leakwatch/leakwatch/internal/har"
	"github.com/leakwatch/leakwatch/internal/leak"
	"github.com/leakwatch/leakwatch/internal/policy"
	"github.com/leakwatch/leakwatch/internal/redact"
	"github.com/leakwatch/leakwatch/internal/server"
	"github.com/leakwatch/leakwatch/internal/store"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// liveScanner runs a submitted scan in headless Chromium and analyses it
// as 'leakwatch scan' does: persona values masked and typed secrets
// redacted in the report and the HAR, the policy applied (a policy that
// fails on what is new compares with the site's baseline, else its last
// done scan).
func liveScanner(e *env, st store.Store, timeout time.Duration, browserArgs []string, extraConsent ...crawl.ConsentRule) server.ScanFunc {
	return func(ctx context.Context, sc store.Scan, req server.ScanRequest) (store.Result, error) {
		personas, err := storedPersonas(ctx, st, req.Persona)
		if err != nil {
			return store.Result{}, err
		}
		an, err := prepareWith(ctx, e, analysisFlags{}, personas)
		if err != nil {
			return store.Result{}, err
		}
		log := e.log().With("scan", sc.ID)
		copts := crawl.Options{Start: req.URLs, MaxPages: 10, Depth: 1, Tabs: 1, Quiet: 500 * time.Millisecond,
			PageTimeout: 30 * time.Second, Timeout: timeout, Consent: req.Consent, Logger: log}
		var secrets []string
		if req.Steps != "" {
			if copts.Steps, err = crawl.ParseSteps([]byte(req.Steps)); err != nil {
				return store.Result{}, fmt.Errorf("steps: %w", err)
			}
			secrets = crawl.TypedSecrets(copts.Steps)
		}
		if req.Consent != "" {
			copts.ConsentRules = consentRules(extraConsent...)
		}
		if len(personas) > 0 {
			copts.FillForms, copts.FormValues = true, crawl.FormValues(personaFields(personas[0]))
		}
		var typed secretList
		copts.OnSecret = typed.add
		capture, err := crawlOnce(ctx, copts, browserArgs)
		if err != nil {
			return store.Result{}, err
		}
		secrets = append(secrets, typed.list()...)
		return analyseLive(ctx, an, st, sc, req, capture, secrets)
	}
}

func storedPersonas(ctx context.Context, st store.Store, name string) ([]leak.Persona, error) {
	if name == "" {
		return nil, nil
	}
	data, err := st.Persona(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("persona %s: %w", name, err)
	}
	return leak.ParsePersonas(data, name)
}

func crawlOnce(ctx context.Context, copts crawl.Options, args []string) (*traffic.Capture, error) {
	b, err := browser.Launch(ctx, browser.Options{Args: args})
	if err != nil {
		return nil, err
	}
	defer b.Close()
	capture, crawlErr := crawl.Run(ctx, b, copts)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if capture == nil {
		if crawlErr == nil {
			crawlErr = errors.New("scan captured nothing")
		}
		return nil, fmt.Errorf("scan: %w", crawlErr)
	}
	var stepErr *crawl.StepError
	if crawlErr != nil && !errors.As(crawlErr, &stepErr) {
		capture.Warnings = append(capture.Warnings, "scan stopped early: "+crawlErr.Error())
	}
	return capture, nil
}

func analyseLive(ctx context.Context, an *analysis, st store.Store, sc store.Scan, req server.ScanRequest,
	capture *traffic.Capture, secrets []string) (store.Result, error) {
	rep, err := audit.Run(ctx, an.auditOptions(), capture)
	if err != nil {
		return store.Result{}, err
	}
	red := redact.NewRedactor(redact.Options{Secrets: secrets})
	if err := capture.Visit(red.Learner()); err != nil {
		return store.Result{}, err
	}
	redact.MaskReport(rep, personaValues(an.personas))
	red.Report(rep)
	if req.Policy != "" {
		pol, err := policy.Parse([]byte(req.Policy), "policy")
		if err != nil {
			return store.Result{}, fmt.Errorf("policy: %w", err)
		}
		// A baseline only where the policy asks what is new: otherwise a
		// violation the last scan had too would not count.
		var base *audit.Report
		if pol.NeedsBaseline() {
			base = baselineReport(ctx, st, sc.SiteID)
		}
		rep.Policy = policy.Evaluate(pol, rep, base)
	}
	var buf bytes.Buffer
	out := redact.Capture(capture, redact.Options{Secrets: secrets})
	if err := har.Write(&buf, withoutScreenshots(out), har.WriteOptions{CreatorName: "leakwatch", CreatorVersion: toolVersion()}); err != nil {
		return store.Result{}, fmt.Errorf("write HAR: %w", err)
	}
	js, err := json.Marshal(rep)
	if err != nil {
		return store.Result{}, err
	}
	return store.Result{Report: js, HAR: buf.Bytes()}, nil
}

// baselineReport is the site's baseline scan's report, else its last done
// scan's, else nil.
func baselineReport(ctx context.Context, st store.Store, siteID int64) *audit.Report {
	if siteID == 0 {
		return nil
	}
	id := int64(0)
	if site, err := st.Site(ctx, siteID); err == nil && site.Baseline != 0 {
		id = site.Baseline
	} else if last, err := st.LastFinished(ctx, siteID); err == nil {
		id = last.ID
	}
	data, err := st.Report(ctx, id)
	if id == 0 || err != nil {
		return nil
	}
	var rep audit.Report
	if json.Unmarshal(data, &rep) != nil || rep.Schema != audit.Schema {
		return nil
	}
	return &rep
}
