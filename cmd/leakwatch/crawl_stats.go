package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/leakwatch/leakwatch/internal/crawlstats"
	"github.com/leakwatch/leakwatch/internal/store"
)

// crawlReadOptions are the flags export and stats share.
type crawlReadOptions struct {
	database string
	run      int64
	format   string
	output   string
}

func (o *crawlReadOptions) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&o.database, "database", "", "the crawl's store: postgres://user:pass@host/db, or a SQLite file or directory (environment: "+databaseEnv+")")
	fl.Int64Var(&o.run, "run", 0, "the crawl run to read (the id 'crawl enqueue' printed)")
	fl.StringVarP(&o.output, "output", "o", "", "file to write (- for standard output)")
}

// validate checks the flags and fills --database from the environment.
func (o *crawlReadOptions) validate(formats []string) error {
	if o.database == "" {
		o.database = os.Getenv(databaseEnv)
	}
	if o.database == "" {
		return usagef("no store: give --database DSN or set %s", databaseEnv)
	}
	if o.run <= 0 {
		return usagef("give --run ID, the run id 'crawl enqueue' printed (got %d)", o.run)
	}
	o.format = strings.ToLower(strings.TrimSpace(o.format))
	for _, f := range formats {
		if o.format == f {
			return nil
		}
	}
	return usagef("--format %q: want one of %s", o.format, strings.Join(formats, ", "))
}

// openRun opens the store and reads the run, naming what to do when it
// is not there.
func (o *crawlReadOptions) openRun(ctx context.Context) (store.Store, store.Run, error) {
	st, err := store.Open(ctx, o.database, store.Config{})
	if err != nil {
		return nil, store.Run{}, fmt.Errorf("open store: %w", err)
	}
	run, err := st.Run(ctx, o.run)
	if errors.Is(err, store.ErrNotFound) {
		st.Close()
		return nil, store.Run{}, usagef("run %d is not in this store: 'leakwatch crawl status' lists the runs", o.run)
	}
	if err != nil {
		st.Close()
		return nil, store.Run{}, err
	}
	return st, run, nil
}

func newCrawlExportCmd(e *env) *cobra.Command {
	var o crawlReadOptions
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write a crawl run's results as flat rows: JSONL, CSV or Parquet",
		Long: `Export writes every result of a crawl run as rows of one table, for pandas, R, DuckDB or a
spreadsheet: a "site" row per site (rank, state, error and its class, requests, third parties,
companies that received data, consent platforms and findings), each followed by its "flow" rows,
one per receiver host, data kind, encoding and channel (the company, whether the data was hashed,
the finding type and confidence, the locations, and the first request as evidence). Sites come
in byte order. Every format has the same columns in the same order (the README lists them).

The run is read a few results at a time and written as it is read, so a run of a million sites
needs no more memory than a few reports (Parquet: one row group of 8192 rows). The file is
written beside -o and renamed over it when complete; an interrupted export leaves no partial
file. CSV is RFC 4180 with a header row; a cell that a spreadsheet would run as a formula
starts with an apostrophe.

` + exitHelp,
		Example: `  leakwatch crawl export --database postgres://leakwatch@db/leakwatch --run 3 --format parquet -o run3.parquet
  LEAKWATCH_DATABASE=sqlite:crawl/ leakwatch crawl export --run 1 --format csv -o run1.csv`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runCrawlExport(cmd.Context(), e, o)
		},
	}
	o.register(cmd)
	cmd.Flags().StringVar(&o.format, "format", "", "jsonl, csv or parquet (default: -o's extension)")
	return cmd
}

func runCrawlExport(ctx context.Context, e *env, o crawlReadOptions) error {
	if o.output == "" {
		return usagef("give -o FILE (- for standard output)")
	}
	if ext := strings.TrimPrefix(filepath.Ext(o.output), "."); o.format == "" && slices.Contains(crawlstats.ExportFormats(), ext) {
		o.format = ext
	}
	if err := o.validate(crawlstats.ExportFormats()); err != nil {
		return err
	}
	st, run, err := o.openRun(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	var n crawlstats.Counts
	err = writeOutput(e.stdout, o.output, func(w io.Writer) error {
		var err error
		n, err = crawlstats.Export(ctx, st, run.ID, o.format, w)
		return err
	})
	if err != nil {
		return err
	}
	e.log().Log(ctx, levelNotice, fmt.Sprintf("exported run %d: %d sites, %d flow rows", run.ID, n.Sites, n.Flows))
	if n.ReportErrors > 0 {
		e.log().Warn(fmt.Sprintf("%d reports could not be read; their site rows say why (report_error)", n.ReportErrors))
	}
	return nil
}

// statsTop is how many rows each table of the text and Markdown
// statistics shows.
const statsTop = 50

func newCrawlStatsCmd(e *env) *cobra.Command {
	var o crawlReadOptions
	cmd := &cobra.Command{
		Use:   "stats",
		Short: "Answer the research questions over a crawl run: who gets which data, how encoded, from how many sites",
		Long: `Stats reads every result of a crawl run and counts sites: which data kinds each company
received, the encodings and hashes the data travelled in (plain, url, base64, sha256, md5,
sha1, and chains such as "url > sha256") by sites and receivers, the companies and hosts by the
number of sites that contacted them and that sent them personal data, consent findings by
consent platform, and failed sites by error class.

Personal data is a persona value (leak and keystroke findings) or a high-confidence pattern
match reaching a third party; lower-confidence matches are counted apart, never as data. Each
site counts once per row however often it sent the data. Text and Markdown show the first
` + fmt.Sprint(statsTop) + ` rows of each table; JSON holds them all.

` + exitHelp,
		Example: `  leakwatch crawl stats --database postgres://leakwatch@db/leakwatch --run 3
  leakwatch crawl stats --run 3 --format md -o run3.md
  leakwatch crawl stats --run 3 --format json | jq '.data_flows[] | select(.company == "Meta")'`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runCrawlStats(cmd.Context(), e, o)
		},
	}
	o.register(cmd)
	cmd.Flags().StringVar(&o.format, "format", crawlstats.FormatText, "text, json or md")
	return cmd
}

func runCrawlStats(ctx context.Context, e *env, o crawlReadOptions) error {
	if o.format == "markdown" {
		o.format = crawlstats.FormatMarkdown
	}
	if err := o.validate(crawlstats.StatsFormats()); err != nil {
		return err
	}
	st, run, err := o.openRun(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	s, err := crawlstats.Collect(ctx, st, run)
	if err != nil {
		return err
	}
	return writeOutput(e.stdout, o.output, func(w io.Writer) error {
		return crawlstats.Render(w, s, o.format, crawlstats.RenderOptions{Top: statsTop})
	})
}

// writeOutput runs write on standard output (path "" or "-"), on a path
// that is not a regular file (a pipe, /dev/null) in place, or on a
// temporary file beside path renamed over it once write succeeded, so a
// failed or interrupted run leaves no partial file.
func writeOutput(stdout io.Writer, path string, write func(io.Writer) error) error {
	if path == "" || path == "-" {
		bw := bufio.NewWriterSize(stdout, 256<<10)
		return errors.Join(write(bw), bw.Flush())
	}
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		return errors.Join(write(f), f.Close())
	}
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // after the rename there is nothing left to remove
	bw := bufio.NewWriterSize(tmp, 256<<10)
	if err := write(bw); err != nil {
		tmp.Close()
		return err
	}
	if err := errors.Join(bw.Flush(), tmp.Chmod(0o644), tmp.Close()); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
