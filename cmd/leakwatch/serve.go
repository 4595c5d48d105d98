package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/time/rate"

	"github.com/leakwatch/leakwatch/internal/crawl"
	"github.com/leakwatch/leakwatch/internal/jobs"
	"github.com/leakwatch/leakwatch/internal/netguard"
	"github.com/leakwatch/leakwatch/internal/server"
	"github.com/leakwatch/leakwatch/internal/store"
)

// serveOptions are serve's flags.
type serveOptions struct {
	addr         string
	data         string
	database     string
	allowPrivate bool
	maxSessions  int
	drain        time.Duration
	queue        string
	outbox       string
	mailFrom     string
	metricsPub   bool
	secureCookie bool
	trustProxy   bool
	demo         bool
	scanTimeout  time.Duration
	rescueAfter  time.Duration
	rateLimit    float64
	rateBurst    int
}

func (o *serveOptions) register(cmd *cobra.Command) {
	fl := cmd.PersistentFlags()
	fl.StringVar(&o.data, "data", "", "data directory of the embedded SQLite database (default $XDG_DATA_HOME/leakwatch or ~/.local/share/leakwatch)")
	fl.StringVar(&o.database, "database", "", "PostgreSQL instead of SQLite: postgres://user:pass@host/db (environment: LEAKWATCH_DATABASE)")
}

func newServeCmd(e *env) *cobra.Command {
	var o serveOptions
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the service: an HTTP API and web UI to scan sites and keep their history",
		Long: `Serve runs leakwatch as a service: a JSON API (described at /api/openapi.json) and a web UI
to submit scans, watch them progress, read their reports, compare any two scans of a site and
download evidence bundles. Scans, reports, tokens and UI sessions are kept in an embedded SQLite
database in --data, or in PostgreSQL with --database. Personas and notification targets are
stored encrypted with the key in ` + store.KeyEnv + ` (32 bytes, hex or base64).

On first start (no token stored) it prints an admin API token once: log in to the UI with it,
or send it as "Authorization: Bearer TOKEN". Make more with the UI, the API, or
'leakwatch serve token create'. Logins survive a restart.

Scans visit only public addresses: URLs naming localhost or a loopback, private, link-local
or reserved IP address are refused unless --allow-private-targets is given. --demo also
serves the demo site (https://www.parcelpost.test/) to scans, as 'leakwatch demo' does.

Notifications: when a finished scan of a site shows a new company, a new data kind or a new
consent conflict against the site's baseline (or else its previous scan), each of the site's
targets (set by an admin in the UI or the API) gets it: a webhook (JSON, signed with
HMAC-SHA256 in X-Leakwatch-Signature), a Slack-compatible webhook, or an email-ready message
written to --notify-outbox for a mail transfer agent. Webhooks go through the same network
guard as scans (no private address unless --allow-private-targets, no redirects).

/healthz and /readyz serve probes; /metrics (Prometheus) needs the bearer token in
` + metricsTokenEnv + ` or any API token, unless --metrics-public. Behind a TLS-terminating
proxy, give --secure-cookies (or --trust-proxy-headers, if the proxy sets X-Forwarded-Proto).
SIGINT or SIGTERM stops accepting, lets requests and scans in flight finish for --drain, then
closes what is left and exits; scans not finished are run again on the next start. The exit is
0 unless a request was still being served when the drain ended.

` + exitHelp,
		Example: `  leakwatch serve
  LEAKWATCH_STORE_KEY=$(openssl rand -hex 32) leakwatch serve --demo
  leakwatch serve --addr :8080 --data /var/lib/leakwatch --secure-cookies
  LEAKWATCH_STORE_KEY=$(openssl rand -hex 32) leakwatch serve --database postgres://leakwatch@db/leakwatch`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runServe(cmd.Context(), e, o)
		},
	}
	o.register(cmd)
	fl := cmd.Flags()
	fl.StringVar(&o.addr, "addr", "127.0.0.1:8080", "address to listen on (host:port; :8080 listens on every interface)")
	fl.BoolVar(&o.allowPrivate, "allow-private-targets", false, "let scans visit localhost, loopback and private addresses (the demo, a lab)")
	fl.IntVar(&o.maxSessions, "max-sessions", 1, "scans (Chromium sessions) run at once")
	fl.StringVar(&o.queue, "queue", queueInline, "where scans run: 'inline' (in this process, resumed after a restart) or 'river' (River jobs in the same database: retries, timeouts, recovery from a crash, several servers)")
	fl.DurationVar(&o.drain, "drain", 30*time.Second, "on SIGTERM, how long requests and scans in flight may take to finish")
	fl.Float64Var(&o.rateLimit, "rate-limit", server.DefaultRateLimit, "requests per second each API token (or, before login, each client address) may sustain; more are answered 429")
	fl.IntVar(&o.rateBurst, "rate-burst", server.DefaultRateBurst, "requests a token may make at once above --rate-limit")
	fl.DurationVar(&o.scanTimeout, "scan-timeout", 10*time.Minute, "how long one attempt of a scan may take")
	fl.DurationVar(&o.rescueAfter, "rescue-after", 0, "--queue river: how long a scan's job may stay running before it is taken for abandoned (its server died) and run again; more than --scan-timeout (default --scan-timeout plus 5 minutes)")
	fl.StringVar(&o.outbox, "notify-outbox", "", "directory email notifications are written to, one RFC 5322 .eml file each, for a mail transfer agent to send (default DATA/outbox with SQLite; none with --database: email targets then fail)")
	fl.StringVar(&o.mailFrom, "mail-from", "leakwatch@localhost", "From address of email notifications")
	fl.BoolVar(&o.metricsPub, "metrics-public", false, "serve /metrics without a token (otherwise it needs $"+metricsTokenEnv+" or an API token as a bearer token)")
	fl.BoolVar(&o.demo, "demo", false, "also serve the demo site (https://www.parcelpost.test/, as 'leakwatch demo') to scans, with its persona stored as \"demo\" when "+store.KeyEnv+" is set; the lab answers for its vendor hostnames (www.facebook.com...) in every scan, so use it to try the service, not for real scans")
	fl.BoolVar(&o.secureCookie, "secure-cookies", false, "mark the login cookie Secure always: the service is reached over HTTPS through a proxy")
	fl.BoolVar(&o.trustProxy, "trust-proxy-headers", false, "mark the login cookie Secure when X-Forwarded-Proto is https (only behind a proxy that sets that header)")
	cmd.AddCommand(newServeTokenCmd(e, &o))
	return cmd
}

