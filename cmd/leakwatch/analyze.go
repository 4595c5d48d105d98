package main

import (
	"context"
	"io"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/leakwatch/leakwatch/internal/har"
	"github.com/leakwatch/leakwatch/internal/redact"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

type analyzeOptions struct {
	analysis analysisFlags
	output   outputFlags
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
The file is read as a stream: memory is bounded by its largest entry, not its size.
A file cut off part-way is analyzed up to its last complete entry, with a warning.

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
	return cmd
}

func runAnalyze(ctx context.Context, e *env, o analyzeOptions, files []string) error {
	if err := o.output.validate(); err != nil {
		return err
	}
	an, err := o.analysis.prepare(ctx, e)
	if err != nil {
		return err
	}
	aud, err := an.auditor(ctx)
	if err != nil {
		return err
	}
	var red *redact.Redactor
	if !o.output.noRedact {
		red = redact.NewRedactor(redact.Options{})
	}
	for _, f := range files {
		v := aud.Source(displayName(f))
		if red != nil {
			v = red.Tee(v) // learn the capture's secrets as it streams by
		}
		if err := streamHAR(ctx, e, f, v); err != nil {
			aud.Report()
			return err
		}
	}
	rep := aud.Report()
	return o.output.finish(ctx, e, rep, finishInputs{harFiles: files, personas: personaValues(an.personas), redactor: red})
}

func streamHAR(ctx context.Context, e *env, path string, v traffic.Visitor) error {
	var rc io.ReadCloser
	var err error
	if path == "-" {
		rc, err = har.OpenReader(e.stdin)
	} else {
		rc, err = har.Open(path)
	}
	if err != nil {
		return err // names the file already
	}
	defer rc.Close()
	return har.Stream(ctx, rc, har.Options{Name: displayName(path)}, v)
}

func displayName(path string) string {
	if path == "-" {
		return "stdin"
	}
	return filepath.Clean(path)
}
