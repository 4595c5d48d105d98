package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/leakwatch/leakwatch/internal/fleet"
	"github.com/leakwatch/leakwatch/internal/store"
)

// databaseEnv names the crawl's database when --database is not given.
const databaseEnv = "LEAKWATCH_DATABASE"

const crawlDatabaseHelp = "the crawl's database: postgres://user:pass@host/db for many machines, or a SQLite file path for one (environment: " + databaseEnv + ")"

// crawlDB is the --database flag every crawl command and the worker share.
type crawlDB struct{ dsn string }

func (d *crawlDB) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&d.dsn, "database", "", crawlDatabaseHelp)
}

func (d crawlDB) open(ctx context.Context, conns int) (store.Store, string, error) {
	dsn := d.dsn
	if dsn == "" {
		dsn = os.Getenv(databaseEnv)
	}
	if dsn == "" {
		return nil, "", usagef("give --database (or set %s): postgres://… or a SQLite file", databaseEnv)
	}
	// The key seals a run's persona (enqueue) and opens it (worker).
	key, err := store.ParseKey(os.Getenv(store.KeyEnv))
	if err != nil {
		return nil, "", usageError{err}
	}
	st, err := store.Open(ctx, dsn, store.Config{MaxConns: conns, Key: key})
	if err != nil {
		return nil, "", fmt.Errorf("open database: %w", err)
	}
	return st, dsn, nil
}

func newCrawlCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "crawl",
		Short: "Research crawls over many sites: enqueue, watch and control runs that workers crawl",
		Long: `A crawl run scans a list of sites, each once, with any number of 'leakwatch worker'
processes on any number of machines sharing one database (PostgreSQL; SQLite on one machine).
Each site is a job of River's "crawl" queue; a worker that dies loses only its site's attempt,
which another worker retries; a site's result is stored once.

` + exitHelp,
		Example: `  export LEAKWATCH_DATABASE=postgres://leakwatch@db/leakwatch
  leakwatch crawl enqueue --sites tranco-top-10k.csv --name tranco-10k --persona me.yaml
  leakwatch worker --concurrency 2      # on every machine
  leakwatch crawl status --watch`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	addCrawlSubcommands(cmd, e)
	return cmd
}

// addCrawlSubcommands lists the crawl group's commands, one file each.
func addCrawlSubcommands(crawl *cobra.Command, e *env) {
	crawl.AddCommand(newCrawlEnqueueCmd(e), newCrawlStatusCmd(e),
		newCrawlStateCmd(e, "pause", "Stop workers from starting a run's sites (sites running finish)", fleet.Pause),
		newCrawlStateCmd(e, "resume", "Let workers start a paused run's sites again", fleet.Resume),
		newCrawlStateCmd(e, "cancel", "End a run: its remaining sites are not crawled", fleet.Cancel),
		newCrawlRetryCmd(e), newCrawlExportCmd(e), newCrawlStatsCmd(e))
}

type enqueueOptions struct {
	db      crawlDB
	sites   string
	name    string
	persona string
	resume  int64
	run     fleet.RunOptions
}

func newCrawlEnqueueCmd(e *env) *cobra.Command {
	var o enqueueOptions
	cmd := &cobra.Command{
		Use:   "enqueue --sites FILE",
		Short: "Create a run over a list of sites and queue one job per site; prints the run id",
		Long: `Enqueue reads FILE ('-' for standard input): one URL or domain per line ('#' starts a comment),
or a Tranco-style CSV of rank,domain lines. Domains become https://domain/; sites are
normalised (lower-case host, no default port, no fragment) and listed once.

` + exitHelp,
		Example: `  leakwatch crawl enqueue --database crawl.db --sites sites.txt
  leakwatch crawl enqueue --sites top-1m.csv --name tranco-2026-12 --consent reject --persona me.yaml --har`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error { return runCrawlEnqueue(cmd.Context(), e, o) },
	}
	o.db.register(cmd)
	fl := cmd.Flags()
	fl.StringVar(&o.sites, "sites", "", "file of sites: URLs or domains, one a line, or rank,domain CSV; - for standard input")
	fl.StringVar(&o.name, "name", "", "name of the run (default: the sites file's name)")
	fl.StringVar(&o.run.Consent, "consent", "", "consent banners: none (record them), reject or accept (answer each); default: not examined")
	fl.IntVar(&o.run.Depth, "depth", 1, "follow same-site links this many clicks deep from each site's start page")
	fl.IntVar(&o.run.MaxPages, "max-pages", 5, "visit at most this many pages per site")
	fl.BoolVar(&o.run.HAR, "har", false, "keep each site's HAR (workers need --har-dir or --har-store)")
	fl.Int64Var(&o.resume, "run", 0, "finish an enqueue that stopped part-way: queue the same FILE into run ID (sites already queued are not queued twice; the run's options stay)")
	fl.StringVar(&o.persona, "persona", "", "persona file (YAML or JSON) whose values are looked for; stored with the run encrypted under $"+store.KeyEnv+" (32 bytes as hex or base64), which every worker needs too")
	return cmd
}

