package fleet

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/browser"
	"github.com/leakwatch/leakwatch/internal/crawlstats"
	"github.com/leakwatch/leakwatch/internal/lab"
	"github.com/leakwatch/leakwatch/internal/sharedtest"
	"github.com/leakwatch/leakwatch/internal/store"
)

// needChromium skips when no Chromium is installed (failing in CI). Unlike
// the browser package's tests it runs with -short: the small crawl is the
// quick check of the whole worker.
func needChromium(t *testing.T) {
	t.Helper()
	_, err := browser.Find()
	switch {
	case err == nil:
	case errors.Is(err, browser.ErrNotFound) && !sharedtest.InCI():
		t.Skip("no Chromium: ", err)
	default:
		t.Fatal(err)
	}
}

// TestCrawlSQLite crawls a small population with one in-process worker on
// SQLite: every site gets one result matching the population's truth, and
// politeness, status and the HAR sink work.
func TestCrawlSQLite(t *testing.T) {
	needChromium(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	pop, err := lab.StartPopulation(ctx, lab.PopulationOptions{Sites: 10, Seed: 16})
	if err != nil {
		t.Fatal(err)
	}
	defer pop.Close()
	dir := t.TempDir()
	dsn := filepath.Join(dir, "crawl.db")
	st, err := store.Open(ctx, dsn, store.Config{Key: testKey})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cfg := Config{Concurrency: 2, Name: "w1", SiteTimeout: 45 * time.Second, Politeness: 2 * time.Second,
		PollInterval: 200 * time.Millisecond, ChromeArgs: pop.ChromeArgs(), HARs: dirSink(t, filepath.Join(dir, "har")),
		Logger: testLogger(t)}
	c, err := Open(ctx, dsn, st, cfg)
	if err != nil {
		t.Fatal(err)
	}
	c.chrome.recycle = 4 // a fresh Chromium after every 4 sites, while others run
	sites, err := ParseSites(strings.NewReader(strings.Join(pop.Lines(), "\n")))
	if err != nil {
		t.Fatal(err)
	}
	run, err := c.Enqueue(ctx, "population", sites, RunOptions{MaxPages: 1, HAR: true, Persona: string(pop.Persona())})
	if err != nil {
		t.Fatal(err)
	}
	// Enqueueing again inserts nothing new: jobs are unique per (run, site).
	if _, err := c.insert(ctx, run.ID, sites, 0); err != nil {
		t.Fatal(err)
	}
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	status := waitFinished(t, ctx, st, run.ID)
	stopCtx, stopCancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer stopCancel()
	if err := c.Stop(stopCtx); err != nil {
		t.Error(err)
	}
	if err := c.Close(); err != nil {
		t.Error(err)
	}
	if status.Done != len(sites) || status.Failed != 0 || len(status.Workers) != 1 || status.Workers[0].Done != len(sites) {
		t.Errorf("status %+v, want all %d done by w1", status, len(sites))
	}
	if r, _ := st.Run(ctx, run.ID); r.State != store.RunFinished {
		t.Errorf("run is %s, want finished", r.State)
	}
	checkTruth(t, ctx, st, run.ID, pop.Truth())
	checkStats(t, ctx, st, run.ID, pop.Truth())
	hars, _ := filepath.Glob(filepath.Join(dir, "har", fmt.Sprintf("run-%d", run.ID), "*.har.gz"))
	if len(hars) != len(sites) {
		t.Errorf("%d HARs kept, want %d", len(hars), len(sites))
	}
}

func testLogger(t *testing.T) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	}
	return slog.New(slog.DiscardHandler)
}

