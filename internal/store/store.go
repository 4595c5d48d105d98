package store

import (
	"context"
	"encoding/json"
	"errors"
	"time"
)

var (
	// ErrNotFound says the thing asked for does not exist (or a token is
	// unknown or revoked).
	ErrNotFound = errors.New("not found")
	// ErrConflict says the change clashes with what is stored: a duplicate
	// key or a state that does not allow it (finishing a cancelled scan).
	ErrConflict = errors.New("conflict")
	// ErrInvalid says an argument is malformed (an unknown role or state,
	// an empty URL, a report that is not JSON).
	ErrInvalid = errors.New("invalid argument")
	// ErrNoKey says a persona was to be stored or read without an
	// encryption key (LEAKWATCH_STORE_KEY).
	ErrNoKey = errors.New("no encryption key: set " + KeyEnv + " to 32 random bytes, hex or base64")
	// ErrWrongKey says a persona was encrypted with another key than the
	// one given, or its ciphertext was altered.
	ErrWrongKey = errors.New("persona cannot be decrypted with this key")
	// ErrSchemaNewer says the database was migrated by a newer leakwatch.
	ErrSchemaNewer = errors.New("database schema is newer than this binary")
)

// Store is everything the service and the crawl keep. Each part is its own
// interface so a consumer can ask for the least it needs.
type Store interface {
	Sites
	Scans
	Crawls
	Exports
	Tokens
	Personas
	Sessions
	Notifications
	// Close releases the database.
	Close() error
}

// Sites are the websites the service watches.
type Sites interface {
	// CreateSite stores a new site; a URL already stored is ErrConflict.
	CreateSite(ctx context.Context, s Site) (Site, error)
	Site(ctx context.Context, id int64) (Site, error)
	SiteByURL(ctx context.Context, url string) (Site, error)
	// ListSites returns sites by ascending id, after p.After, at most p.Limit.
	ListSites(ctx context.Context, p Page) ([]Site, error)
	// UpdateSite changes a site's name, schedule and baseline scan (a done
	// scan of that site, or 0 for none).
	UpdateSite(ctx context.Context, s Site) (Site, error)
	// DeleteSite removes a site with its scans and their blobs.
	DeleteSite(ctx context.Context, id int64) error
}

// Scans are single runs of the pipeline and their results.
type Scans interface {
	// CreateScan stores a queued scan (SiteID 0: a scan of no stored site).
	CreateScan(ctx context.Context, s Scan) (Scan, error)
	Scan(ctx context.Context, id int64) (Scan, error)
	// StartScan moves a queued or running (retried) scan to running and
	// counts the attempt; a finished scan is ErrConflict.
	StartScan(ctx context.Context, id int64) (Scan, error)
	// FinishScan stores the scan's report (and HAR, when given) and marks
	// it done, once: a second call stores nothing and returns false. A
	// failed or cancelled scan is ErrConflict.
	FinishScan(ctx context.Context, id int64, r Result) (stored bool, err error)
	// EndScan marks a queued or running scan failed or cancelled with a
	// reason; ending it again in the same state is a no-op, in another
	// final state ErrConflict.
	EndScan(ctx context.Context, id int64, state State, reason string) (Scan, error)
	// History returns a site's scans newest first, before p.After when it
	// is not 0 (the last id of the previous page), at most p.Limit.
	History(ctx context.Context, siteID int64, p Page) ([]Scan, error)
	// ListScans returns scans of every site (and of none) newest first,
	// only those in state unless it is empty, paged as History: the
	// service's recent scans, and the queued or running scans to resume.
	ListScans(ctx context.Context, state State, p Page) ([]Scan, error)
	// LastFinished returns the site's most recently finished done scan.
	LastFinished(ctx context.Context, siteID int64) (Scan, error)
	// Report returns a done scan's report JSON.
	Report(ctx context.Context, scanID int64) ([]byte, error)
	// HAR returns a done scan's HAR, ErrNotFound when none was stored.
	HAR(ctx context.Context, scanID int64) ([]byte, error)
}

// Crawls are research crawls over many sites (issue 16): results are keyed
// by (run, site) so a retried job never stores a second one.
type Crawls interface {
	Fleet
	CreateRun(ctx context.Context, r Run) (Run, error)
	Run(ctx context.Context, id int64) (Run, error)
	// ListRuns returns runs newest first.
	ListRuns(ctx context.Context, p Page) ([]Run, error)
	SetRunState(ctx context.Context, id int64, state RunState) (Run, error)
	// PutCrawlResult stores a site's result in a run. A done result is
	// final: storing again returns false and changes nothing. A failed one
	// is replaced by a later attempt.
	PutCrawlResult(ctx context.Context, r CrawlResult) (stored bool, err error)
	CrawlResult(ctx context.Context, runID int64, site string) (CrawlResult, error)
	// CrawlResults lists a run's results by site, after the site named in
	// p.AfterKey, at most p.Limit, without their reports.
	CrawlResults(ctx context.Context, runID int64, p Page) ([]CrawlResult, error)
	RunStats(ctx context.Context, runID int64) (RunStats, error)
}