// dsn is the store the flags name.
func (o serveOptions) dsn() (string, error) {
	if o.database == "" {
		o.database = os.Getenv("LEAKWATCH_DATABASE")
	}
	if o.database != "" && o.data != "" {
		return "", usagef("give --data or --database, not both")
	}
	if o.database != "" {
		return o.database, nil
	}
	if o.data != "" {
		return "sqlite:" + o.data + "/", nil
	}
	dir := os.Getenv("XDG_DATA_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", usagef("no home directory for the default data directory: give --data DIR")
		}
		dir = filepath.Join(home, ".local", "share")
	}
	return "sqlite:" + filepath.Join(dir, "leakwatch") + "/", nil
}

func (o serveOptions) open(ctx context.Context) (store.Store, error) {
	dsn, err := o.dsn()
	if err != nil {
		return nil, err
	}
	key, err := store.ParseKey(os.Getenv(store.KeyEnv))
	if err != nil {
		return nil, usageError{err}
	}
	st, err := store.Open(ctx, dsn, store.Config{Key: key})
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	return st, nil
}

func (o serveOptions) validate() error {
	switch {
	case o.maxSessions < 1:
		return usagef("--max-sessions must be at least 1, got %d", o.maxSessions)
	case o.rateLimit <= 0 || o.rateBurst < 1:
		return usagef("--rate-limit must be positive and --rate-burst at least 1")
	case o.scanTimeout <= 0 || o.rescueAfter < 0 || (o.rescueAfter != 0 && o.rescueAfter <= o.scanTimeout):
		return usagef("--scan-timeout must be positive and --rescue-after longer than it")
	case o.queue != queueInline && o.queue != queueRiver:
		return usagef("--queue %q: want %s or %s", o.queue, queueInline, queueRiver)
	}
	return nil
}