// waitFinished polls a run's status until every site has a result.
func waitFinished(t *testing.T, ctx context.Context, st store.Crawls, runID int64) Status {
	t.Helper()
	for {
		s, err := RunStatus(ctx, st, runID, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if s.Finished() {
			return s
		}
		select {
		case <-ctx.Done():
			t.Fatalf("run %d not finished: %+v", runID, s)
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// found is what a report says a site sends: companies and their data kinds.
func found(report []byte) ([]lab.CompanyTruth, error) {
	var rep struct {
		ThirdParties []struct {
			Company   string   `json:"company"`
			Requests  int      `json:"requests"`
			DataKinds []string `json:"data_kinds"`
		} `json:"third_parties"`
	}
	if err := json.Unmarshal(report, &rep); err != nil {
		return nil, err
	}
	var out []lab.CompanyTruth
	for _, tp := range rep.ThirdParties {
		kinds := append([]string{}, tp.DataKinds...)
		sort.Strings(kinds)
		out = append(out, lab.CompanyTruth{Company: tp.Company, DataKinds: kinds})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Company < out[j].Company })
	return out, nil
}

// checkTruth compares every stored result with the population's truth:
// exactly one done result per site, the same companies and data kinds.
func checkTruth(t *testing.T, ctx context.Context, st store.Crawls, runID int64, truth []lab.SiteTruth) {
	t.Helper()
	results, err := st.CrawlResults(ctx, runID, store.Page{Limit: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != len(truth) {
		t.Errorf("%d results, want %d", len(results), len(truth))
	}
	bad := 0
	for _, want := range truth {
		r, err := st.CrawlResult(ctx, runID, want.Site)
		if err != nil || r.State != store.Done {
			t.Errorf("%s: result %+v, %v", want.Site, r.State, err)
			continue
		}
		got, err := found(r.Report)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want.Companies) && bad < 10 {
			bad++
			t.Errorf("%s: found %+v\nwant %+v", want.Site, got, want.Companies)
		}
	}
}

// checkStats holds `crawl stats` to the population's truth: the sites
// that sent each data kind to each company, and the sites that sent any
// personal data, are what the lab planted, no more and no fewer.
func checkStats(t *testing.T, ctx context.Context, st store.Store, runID int64, truth []lab.SiteTruth) {
	t.Helper()
	run, err := st.Run(ctx, runID)
	if err != nil {
		t.Fatal(err)
	}
	stats, err := crawlstats.Collect(ctx, st, run)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{}
	withData := 0
	for _, s := range truth {
		any := false
		for _, c := range s.Companies {
			for _, k := range c.DataKinds {
				want[k+" → "+c.Company]++
				any = true
			}
		}
		if any {
			withData++
		}
	}
	got := map[string]int{}
	for _, f := range stats.DataFlows {
		got[f.DataKind+" → "+f.Company] = f.Sites
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("crawl stats data flows (sites per kind → company):\n got %v\nwant %v", got, want)
	}
	if stats.SitesWithData != withData || stats.Analysed != len(truth) || stats.Failed != 0 {
		t.Errorf("crawl stats: %d sites with data of %d analysed, %d failed; want %d of %d, 0", stats.SitesWithData,
			stats.Analysed, stats.Failed, withData, len(truth))
	}
}

// testKey seals the runs' personas in these tests; testKeyEnv hands the
// same key to the leakwatch processes they start.
var testKey = bytes.Repeat([]byte{0x42}, 32)

const testKeyEnv = store.KeyEnv + "=4242424242424242424242424242424242424242424242424242424242424242"

// TestPersonaSealed: a run's persona is stored encrypted, never in the
// run's options; without the store's key enqueueing it is refused.
func TestPersonaSealed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, key := range [][]byte{testKey, nil} {
		dsn := filepath.Join(t.TempDir(), "crawl.db")
		st, err := store.Open(ctx, dsn, store.Config{Key: key})
		if err != nil {
			t.Fatal(err)
		}
		c, err := Open(ctx, dsn, st, Config{Logger: testLogger(t)})
		if err != nil {
			t.Fatal(err)
		}
		persona := "email: sealed.persona@example.com\n"
		run, err := c.Enqueue(ctx, "p", []Site{{URL: "https://a.example/"}}, RunOptions{MaxPages: 1, Persona: persona})
		switch {
		case key == nil && (err == nil || !strings.Contains(err.Error(), store.KeyEnv)):
			t.Errorf("no key: enqueue error %v, want one naming %s", err, store.KeyEnv)
		case key != nil && err != nil:
			t.Fatal(err)
		case key != nil:
			if strings.Contains(string(run.Options), "sealed.persona") {
				t.Errorf("run options hold the persona in the clear: %s", run.Options)
			}
			s, err := c.setup(ctx, run)
			if err != nil || s.pool == nil || len(s.personas) == 0 {
				t.Errorf("setup: %v, pool %v, %d values: want the persona back", err, s.pool, len(s.personas))
			}
		}
		_ = c.Close()
		_ = st.Close()
	}
}
