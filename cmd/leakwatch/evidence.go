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
// and HTML, screenshots and a manifest of SHA-256 digests.
func writeEvidence(ctx context.Context, e *env, dest string, rep *audit.Report, in finishInputs, opts report.Options, redacted bool) error {
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
		Command: append([]string{"leakwatch"}, e.args...), Options: e.flags, Created: time.Now().UTC()}
	if err := evidence.Write(dest, b); err != nil {
		return fmt.Errorf("write evidence bundle: %w", err)
	}
	return nil
}

func newVerifyCmd(e *env) *cobra.Command {
	maxTotal := sizeValue(evidence.DefaultMaxTotal)
	cmd := &cobra.Command{
		Use:   "verify FILE.zip",
		Short: "Check an evidence bundle against its manifest",
		Long: `Verify recomputes the SHA-256 of every file in an evidence bundle written by --evidence and
compares it with the manifest; it names any file that changed, is missing or was added, and a
manifest that was altered. Exit 0 when intact, 1 when anything changed.

A zip built to exhaust its reader is refused before anything is decompressed, with exit 1:
entries sharing compressed data (a zip bomb), entries running past the end of the file, or
entries that unpack to more than --max-total all together. Each file is read by the size the
zip records, never by what the manifest claims. Ctrl-C or SIGTERM stops it (exit 1).`,
		Example: "  leakwatch verify case.zip",
		Args:    usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			limit := int64(maxTotal)
			if limit == 0 {
				limit = -1
			}
			res, err := evidence.Verify(cmd.Context(), args[0], evidence.VerifyOptions{MaxTotal: limit})
			if err != nil {
				return err
			}
			problems := len(res.Problems)
			// The manifest's tool, version and entry names are whoever built
			// the bundle's: none may draw a line of its own.
			report.SanitizeAll(res)
			if err := res.WriteText(e.stdout); err != nil {
				return err
			}
			if !res.OK() {
				return fmt.Errorf("verify %s: %d problem(s)", args[0], problems)
			}
			return nil
		},
	}
	cmd.Flags().Var(&maxTotal, "max-total", "most the bundle's files may unpack to, all together; 0 for no limit")
	return cmd
}