func runServe(ctx context.Context, e *env, o serveOptions) error {
	if err := o.validate(); err != nil {
		return err
	}
	serviceMemory()
	st, err := o.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := firstToken(ctx, e, st); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return usageError{fmt.Errorf("listen on %s: %w", o.addr, err)}
	}
	defer ln.Close() // Serve closes it too; this is for the errors before
	sc, stopScanning, err := startScanning(ctx, e, o, st, ln.Addr())
	if err != nil {
		return err
	}
	defer stopScanning()
	cfg := server.Config{Store: st, Scan: sc.scan, StepTargets: stepTargets, MaxSessions: o.maxSessions,
		TargetCheck: sc.check, AllowPrivateTargets: o.allowPrivate, Logger: e.log(),
		MetricsPublic: o.metricsPub, MetricsToken: os.Getenv(metricsTokenEnv), SecureCookies: o.secureCookie,
		TrustProxyHeaders: o.trustProxy, RateLimit: rate.Limit(o.rateLimit), RateBurst: o.rateBurst, Version: toolVersion()}
	if o.queue == queueRiver {
		q, stop, err := startRiver(ctx, e, o, st, sc.scan, sc.deliver)
		if err != nil {
			return err
		}
		defer stop()
		cfg.Queue = q
	} else {
		n := &jobs.Notifier{Store: st, Targets: jobs.StoredTargets(st), Deliverer: sc.deliver, Logger: e.log()}
		cfg.Notify = n.Notify
	}
	srv, err := server.New(cfg)
	if err != nil {
		return err
	}
	if err := srv.Start(ctx); err != nil {
		return err
	}
	e.log().Log(ctx, levelNotice, "leakwatch serve listening", "url", "http://"+ln.Addr().String()+"/",
		"private_targets", o.allowPrivate, "max_sessions", o.maxSessions)
	err = srv.Serve(ctx, ln, o.drain)
	if ctx.Err() != nil && err == nil {
		e.log().Log(context.Background(), levelNotice, "leakwatch serve stopped")
		return nil
	}
	return err
}

// scanning is how the service reaches the outside: the scanner, the check
// of submitted URLs, and the deliverer of notifications.
type scanning struct {
	scan    server.ScanFunc
	check   server.TargetCheck
	deliver jobs.Deliverer
}

// startScanning starts the network guard (and, with --demo, the demo site)
// and returns what reaches the outside through them, and how to stop them.
func startScanning(ctx context.Context, e *env, o serveOptions, st store.Store, self net.Addr) (scanning, func(), error) {
	guard, proxy, err := startGuard(ctx, e, self, o.allowPrivate)
	if err != nil {
		return scanning{}, nil, err
	}
	stops := []func(){func() {
		stop, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = proxy.Stop(stop)
	}}
	stop := func() {
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i]()
		}
	}
	chromeArgs, check := proxy.ChromeArgs(), server.TargetCheck(guard.Check)
	var extraConsent []crawl.ConsentRule
	if o.demo {
		d, err := startServeDemo(ctx, e, st)
		if err != nil {
			stop()
			return scanning{}, nil, err
		}
		stops = append(stops, func() { _ = d.Close() })
		chromeArgs, check = d.chromeArgs(chromeArgs), d.check(check)
		extraConsent = append(extraConsent, d.consentRule())
		e.log().Log(ctx, levelNotice, "demo site served to scans", "site", d.site.URL, "persona", demoPersona)
	}
	deliver, err := o.deliverer(guard)
	if err != nil {
		stop()
		return scanning{}, nil, err
	}
	return scanning{scan: liveScanner(e, st, o.scanTimeout, chromeArgs, extraConsent...), check: check, deliver: deliver}, stop, nil
}

// metricsTokenEnv holds the bearer token a Prometheus scraper sends for
// /metrics (an environment variable, not a flag: flags show in ps).
const metricsTokenEnv = "LEAKWATCH_METRICS_TOKEN"

