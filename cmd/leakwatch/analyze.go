package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/leakwatch/leakwatch/internal/audit"
	"github.com/leakwatch/leakwatch/internal/har"
	"github.com/leakwatch/leakwatch/internal/redact"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

type analyzeOptions struct {
	analysis analysisFlags
	output   outputFlags
	read     readFlags
}

func newAnalyzeCmd(e *env) *cobra.Command {
	var o analyzeOptions
	cmd := &cobra.Command{
		Use:   "analyze [flags] FILE...",
		Short: "Analyze HAR files exported from a browser, a proxy or a crawler",
		Long: `Analyze reads HAR 1.1/1.2 files (Chrome, Edge, Firefox, Safari, Charles, Fiddler, Playwright,
mitmproxy, browsertime, WebPagetest...) and reports every third party the pages talked to, the
company that owns it, the tracking pixels it fired and the personal data it received.

A FILE of "-" reads standard input; gzip-compressed files (.har.gz) are read transparently.
The file is read as a stream: memory is bounded by its largest entry, not its size, and
every entry by the budgets below (--max-string, --max-entry, --max-items, --max-depth):
what a budget cuts is named in a warning of the report. A file cut off part-way is analyzed
up to its last complete entry, with a warning.

Interrupted (Ctrl-C, SIGTERM) or out of time (--timeout), analyze stops within a second,
writes the report of what it had analyzed, marked incomplete, and exits 1; a second signal
exits at once (130 for SIGINT, 143 for SIGTERM) without a report.

` + exitHelp,
		Example: `  # Which companies did this page talk to?
  leakwatch analyze session.har

  # Did my account's data reach any of them? Fail the build if so.
  leakwatch analyze --persona me.yaml --fail-on leak session.har

  # JSON for machines, from standard input, with EasyPrivacy matching
  gunzip -c session.har.gz | leakwatch analyze --format json --filter-list easyprivacy.txt -

  # An HTML report and a sealed evidence bundle
  leakwatch analyze --persona me.yaml --format html --output report.html --evidence case.zip session.har`,
		Args: usageArgs(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runAnalyze(cmd.Context(), e, o, args)
		},
	}
	o.analysis.register(cmd)
	o.output.register(cmd)
	o.read.register(cmd)
	return cmd
}

func runAnalyze(ctx context.Context, e *env, o analyzeOptions, files []string) error {
	if err := o.output.validate(); err != nil {
		return err
	}
	if err := o.read.validate(); err != nil {
		return err
	}
	ctx, cancel := o.read.withTimeout(ctx)
	defer cancel()
	defer lessGC()()
	an, err := o.analysis.prepare(ctx, e)
	if err != nil {
		return err
	}
	// The searches in flight finish even when reading stops: what was read
	// is analyzed whole.
	aud, err := an.auditor(context.WithoutCancel(ctx))
	if err != nil {
		return err
	}
	var red *redact.Redactor
	if !o.output.noRedact {
		red = redact.NewRedactor(redact.Options{})
	}
	stoppedIn := ""
	for _, f := range files {
		v := aud.Source(displayName(f))
		if red != nil {
			v = red.Tee(v) // learn the capture's secrets as it streams by
		}
		if err := streamHAR(ctx, e, f, v, o.read.options(displayName(f))); err != nil {
			if ctx.Err() == nil {
				aud.Report()
				return err
			}
			stoppedIn = displayName(f)
			break
		}
	}
	rep := aud.Report()
	in := finishInputs{harFiles: files, personas: personaValues(an.personas), redactor: red}
	if ctx.Err() == nil {
		return o.output.finish(ctx, e, rep, in)
	}
	return finishIncomplete(ctx, e, o.output, rep, in, stoppedIn)
}

// finishIncomplete writes the report of a run stopped by a signal or
// --timeout, marked incomplete, and returns the error that exits 1.
func finishIncomplete(ctx context.Context, e *env, of outputFlags, rep *audit.Report, in finishInputs, stoppedIn string) error {
	cause := context.Cause(ctx)
	reason := fmt.Sprintf("analysis stopped (%v)", cause)
	if stoppedIn != "" {
		reason += " while reading " + stoppedIn
	}
	reason += ": the report covers only what was read until then"
	rep.Incomplete = reason
	rep.Warnings = append([]string{"incomplete: " + reason}, rep.Warnings...)
	err := of.finish(context.WithoutCancel(ctx), e, rep, in)
	if err != nil && !errors.Is(err, errPolicy) {
		return err
	}
	if err != nil {
		e.log().Error("a policy was violated in the part that was analyzed")
	}
	return stoppedError{reason, ctx.Err()}
}

// stoppedError is a run stopped by a signal or --timeout; it unwraps to
// the context's error.
type stoppedError struct {
	reason string
	err    error
}

func (e stoppedError) Error() string { return e.reason }
func (e stoppedError) Unwrap() error { return e.err }

func streamHAR(ctx context.Context, e *env, path string, v traffic.Visitor, opts har.Options) error {
	var rc io.ReadCloser
	var err error
	if path == "-" {
		rc, err = har.OpenReader(newCtxReader(ctx, e.stdin))
	} else {
		rc, err = har.Open(path)
	}
	if err != nil {
		return err // names the file already
	}
	defer rc.Close()
	return har.Stream(ctx, rc, opts, v)
}

func displayName(path string) string {
	if path == "-" {
		return "stdin"
	}
	return filepath.Clean(path)
}

// analyzeGOGC is the garbage collector's target for analyze: an analysis
// allocates short-lived values per entry at a high rate and keeps little,
// so collecting at 3× the live heap instead of 2× saves about 6% of the
// CPU on tracker-dense traffic (400 saves 10%, but costs 10 to 90 MB more
// peak RSS on the adversarial shapes: gzip-bomb 281 MB, many-hosts 332).
// The soft memory limit (softMemoryLimit) still makes the collector work
// harder near it. GOGC, when set, overrides it.
const analyzeGOGC = 200

// lessGC sets analyzeGOGC unless GOGC is set, and returns the undo.
func lessGC() func() {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	old := debug.SetGCPercent(analyzeGOGC)
	return func() { debug.SetGCPercent(old) }
}