// Tokens are the API's bearer tokens, stored as SHA-256 hashes only.
type Tokens interface {
	// CreateToken makes a random token; its secret is returned once and
	// never stored.
	CreateToken(ctx context.Context, name string, role Role) (secret string, t Token, err error)
	// Authenticate returns the live token whose secret this is, or
	// ErrNotFound.
	Authenticate(ctx context.Context, secret string) (Token, error)
	ListTokens(ctx context.Context) ([]Token, error)
	RevokeToken(ctx context.Context, id int64) error
}

// Personas are the test identities a scan types into forms, encrypted at
// rest with AES-256-GCM under the store's key.
type Personas interface {
	// PutPersona stores (or replaces) a persona; without a key ErrNoKey.
	PutPersona(ctx context.Context, name string, plain []byte) error
	// Persona decrypts a persona: ErrNoKey, ErrWrongKey or ErrNotFound.
	Persona(ctx context.Context, name string) ([]byte, error)
	ListPersonas(ctx context.Context) ([]string, error)
	DeletePersona(ctx context.Context, name string) error
}

// Page bounds a listing. Limit 0 means DefaultLimit; more than MaxLimit is
// MaxLimit. After is the last id of the previous page (keyset paging), or
// AfterKey its last key where a listing is keyed by text.
type Page struct {
	Limit    int
	After    int64
	AfterKey string
}

// Listing sizes.
const (
	DefaultLimit = 50
	MaxLimit     = 1000
)

func (p Page) limit() int {
	switch {
	case p.Limit <= 0:
		return DefaultLimit
	case p.Limit > MaxLimit:
		return MaxLimit
	}
	return p.Limit
}

// Site is a watched website.
type Site struct {
	ID       int64
	URL      string
	Name     string
	Schedule string // cron expression, empty for none; the scheduler parses it
	Baseline int64  // scan id of the baseline, 0 for none
	Created  time.Time
	Updated  time.Time
}

// State is a scan's place in its life.
type State string

// Scan states.
const (
	Queued    State = "queued"
	Running   State = "running"
	Done      State = "done"
	Failed    State = "failed"
	Cancelled State = "cancelled"
)

// Final reports whether no further change of state is allowed.
func (s State) Final() bool { return s == Done || s == Failed || s == Cancelled }

// Scan is one run of the pipeline.
type Scan struct {
	ID       int64
	SiteID   int64 // 0: not a stored site
	State    State
	Consent  string          // consent mode (accept, reject, none...)
	Options  json.RawMessage // scan options as the API received them; nil is {}
	Attempt  int
	Error    string
	Created  time.Time
	Started  time.Time // zero until started
	Finished time.Time // zero until final
}

// Result is what a finished scan leaves: the report JSON, and the HAR when
// it is kept.
type Result struct {
	Report []byte
	HAR    []byte
}

// RunState is a crawl run's state.
type RunState string

// Crawl run states.
const (
	RunActive    RunState = "active"
	RunPaused    RunState = "paused"
	RunCancelled RunState = "cancelled"
	RunFinished  RunState = "finished"
)

// Run is one research crawl over a list of sites.
type Run struct {
	ID      int64
	Name    string
	State   RunState
	Total   int             // sites enqueued
	Options json.RawMessage // crawl options; nil is {}
	Created time.Time
	Updated time.Time
}

// CrawlResult is a site's outcome in a run. State is Done or Failed.
type CrawlResult struct {
	RunID    int64
	Site     string // URL or domain, as enqueued
	Rank     int    // list rank, 0 when unranked
	State    State
	Attempt  int
	Error    string
	Worker   string // which worker stored it
	HARRef   string // where the HAR went (directory path or object URL), empty for none
	Report   []byte // report JSON (done results); nil in listings
	Finished time.Time
}

// RunStats counts a run's results.
type RunStats struct {
	Total, Done, Failed int
	First, Last         time.Time // first and last result stored
}

// Role is what a token may do; each role includes the ones before it.
type Role string

// Token roles.
const (
	RoleRead  Role = "read"
	RoleScan  Role = "scan"
	RoleAdmin Role = "admin"
)

// Allows reports whether a token of role r may act as role need.
func (r Role) Allows(need Role) bool { return roleRank(r) >= roleRank(need) && roleRank(need) > 0 }

func roleRank(r Role) int {
	switch r {
	case RoleRead:
		return 1
	case RoleScan:
		return 2
	case RoleAdmin:
		return 3
	}
	return 0
}

// Token is an API token without its secret.
type Token struct {
	ID      int64
	Name    string
	Role    Role
	Created time.Time
	Revoked time.Time // zero while live
}