// deliverer sends notifications: webhooks through the network guard (no
// private address unless --allow-private-targets, never the server itself,
// no redirects), emails to the outbox.
func (o serveOptions) deliverer(guard *netguard.Guard) (jobs.Deliverer, error) {
	outbox := o.outbox
	if outbox == "" && o.database == "" && os.Getenv("LEAKWATCH_DATABASE") == "" {
		dsn, err := o.dsn()
		if err != nil {
			return jobs.Deliverer{}, err
		}
		outbox = filepath.Join(strings.TrimSuffix(strings.TrimPrefix(dsn, "sqlite:"), "/"), "outbox")
	}
	if strings.ContainsAny(o.mailFrom, "\r\n") {
		return jobs.Deliverer{}, usagef("--mail-from holds a line break")
	}
	client := &http.Client{Transport: guard.Transport(), Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return jobs.Deliverer{Client: client, Outbox: outbox, From: o.mailFrom}, nil
}

// stepTargets lists the addresses a steps file navigates to, so that the
// server checks them as it checks the scan's URLs.
func stepTargets(steps string) ([]string, error) {
	parsed, err := crawl.ParseSteps([]byte(steps))
	if err != nil {
		return nil, err
	}
	var urls []string
	for _, st := range parsed {
		if st.Action == "goto" && st.URL != "about:blank" {
			urls = append(urls, st.URL)
		}
	}
	return urls, nil
}

// firstToken prints an admin token when the store has none.
func firstToken(ctx context.Context, e *env, st store.Store) error {
	ts, err := st.ListTokens(ctx)
	if err != nil {
		return fmt.Errorf("list tokens: %w", err)
	}
	if len(ts) > 0 {
		return nil
	}
	secret, _, err := st.CreateToken(ctx, "admin (first start)", store.RoleAdmin)
	if err != nil {
		return fmt.Errorf("create the first admin token: %w", err)
	}
	fmt.Fprintf(e.stdout, "Admin API token (shown once; log in to the web UI with it):\n%s\n", secret)
	return nil
}

func newServeTokenCmd(e *env, o *serveOptions) *cobra.Command {
	token := &cobra.Command{Use: "token", Short: "Manage the service's API tokens", Args: usageArgs(cobra.NoArgs)}
	var name, role string
	create := &cobra.Command{
		Use:   "create",
		Short: "Create an API token and print its secret (shown once)",
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if role != "read" && role != "scan" && role != "admin" {
				return usagef("--role %q: want read, scan or admin", role)
			}
			st, err := o.open(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			secret, _, err := st.CreateToken(cmd.Context(), name, store.Role(role))
			if err != nil {
				return fmt.Errorf("create token: %w", err)
			}
			fmt.Fprintln(e.stdout, secret)
			return nil
		},
	}
	create.Flags().StringVar(&role, "role", "read", "read (see scans and reports), scan (also submit scans, edit sites) or admin (also delete, manage tokens)")
	create.Flags().StringVar(&name, "name", "cli", "who or what uses the token")
	token.AddCommand(create)
	return token
}

// startGuard starts the network guard every scan's Chromium goes through:
// a proxy on loopback that refuses connections to loopback, private,
// link-local and metadata addresses (unless allowPrivate), checked when
// each connection is made, so DNS rebinding and redirects cannot get round
// it; the server's own address is refused always.
func startGuard(ctx context.Context, e *env, self net.Addr, allowPrivate bool) (*netguard.Guard, *netguard.Proxy, error) {
	pol := netguard.Policy{AllowPrivate: allowPrivate}
	if ap, err := netip.ParseAddrPort(self.String()); err == nil {
		a := ap.Addr().Unmap()
		prefixes := []netip.Prefix{netip.PrefixFrom(a, a.BitLen())}
		if a.IsUnspecified() { // listening on every address: its port on any of them
			prefixes = []netip.Prefix{netip.MustParsePrefix("0.0.0.0/0"), netip.MustParsePrefix("::/0")}
		}
		for _, p := range prefixes {
			pol.Deny = append(pol.Deny, netguard.Allowed{Prefix: p, Port: ap.Port()})
		}
	}
	guard := &netguard.Guard{Policy: pol}
	proxy, err := netguard.New(netguard.Config{Guard: *guard, Logger: e.log(),
		OnRefuse: func(ev netguard.Event) {
			e.log().Warn("scan target refused", "host", ev.Host, "addr", ev.Addr, "reason", ev.Reason)
		}})
	if err != nil {
		return nil, nil, err
	}
	if err := proxy.Start(ctx); err != nil {
		return nil, nil, err
	}
	return guard, proxy, nil
}
