package main

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/leakwatch/leakwatch/internal/audit"
	"github.com/leakwatch/leakwatch/internal/evidence"
	"github.com/leakwatch/leakwatch/internal/leak"
	"github.com/leakwatch/leakwatch/internal/policy"
	"github.com/leakwatch/leakwatch/internal/redact"
	"github.com/leakwatch/leakwatch/internal/report"
)

// outputFlags are the flags that shape what leakwatch writes and when it
// fails, shared by analyze, scan and demo.
type outputFlags struct {
	format     string
	output     string
	policy     string
	failOn     []string
	baseline   string
	evidence   string
	sign       string // private key file for the bundle's signature
	signer     string
	signKey    ed25519.PrivateKey // read from sign by validate
	showValues bool
	noRedact   bool
	verbose    bool
}

func (f *outputFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVarP(&f.format, "format", "f", "",
		"output format: "+strings.Join(report.Formats(), ", ")+
			" (default: text on a terminal, else json; or from --output's extension)")
	fl.StringVarP(&f.output, "output", "o", "", "write the report to FILE instead of standard output")
	fl.StringVar(&f.policy, "policy", "", "policy file (YAML): rules that allow or deny data per company, domain or category; exit 3 when violated")
	fl.StringSliceVar(&f.failOn, "fail-on", nil, "shorthand policy: exit 3 on any 'leak', 'pattern', 'consent' (any of the next three, and consent-conflict), 'after-reject', 'despite-gpc', 'before-choice' or 'new' (not in --baseline) finding; comma-separated")
	fl.StringVar(&f.baseline, "baseline", "", "earlier JSON report: policies fail only on what is new since it")
	fl.StringVar(&f.evidence, "evidence", "", "write a sealed evidence bundle (zip: HAR, report.json, report.html, screenshots, manifest with SHA-256s)")
	fl.StringVar(&f.sign, "sign", "", "sign the evidence bundle with this Ed25519 private key (from 'leakwatch keygen'); needs --evidence")
	fl.StringVar(&f.signer, "signer", "", "name recorded in the evidence signature (e.g. \"Jane Doe, Example Newsroom\"); needs --sign")
	fl.BoolVar(&f.showValues, "show-values", false, "show persona values in full instead of masked (e.g. m****@gmail.com)")
	fl.BoolVar(&f.verbose, "verbose", false, "show everything: text, html, markdown, junit and sarif list lower-confidence pattern matches with their reason, every company, identifier and cookie finding, every pixel field (json and csv always hold all); scan and demo also log every page, step and form on stderr")
	fl.BoolVar(&f.noRedact, "no-redact", false, "keep session cookies, Authorization headers, passwords and other secrets in the outputs")
}

// extFormats maps --output extensions to formats.
var extFormats = map[string]string{
	".json": "json", ".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown",
	".csv": "csv", ".xml": "junit", ".sarif": "sarif", ".txt": "text",
}

func (f *outputFlags) validate() error {
	if f.format != "" {
		ok := false
		for _, x := range report.Formats() {
			ok = ok || x == f.format
		}
		if !ok {
			return usagef("unknown --format %q: want one of %s", f.format, strings.Join(report.Formats(), ", "))
		}
	}
	for _, k := range f.failOn {
		if !slices.Contains(policy.FailOnKinds(), k) {
			return usagef("unknown --fail-on %q: want %s", k, strings.Join(policy.FailOnKinds(), ", "))
		}
	}
	if f.baseline != "" && f.policy == "" && len(f.failOn) == 0 {
		return usagef("--baseline needs --policy or --fail-on")
	}
	return f.validateSign()
}

// validateSign reads the signing key before any work, so a scan does not
// run for minutes to fail on a bad key at the end.
func (f *outputFlags) validateSign() error {
	switch {
	case f.sign == "" && f.signer != "":
		return usagef("--signer needs --sign KEY")
	case f.sign == "":
		return nil
	case f.evidence == "":
		return usagef("--sign signs the evidence bundle, which needs --evidence FILE.zip")
	}
	if err := evidence.CheckSignerName(f.signer); err != nil {
		return usagef("--signer: %w", err)
	}
	k, err := evidence.ReadPrivateKey(f.sign)
	if err != nil {
		return usagef("--sign: %w", err)
	}
	f.signKey = k
	return nil
}

// bundleSigner is the bundle's signer, nil when not signing.
func (f *outputFlags) bundleSigner() *evidence.Signer {
	if f.signKey == nil {
		return nil
	}
	return &evidence.Signer{Key: f.signKey, Name: f.signer}
}

func (f *outputFlags) resolvedFormat(stdout io.Writer) string {
	if f.format != "" {
		return f.format
	}
	if f.output != "" {
		if x, ok := extFormats[strings.ToLower(filepath.Ext(f.output))]; ok {
			return x
		}
		return "text"
	}
	if isTerminal(stdout) {
		return "text"
	}
	return "json"
}

// terminalWidth is, when w is a terminal, $COLUMNS or else its width; 0
// (the renderer's default) otherwise.
func terminalWidth(w io.Writer) int {
	fd, ok := w.(*os.File)
	if !ok || !isTerminal(w) {
		return 0
	}
	if n, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && n > 0 {
		return n
	}
	cols, _, err := term.GetSize(int(fd.Fd()))
	if err != nil {
		return 0
	}
	return cols
}

