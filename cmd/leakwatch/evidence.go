package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/leakwatch/leakwatch/internal/audit"
	"github.com/leakwatch/leakwatch/internal/evidence"
	"github.com/leakwatch/leakwatch/internal/redact"
	"github.com/leakwatch/leakwatch/internal/report"
)

// writeEvidence seals the run into a zip: the capture, the report as JSON
// and HTML, screenshots and a manifest of SHA-256 digests, signed when sign
// is set.
func writeEvidence(ctx context.Context, e *env, dest string, rep *audit.Report, in finishInputs, opts report.Options, redacted bool, sign *evidence.Signer) error {
	var files []evidence.File
	switch {
	case in.harData != nil:
		files = append(files, evidence.File{Name: "capture.har", Data: in.harData})
	default:
		for i, f := range in.harFiles {
			if f == "-" {
				e.log().Warn("the evidence bundle cannot include standard input; save the HAR to a file to include it")
				continue
			}
			name := fmt.Sprintf("capture-%d-%s", i+1, path.Base(f))
			if !redacted {
				files = append(files, evidence.File{Name: name, Path: f})
				continue
			}
			name = strings.TrimSuffix(name, ".gz")
			if !strings.HasSuffix(name, ".har") {
				name += ".har"
			}
			files = append(files, evidence.File{Name: name, Open: func() (io.ReadCloser, error) {
				return redact.HARReader(ctx, f, redact.Options{Secrets: in.secrets}), nil
			}})
		}
	}
	js, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	files = append(files, evidence.File{Name: "report.json", Data: append(js, '\n')})
	var html bytes.Buffer
	opts.Color = false
	if err := report.Render(&html, rep, "html", opts); err != nil {
		return fmt.Errorf("render HTML for evidence: %w", err)
	}
	files = append(files, evidence.File{Name: "report.html", Data: html.Bytes()})
	names := make([]string, 0, len(in.screenshots))
	for n := range in.screenshots {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		files = append(files, evidence.File{Name: "screenshots/" + n, Data: in.screenshots[n]})
	}
	b := evidence.Bundle{Files: files, Tool: "leakwatch", Version: toolVersion(),
		Command: append([]string{"leakwatch"}, e.args...), Options: e.flags, Created: time.Now().UTC(), Sign: sign}
	if err := evidence.Write(dest, b); err != nil {
		return fmt.Errorf("write evidence bundle: %w", err)
	}
	return nil
}

// verifyOptions are verify's flags.
type verifyOptions struct {
	maxTotal sizeValue
	key      string
}

func newVerifyCmd(e *env) *cobra.Command {
	o := verifyOptions{maxTotal: sizeValue(evidence.DefaultMaxTotal)}
	cmd := &cobra.Command{
		Use:   "verify [--key KEY.pub] FILE.zip|DIR",
		Short: "Check an evidence bundle against its manifest and signature",
		Long: `Verify recomputes the SHA-256 of every file in an evidence bundle written by --evidence (the
zip, or the folder it was unpacked into) and compares it with the manifest; it names any file
that changed, is missing or was added, and a manifest that was altered. A bundle that lists
no files, or no report.json, fails.

With --key, the bundle must carry a signature (--sign) by that public key over its exact
manifest: verify says who signed (the key's fingerprint and the name given with --signer) and
when (the signer's clock), and fails when the signature is missing, does not hold, is by
another key, or the manifest was altered after signing. Without --key a signature is checked
against the key it names and reported, but proves nothing about who made the bundle; and an
unsigned bundle's digests guard against accidents only, since anyone who edits a file can
recompute them.

Exit 0 when intact (and signed by --key, if given), 1 when anything is wrong, 2 for a bad
flag or a --key that is not an Ed25519 public key.

A zip built to exhaust its reader is refused before anything is decompressed, with exit 1:
entries sharing compressed data (a zip bomb), entries running past the end of the file, or
entries that unpack to more than --max-total all together. Each file is read by the size the
zip (or the file system) records, never by what the manifest claims; in a folder, symbolic
links, pipes and devices are named, never followed or opened. Ctrl-C or SIGTERM stops it
(exit 1).`,
		Example: `  leakwatch verify case.zip
  leakwatch verify --key jane.pub case.zip
  unzip -d case case.zip && leakwatch verify --key jane.pub case`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runVerify(cmd.Context(), e, o, args[0])
		},
	}
	cmd.Flags().Var(&o.maxTotal, "max-total", "most the bundle's files may unpack to, all together; 0 for no limit")
	cmd.Flags().StringVar(&o.key, "key", "", "public key (NAME.pub from 'leakwatch keygen') the bundle must be signed by")
	return cmd
}

func runVerify(ctx context.Context, e *env, o verifyOptions, path string) error {
	limit := int64(o.maxTotal)
	if limit == 0 {
		limit = -1
	}
	vo := evidence.VerifyOptions{MaxTotal: limit}
	if o.key != "" {
		k, err := evidence.ReadPublicKey(o.key)
		if err != nil {
			return usagef("--key: %w", err)
		}
		vo.Key = k
	}
	res, err := evidence.Verify(ctx, path, vo)
	if err != nil {
		return err
	}
	problems := len(res.Problems)
	// The manifest's tool, version and entry names, and the signature's
	// signer, are whoever built the bundle's: none may draw a line of its
	// own.
	report.SanitizeAll(res)
	if err := res.WriteText(e.stdout); err != nil {
		return err
	}
	if !res.OK() {
		return fmt.Errorf("verify %s: %d problem(s)", path, problems)
	}
	return nil
}
