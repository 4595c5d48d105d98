package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/spf13/cobra"

	"github.com/leakwatch/leakwatch/internal/blobstore"
	"github.com/leakwatch/leakwatch/internal/fleet"
	"github.com/leakwatch/leakwatch/internal/netguard"
)

type workerOptions struct {
	db          crawlDB
	concurrency int
	name        string
	siteTimeout time.Duration
	politeness  time.Duration
	grace       time.Duration
	harDir      string
	harStore    string
	chromeArgs  []string
	verbose     bool
	allowPriv   bool
}

func newWorkerCmd(e *env) *cobra.Command {
	var o workerOptions
	cmd := &cobra.Command{
		Use:   "worker --database DSN",
		Short: "Crawl the sites of queued crawl runs until stopped",
		Long: `Worker takes sites of crawl runs from the database's "crawl" queue, --concurrency at a time,
and scans each in a fresh incognito context of one long-lived headless Chromium (started again
if it dies), then stores the site's report once. Start one on each machine; they share the
work through the database. A site gets --site-timeout per attempt and 3 attempts; two visits to
one registrable domain, by any worker, start at least --politeness apart. Paused runs wait;
cancelled runs are skipped. A worker killed mid-site loses only that attempt: another worker
retries the site once the site timeout and a margin have passed. Chromium goes through a guard
that refuses loopback, private, link-local and metadata addresses (a listed domain resolving or
redirecting to one cannot reach the cluster's insides) unless --allow-private-targets.

SIGINT or SIGTERM stops taking sites and lets running ones finish for --grace; sites still
running then are released at once, for another worker. A second signal exits at once.

--har-store takes file:///path (as --har-dir) or s3://bucket/prefix, with the endpoint and
credentials from LEAKWATCH_S3_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION.

` + exitHelp,
		Example: `  leakwatch worker --database postgres://leakwatch@db/leakwatch --concurrency 2
  LEAKWATCH_DATABASE=crawl.db leakwatch worker --har-dir hars/ --politeness 30s`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error { return runWorker(cmd.Context(), e, o) },
	}
	o.db.register(cmd)
	fl := cmd.Flags()
	fl.IntVar(&o.concurrency, "concurrency", 1, "sites crawled at once, in one Chromium")
	fl.StringVar(&o.name, "name", "", "this worker's name in results and status (default host:pid)")
	fl.DurationVar(&o.siteTimeout, "site-timeout", 2*time.Minute, "budget of one attempt at a site: crawl, analysis and storing")
	fl.DurationVar(&o.politeness, "politeness", 10*time.Second, "least time between two visits to one registrable domain, across all workers (0: none)")
	fl.DurationVar(&o.grace, "grace", 30*time.Second, "on SIGINT or SIGTERM, how long running sites may take to finish before they are released")
	fl.StringVar(&o.harDir, "har-dir", "", "keep HARs of runs enqueued with --har under this directory (gzipped, one folder per run; same as --har-store file:///DIR)")
	fl.StringVar(&o.harStore, "har-store", "", "keep HARs in file:///path or s3://bucket/prefix (an existing bucket; endpoint and credentials from LEAKWATCH_S3_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION)")
	fl.StringArrayVar(&o.chromeArgs, "chrome-arg", nil, "extra Chromium command-line flag, e.g. --host-resolver-rules=…; repeatable")
	fl.BoolVar(&o.allowPriv, "allow-private-targets", false, "let sites reach loopback, private, link-local and metadata addresses, with no guard in between (labs and tests, with --chrome-arg=--host-resolver-rules=…)")
	fl.BoolVar(&o.verbose, "verbose", false, "log every site's outcome, every page visited and the queue's own records")
	return cmd
}

func runWorker(ctx context.Context, e *env, o workerOptions) error {
	if o.concurrency < 1 || o.grace < 0 {
		return usagef("worker: --concurrency must be at least 1 and --grace not negative")
	}
	serviceMemory()
	sink, closeSink, err := harSink(ctx, o.harDir, o.harStore)
	if err != nil {
		return err
	}
	defer func() { _ = closeSink() }()
	st, dsn, err := o.db.open(ctx, o.concurrency+4)
	if err != nil {
		return err
	}
	defer st.Close()
	chromeArgs, check, stopGuard, err := workerGuard(ctx, e, o)
	if err != nil {
		return err
	}
	defer stopGuard()
	cfg := fleet.Config{Concurrency: o.concurrency, Name: o.name, SiteTimeout: o.siteTimeout, Politeness: o.politeness,
		ChromeArgs: chromeArgs, TargetCheck: check, ConsentRules: consentRules(), HARs: sink, Logger: e.log(), Version: toolVersion()}
	if err := cfg.Validate(); err != nil {
		return usageError{err}
	}
	c, err := fleet.Open(ctx, dsn, st, cfg)
	if err != nil {
		return err
	}
	defer c.Close()
	// River's context is not the command's: a signal stops the worker
	// softly below rather than cancelling every site at once.
	if err := c.Start(context.WithoutCancel(ctx)); err != nil {
		return err
	}
	e.log().Log(ctx, levelNotice, "worker started", "concurrency", o.concurrency)
	<-ctx.Done()
	e.log().Log(context.WithoutCancel(ctx), levelNotice, "worker stopping: running sites may finish", "grace", o.grace)
	gctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), o.grace)
	defer cancel()
	if err := c.Stop(gctx); err == nil {
		e.log().Log(context.WithoutCancel(ctx), levelNotice, "worker stopped")
		return nil
	}
	e.log().Log(context.WithoutCancel(ctx), levelNotice, "grace period over: releasing running sites")
	cctx, ccancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer ccancel()
	if err := c.StopAndCancel(cctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}

// workerGuard starts the network guard the worker's Chromium goes
// through, unless private targets are allowed, and returns Chromium's
// flags. The guard outlives the signal that stops the worker, so that
// sites finishing in the grace period still reach the network.
func workerGuard(ctx context.Context, e *env, o workerOptions) ([]string, func(context.Context, string) error, func(), error) {
	if o.allowPriv {
		return o.chromeArgs, nil, func() {}, nil
	}
	guard := &netguard.Guard{}
	proxy, err := netguard.New(netguard.Config{Guard: *guard, Logger: e.log(),
		OnRefuse: func(ev netguard.Event) {
			e.log().Warn("site target refused", "host", ev.Host, "addr", ev.Addr, "reason", ev.Reason)
		}})
	if err != nil {
		return nil, nil, nil, err
	}
	if err := proxy.Start(context.WithoutCancel(ctx)); err != nil {
		return nil, nil, nil, err
	}
	stop := func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = proxy.Stop(sctx)
	}
	return append(append([]string{}, o.chromeArgs...), proxy.ChromeArgs()...), guard.Check, stop, nil
}

// harSink opens where HARs go: --har-dir, or --har-store's URL.
func harSink(ctx context.Context, dir, where string) (fleet.HARSink, func() error, error) {
	switch {
	case dir != "" && where != "":
		return nil, nil, usagef("worker: give --har-dir or --har-store, not both")
	case dir != "":
		where = dir
	case where == "":
		return nil, func() error { return nil }, nil
	}
	if u, err := url.Parse(where); dir == "" && (err != nil || (u.Scheme != "file" && u.Scheme != "s3")) {
		return nil, nil, usagef("worker: --har-store %q: want file:///path or s3://bucket/prefix", where)
	}
	bs, err := blobstore.Open(ctx, where, blobstore.Options{})
	if err != nil {
		return nil, nil, fmt.Errorf("worker: HAR store: %w", err)
	}
	return fleet.BlobSink{Store: bs}, bs.Close, nil
}
