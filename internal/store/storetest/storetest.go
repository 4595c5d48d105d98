// Package storetest is the conformance suite every store.Store backend
// passes: the same behaviour on SQLite and PostgreSQL, method by method.
package storetest

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/store"
)

// Target is a backend under test.
type Target struct {
	// NewDSN returns the DSN of a new, empty database for one test.
	NewDSN func(t *testing.T) string
	// Dump returns what the database at dsn holds, as raw as the backend
	// allows (the SQLite files; every row's text for PostgreSQL).
	Dump func(t *testing.T, dsn string) []byte
	// Exec runs one statement on the database at dsn, behind the store's back.
	Exec func(t *testing.T, dsn, stmt string)
}

// Run runs the suite against a target; each case gets its own database.
func Run(t *testing.T, tg Target) {
	cases := []struct {
		name string
		fn   func(*testing.T, Target)
	}{
		{"Sites", testSites},
		{"SiteBaseline", testBaseline},
		{"ScanLifecycle", testScanLifecycle},
		{"ScanEnd", testScanEnd},
		{"ScanErrors", testScanErrors},
		{"History", testHistory},
		{"LastFinished", testLastFinished},
		{"ListScans", testListScans},
		{"FinishOnceConcurrent", testFinishConcurrent},
		{"BlobRoundTrip", testBigBlob},
		{"CrawlResults", testCrawlResults},
		{"CrawlListing", testCrawlListing},
		{"CrawlOnceConcurrent", testCrawlConcurrent},
		{"CrawlExport", testExport},
		{"Runs", testRuns},
		{"Fleet", testFleet},
		{"FleetClaimConcurrent", testClaimConcurrent},
		{"Tokens", testTokens},
		{"Personas", testPersonas},
		{"PersonaNoKey", testPersonaNoKey},
		{"Sessions", testSessions},
		{"NotifyTargets", testNotifyTargets},
		{"NotifyPending", testNotifyPending},
		{"Migrations", testMigrations},
		{"MigrateConcurrent", testMigrateConcurrent},
		{"Cancelled", testCancelled},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.fn(t, tg)
		})
	}
}

// Key is the persona key the suite opens stores with.
var testKey = bytes.Repeat([]byte{0x42}, 32)

// clock is a fake clock that moves one millisecond each reading, so every
// stored time differs and orders as the calls did.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Millisecond)
	return c.t
}

// open opens a store on dsn with cfg (a fake clock when none is given)
// and closes it when the test ends.
func open(t *testing.T, dsn string, cfg store.Config) store.Store {
	t.Helper()
	if cfg.Now == nil {
		cfg.Now = newClock().Now
	}
	s, err := store.Open(context.Background(), dsn, cfg)
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return s
}

// fresh is a store on a new database with the test key.
func fresh(t *testing.T, tg Target) (store.Store, string) {
	t.Helper()
	dsn := tg.NewDSN(t)
	return open(t, dsn, store.Config{Key: testKey}), dsn
}

// must fails the test when err is set: must(s.Site(ctx, id))(t).
func must[T any](v T, err error) func(*testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func noErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: error %v, want %v", what, err, want)
	}
}

// notIn fails when the secret, or its hex, is anywhere in the dump.
func notIn(t *testing.T, dump, secret []byte, what string) {
	t.Helper()
	if bytes.Contains(dump, secret) || bytes.Contains(bytes.ToLower(dump), []byte(hex.EncodeToString(secret))) {
		t.Errorf("%s is readable in the database", what)
	}
}

func mkSite(t *testing.T, s store.Store, url string) store.Site {
	t.Helper()
	return must(s.CreateSite(context.Background(), store.Site{URL: url}))(t)
}

// doneScan makes a scan of site that finished with report.
func doneScan(t *testing.T, s store.Store, site int64, report string) store.Scan {
	t.Helper()
	ctx := context.Background()
	sc := must(s.CreateScan(ctx, store.Scan{SiteID: site}))(t)
	must(s.StartScan(ctx, sc.ID))(t)
	if !must(s.FinishScan(ctx, sc.ID, store.Result{Report: []byte(report)}))(t) {
		t.Fatalf("scan %d: first FinishScan stored nothing", sc.ID)
	}
	return must(s.Scan(ctx, sc.ID))(t)
}