func runCrawlEnqueue(ctx context.Context, e *env, o enqueueOptions) error {
	if o.sites == "" {
		return usagef("crawl enqueue: give --sites FILE")
	}
	sites, name, err := readSites(e, o.sites)
	if err != nil {
		return err
	}
	if o.name == "" {
		o.name = name
	}
	if o.persona != "" {
		b, err := os.ReadFile(o.persona)
		if err != nil {
			return usagef("persona: %w", err)
		}
		o.run.Persona = string(b)
	}
	if err := o.run.Validate(); err != nil {
		return usageError{err}
	}
	st, dsn, err := o.db.open(ctx, 0)
	if err != nil {
		return err
	}
	defer st.Close()
	c, err := fleet.Open(ctx, dsn, st, fleet.Config{Logger: e.log()})
	if err != nil {
		return err
	}
	defer c.Close()
	if o.resume > 0 {
		if err := c.EnqueueMore(ctx, o.resume, sites); err != nil {
			return err
		}
		e.log().Info("run enqueued again", "run", o.resume, "sites", len(sites))
		fmt.Fprintln(e.stdout, o.resume)
		return nil
	}
	run, err := c.Enqueue(ctx, o.name, sites, o.run)
	if err != nil {
		return err
	}
	e.log().Info("run enqueued", "run", run.ID, "sites", len(sites))
	fmt.Fprintln(e.stdout, run.ID)
	return nil
}

func readSites(e *env, path string) ([]fleet.Site, string, error) {
	var r io.Reader = e.stdin
	name := "stdin"
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, "", usagef("sites: %w", err)
		}
		defer f.Close()
		r, name = f, strings.TrimSuffix(path[strings.LastIndexByte(path, '/')+1:], ".txt")
	}
	sites, err := fleet.ParseSites(r)
	if err != nil {
		return nil, "", usagef("sites %s: %w", path, err)
	}
	return sites, name, nil
}

type runIDOptions struct {
	db  crawlDB
	run int64
}

func (o *runIDOptions) register(cmd *cobra.Command) {
	o.db.register(cmd)
	cmd.Flags().Int64Var(&o.run, "run", 0, "the run's id (as enqueue printed it)")
}

func newCrawlStateCmd(e *env, verb, short string, change func(context.Context, store.Crawls, int64) (store.Run, error)) *cobra.Command {
	var o runIDOptions
	cmd := &cobra.Command{
		Use:     verb + " --run ID",
		Short:   short,
		Long:    short + ".\n\n" + exitHelp,
		Example: "  leakwatch crawl " + verb + " --database postgres://leakwatch@db/leakwatch --run 3",
		Args:    usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.run <= 0 {
				return usagef("crawl %s: give --run ID", verb)
			}
			st, _, err := o.db.open(cmd.Context(), 0)
			if err != nil {
				return err
			}
			defer st.Close()
			run, err := change(cmd.Context(), st, o.run)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "run %d: %s\n", run.ID, run.State)
			return nil
		},
	}
	o.register(cmd)
	return cmd
}