func isTerminal(w io.Writer) bool {
	fd, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := fd.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// finishInputs is what the source hands to the output stage.
type finishInputs struct {
	harFiles    []string          // HAR files analysed (analyze)
	harData     []byte            // the capture as HAR (scan, demo)
	screenshots map[string][]byte // page screenshots by file name
	secrets     []string          // literal secrets typed during a scan
	personas    []redact.PersonaValue
	// redactor has seen the whole capture, so it knows every secret in it;
	// nil means redact with secrets alone.
	redactor *redact.Redactor
}

// personaValues hands the personas' values to masking.
func personaValues(ps []leak.Persona) []redact.PersonaValue {
	var out []redact.PersonaValue
	for _, p := range ps {
		for _, v := range p.Values() {
			out = append(out, redact.PersonaValue(v))
		}
	}
	return out
}

// finish applies masking, redaction and policy, writes the report and the
// evidence bundle, and returns errPolicy when a policy was violated.
func (f *outputFlags) finish(ctx context.Context, e *env, rep *audit.Report, in finishInputs) error {
	warnStderr(e, rep)
	if !f.showValues {
		redact.MaskReport(rep, in.personas)
	}
	if !f.noRedact {
		if in.redactor != nil {
			in.redactor.Report(rep)
		} else {
			redact.Report(rep, redact.Options{Secrets: in.secrets})
		}
	}
	if err := f.applyPolicy(rep); err != nil {
		return err
	}
	format := f.resolvedFormat(e.stdout)
	opts := report.Options{Color: f.output == "" && isTerminal(e.stdout), Screenshots: in.screenshots, Verbose: f.verbose}
	if f.output == "" {
		opts.Width = terminalWidth(e.stdout)
	}
	if err := writeReport(e.stdout, f.output, rep, format, opts); err != nil {
		return err
	}
	if f.evidence != "" {
		if err := writeEvidence(ctx, e, f.evidence, rep, in, opts, !f.noRedact, f.bundleSigner()); err != nil {
			return err
		}
	}
	if rep.Policy != nil && !rep.Policy.Passed {
		return errPolicy
	}
	return nil
}

func (f *outputFlags) applyPolicy(rep *audit.Report) error {
	if f.policy == "" && len(f.failOn) == 0 {
		return nil
	}
	var pol *policy.Policy
	var err error
	if f.policy != "" {
		if pol, err = policy.Load(f.policy); err != nil {
			return usageError{fmt.Errorf("policy %s: %w", f.policy, err)}
		}
	}
	if len(f.failOn) > 0 {
		short, err := policy.FailOn(f.failOn)
		if err != nil {
			return usageError{err}
		}
		if pol, err = policy.Combine(pol, short); err != nil {
			return usageError{err}
		}
	}
	if pol.NeedsBaseline() && f.baseline == "" {
		return usagef("the policy fails on what is new, which needs --baseline OLD.json")
	}
	var base *audit.Report
	if f.baseline != "" {
		if base, err = readReport(f.baseline); err != nil {
			return usageError{err}
		}
	}
	rep.Policy = policy.Evaluate(pol, rep, base)
	return nil
}

func readReport(path string) (*audit.Report, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read report: %w", err)
	}
	var r audit.Report
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("read report %s: not a leakwatch JSON report: %w", path, err)
	}
	if r.Schema != audit.Schema {
		return nil, fmt.Errorf("read report %s: schema %q, want %q", path, r.Schema, audit.Schema)
	}
	return &r, nil
}

// maxStderrWarnings bounds the warnings repeated on standard error; the
// report has them all.
const maxStderrWarnings = 10

// warnStderr repeats the capture's warnings (a truncated file, skipped
// entries) on standard error, where a user piping JSON still sees them.
func warnStderr(e *env, rep *audit.Report) {
	var ws []string
	for _, s := range rep.Sources {
		ws = append(ws, s.Warnings...)
	}
	for _, p := range rep.Pages {
		if p.Error != "" {
			ws = append(ws, "page "+p.URL+": "+p.Error)
		}
	}
	ws = append(ws, rep.Warnings...)
	for i, w := range ws {
		if i == maxStderrWarnings {
			e.log().Warn(fmt.Sprintf("... and %d more in the report", len(ws)-i))
			break
		}
		// Captured text (a page's URL or error): the logger sanitises it.
		e.log().Warn(w)
	}
}

// writeReport renders the report straight to standard output or to a
// temporary file beside path that replaces it once complete: a report of a
// huge capture is never held in memory whole, and a failed render leaves no
// half-written file. A path that is not a regular file (/dev/null, a pipe,
// /dev/stdout) is written in place, never replaced; a symbolic link is
// followed, so the file it points at gets the report.
func writeReport(stdout io.Writer, path string, rep *audit.Report, format string, opts report.Options) error {
	if path == "" {
		return renderTo(stdout, rep, format, opts)
	}
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return fmt.Errorf("write report: %w", err)
		}
		return errors.Join(renderTo(f, rep, format, opts), f.Close())
	}
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	defer os.Remove(tmp.Name()) // after the rename there is nothing left to remove
	bw := bufio.NewWriterSize(tmp, 256<<10)
	if err := report.Render(bw, rep, format, opts); err != nil {
		tmp.Close()
		return fmt.Errorf("render %s report: %w", format, err)
	}
	if err := errors.Join(bw.Flush(), tmp.Chmod(0o644), tmp.Close()); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// renderTo renders the report to w through a buffer.
func renderTo(w io.Writer, rep *audit.Report, format string, opts report.Options) error {
	bw := bufio.NewWriter(w)
	if err := report.Render(bw, rep, format, opts); err != nil {
		return fmt.Errorf("render %s report: %w", format, err)
	}
	return bw.Flush()
}