func newCrawlRetryCmd(e *env) *cobra.Command {
	var o runIDOptions
	cmd := &cobra.Command{
		Use:     "retry-failed --run ID",
		Short:   "Queue again every site of a run whose result is a failure",
		Long:    "Retry-failed removes a run's failed results and queues their sites again; the run is active again.\n\n" + exitHelp,
		Example: "  leakwatch crawl retry-failed --database postgres://leakwatch@db/leakwatch --run 3",
		Args:    usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if o.run <= 0 {
				return usagef("crawl retry-failed: give --run ID")
			}
			st, dsn, err := o.db.open(ctx, 0)
			if err != nil {
				return err
			}
			defer st.Close()
			c, err := fleet.Open(ctx, dsn, st, fleet.Config{Logger: e.log()})
			if err != nil {
				return err
			}
			defer c.Close()
			n, err := c.RetryFailed(ctx, o.run)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "run %d: %d failed sites queued again\n", o.run, n)
			return nil
		},
	}
	o.register(cmd)
	return cmd
}

// watchEvery is how often crawl status --watch redraws.
const watchEvery = 2 * time.Second

type statusOptions struct {
	runIDOptions
	watch bool
}

func newCrawlStatusCmd(e *env) *cobra.Command {
	var o statusOptions
	cmd := &cobra.Command{
		Use:   "status [--run ID]",
		Short: "Show a run's progress: done, failed, running, rate, ETA, per worker",
		Long: `Status shows a run's progress (the newest run without --run): a progress bar, sites done,
failed, running and pending, results per minute over the last 5 minutes, the time left at that
rate, and each worker's share. --watch redraws it every 2 seconds until the run ends.

` + exitHelp,
		Example: `  leakwatch crawl status --database crawl.db
  leakwatch crawl status --run 3 --watch`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error { return runCrawlStatus(cmd.Context(), e, o) },
	}
	o.register(cmd)
	cmd.Flags().BoolVar(&o.watch, "watch", false, "redraw every 2 seconds until the run is finished or cancelled (Ctrl-C stops)")
	return cmd
}

func runCrawlStatus(ctx context.Context, e *env, o statusOptions) error {
	st, _, err := o.db.open(ctx, 0)
	if err != nil {
		return err
	}
	defer st.Close()
	if o.run == 0 {
		runs, err := st.ListRuns(ctx, store.Page{Limit: 1})
		if err != nil {
			return err
		}
		if len(runs) == 0 {
			return fmt.Errorf("no crawl run in this database: enqueue one with 'leakwatch crawl enqueue'")
		}
		o.run = runs[0].ID
	}
	redraw := o.watch && isTerminal(e.stdout)
	for {
		s, err := fleet.RunStatus(ctx, st, o.run, time.Now())
		if err != nil {
			return err
		}
		if redraw {
			fmt.Fprint(e.stdout, "\033[H\033[2J")
		}
		writeStatus(e.stdout, s)
		if !o.watch || s.Finished() || s.Run.State == store.RunCancelled {
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(watchEvery):
		}
		if !redraw {
			fmt.Fprintln(e.stdout)
		}
	}
}

// writeStatus prints a run's status for people.
func writeStatus(w io.Writer, s fleet.Status) {
	ended := s.Done + s.Failed
	pct := 0.0
	if s.Total > 0 {
		pct = 100 * float64(ended) / float64(s.Total)
	}
	const width = 30
	fill := min(width, int(pct/100*width))
	fmt.Fprintf(w, "run %d %q: %s\n[%s%s] %d/%d sites (%.1f%%)\n", s.Run.ID, s.Run.Name, s.Run.State,
		strings.Repeat("#", fill), strings.Repeat(".", width-fill), ended, s.Total, pct)
	fmt.Fprintf(w, "done %d  failed %d  running %d  pending %d\n", s.Done, s.Failed, s.Running, s.Pending)
	eta := "unknown"
	switch {
	case s.Finished():
		eta = "none (finished)"
	case s.ETA > 0:
		eta = s.ETA.Round(time.Second).String()
	}
	fmt.Fprintf(w, "rate %.1f sites/min  ETA %s\n", s.PerMinute, eta)
	if len(s.Workers) == 0 {
		return
	}
	fmt.Fprintf(w, "%-32s %7s %7s %8s  %s\n", "worker", "done", "failed", "running", "last result")
	for _, wk := range s.Workers {
		last := "-"
		if !wk.Last.IsZero() {
			last = wk.Last.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(w, "%-32s %7d %7d %8d  %s\n", wk.Name, wk.Done, wk.Failed, wk.Running, last)
	}
}
