package fleet

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/lab"
	"github.com/leakwatch/leakwatch/internal/store"
	"github.com/leakwatch/leakwatch/internal/store/pgtest"
)

// buildLeakwatch builds the command into dir and returns its path.
func buildLeakwatch(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "leakwatch")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/leakwatch/leakwatch/cmd/leakwatch").CombinedOutput()
	if err != nil {
		t.Fatalf("build leakwatch: %v\n%s", err, out)
	}
	return bin
}

// startPostgres starts a throwaway PostgreSQL for one test and returns a
// new database's DSN.
func startPostgres(t *testing.T, ctx context.Context) string {
	t.Helper()
	pg, err := pgtest.Start(ctx)
	if err != nil {
		pgtest.Skip(t, err)
	}
	t.Cleanup(func() { _ = pg.Stop(context.Background()) })
	dsn, err := pg.NewDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return dsn
}

// worker is a `leakwatch worker` process of a test, in its own process
// group so that killing it can take its Chromium too, as a machine's
// death would.
type worker struct {
	name string
	cmd  *exec.Cmd
	log  *os.File
	done chan struct{}
	err  error
}

func startWorker(t *testing.T, bin, dir, dsn, name string, concurrency int, chromeArgs []string) *worker {
	t.Helper()
	args := []string{"worker", "--database", dsn, "--name", name, "--concurrency", strconv.Itoa(concurrency),
		"--site-timeout", "30s", "--politeness", "2s", "--grace", "20s", "--log-format", "json",
		"--allow-private-targets"}
	for _, a := range chromeArgs {
		args = append(args, "--chrome-arg="+a)
	}
	logf, err := os.Create(filepath.Join(dir, name+".log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("nice", append([]string{"-n", "10", bin}, args...)...)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.Env = append(os.Environ(), testKeyEnv)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w := &worker{name: name, cmd: cmd, log: logf, done: make(chan struct{})}
	go func() {
		w.err = cmd.Wait()
		logf.Close()
		close(w.done)
	}()
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-w.done
	})
	return w
}

// leakwatchCmd runs a leakwatch command to its end and returns its output.
func leakwatchCmd(t *testing.T, bin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), testKeyEnv)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("leakwatch %s: %v", strings.Join(args, " "), err)
	}
	return strings.TrimSpace(string(out))
}

// enqueuePopulation writes the population's sites and persona and
// enqueues them with the command; it returns the run id.
func enqueuePopulation(t *testing.T, bin, dir, dsn string, pop *lab.Population) int64 {
	t.Helper()
	sites, persona := filepath.Join(dir, "sites.txt"), filepath.Join(dir, "persona.yaml")
	lines := append([]string{"# a lab population"}, pop.Lines()...)
	if err := os.WriteFile(sites, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(persona, pop.Persona(), 0o600); err != nil {
		t.Fatal(err)
	}
	out := leakwatchCmd(t, bin, "crawl", "enqueue", "--database", dsn, "--sites", sites, "--persona", persona,
		"--depth", "0", "--max-pages", "1", "--name", "population")
	id, err := strconv.ParseInt(out, 10, 64)
	if err != nil {
		t.Fatalf("enqueue printed %q, not a run id", out)
	}
	return id
}

// TestCrawlProcesses is issue 16's test: one PostgreSQL, three worker
// processes, 200 population sites; one worker is SIGKILLed mid-site (and,
// as an orchestrator would, started again under a new name), another
// stopped with SIGTERM. Every site ends with exactly one result, which
// matches the population's truth.
func TestCrawlProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process crawl: skipped with -short")
	}
	needChromium(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	dir := t.TempDir()
	dsn := startPostgres(t, ctx)
	bin := buildLeakwatch(t, dir)
	pop, err := lab.StartPopulation(ctx, lab.PopulationOptions{Sites: 200, Seed: 16})
	if err != nil {
		t.Fatal(err)
	}
	defer pop.Close()
	runID := enqueuePopulation(t, bin, dir, dsn, pop)
	st, err := store.Open(ctx, dsn, store.Config{Key: testKey})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	started := time.Now()
	ws := map[string]*worker{}
	for _, name := range []string{"w1", "w2", "w3"} {
		ws[name] = startWorker(t, bin, dir, dsn, name, 2, pop.ChromeArgs())
	}
	// SIGKILL w1 while it crawls a site, with its Chromium.
	killedSites := waitRunning(t, ctx, st, runID, "w1", 30)
	_ = syscall.Kill(-ws["w1"].cmd.Process.Pid, syscall.SIGKILL)
	<-ws["w1"].done
	t.Logf("w1 killed while crawling %v", killedSites)
	ws["w1b"] = startWorker(t, bin, dir, dsn, "w1b", 2, pop.ChromeArgs())
	// SIGTERM w2 while it crawls: it finishes or releases its sites.
	termSites := waitRunning(t, ctx, st, runID, "w2", 90)
	_ = ws["w2"].cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-ws["w2"].done:
	case <-time.After(60 * time.Second):
		t.Fatal("w2 did not stop within 60s of SIGTERM")
	}
	if ws["w2"].err != nil {
		t.Errorf("w2 exited with %v after SIGTERM, want 0", ws["w2"].err)
	}
	t.Logf("w2 stopped by SIGTERM while crawling %v", termSites)
	status := waitFinished(t, ctx, st, runID)
	t.Logf("200 sites in %s: %+v", time.Since(started).Round(time.Second), status.Workers)
	if status.Done != 200 || status.Failed != 0 {
		t.Errorf("status: %d done, %d failed, want 200 done", status.Done, status.Failed)
	}
	checkOneResultEach(t, ctx, st, runID, 200)
	checkTruth(t, ctx, st, runID, pop.Truth())
	checkStats(t, ctx, st, runID, pop.Truth())
	checkStatsCommand(t, bin, dsn, runID, pop.Truth())
	for _, site := range killedSites {
		r, err := st.CrawlResult(ctx, runID, site)
		if err != nil || r.Worker == "w1" || r.Attempt < 2 {
			t.Errorf("%s, being crawled by w1 when it was killed: result by %q at attempt %d (%v), want another worker's retry",
				site, r.Worker, r.Attempt, err)
		}
	}
	if !logged(t, ws["w2"], "worker stopped", "grace period over: releasing running sites") {
		t.Error("w2's log says neither that it stopped nor that it released its sites")
	}
}

// waitRunning waits until worker is crawling a site and at least after
// results are stored, and returns the sites it is crawling.
func waitRunning(t *testing.T, ctx context.Context, st store.Store, runID int64, worker string, after int) []string {
	t.Helper()
	h, _ := store.HandlesOf(st)
	for {
		s, err := RunStatus(ctx, st, runID, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if s.Done+s.Failed >= after {
			var sites []string
			rows, err := h.DB.QueryContext(ctx, `SELECT a.site FROM crawl_active a WHERE a.run_id = $1 AND a.worker = $2
				AND NOT EXISTS (SELECT 1 FROM crawl_results c WHERE c.run_id = a.run_id AND c.site = a.site)`, runID, worker)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var site string
				if err := rows.Scan(&site); err != nil {
					t.Fatal(err)
				}
				sites = append(sites, site)
			}
			rows.Close()
			if len(sites) > 0 {
				return sites
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%s never crawled a site after %d results: %+v", worker, after, s)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// checkOneResultEach counts the rows of crawl_results behind the store's
// back: one per site, each done.
func checkOneResultEach(t *testing.T, ctx context.Context, st store.Store, runID int64, want int) {
	t.Helper()
	h, _ := store.HandlesOf(st)
	var rows, sites, done int
	err := h.DB.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(DISTINCT site), COUNT(*) FILTER (WHERE state = 'done')
		FROM crawl_results WHERE run_id = $1`, runID).Scan(&rows, &sites, &done)
	if err != nil {
		t.Fatal(err)
	}
	if rows != want || sites != want || done != want {
		t.Errorf("crawl_results holds %d rows for %d sites, %d done; want %d of each", rows, sites, done, want)
	}
}

// logged reports whether the worker's log has any of the messages.
func logged(t *testing.T, w *worker, msgs ...string) bool {
	t.Helper()
	b, err := os.ReadFile(w.log.Name())
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		for _, m := range msgs {
			if strings.Contains(sc.Text(), fmt.Sprintf("%q", m)) {
				return true
			}
		}
	}
	return false
}

// checkStatsCommand runs the real `crawl stats --format json` on the run
// and holds its data flows to the truth, as checkStats does in process.
func checkStatsCommand(t *testing.T, bin, dsn string, runID int64, truth []lab.SiteTruth) {
	t.Helper()
	out := leakwatchCmd(t, bin, "crawl", "stats", "--database", dsn, "--run", strconv.FormatInt(runID, 10), "--format", "json")
	var got struct {
		Analysed  int `json:"analysed"`
		DataFlows []struct {
			DataKind string `json:"data_kind"`
			Company  string `json:"company"`
			Sites    int    `json:"sites"`
		} `json:"data_flows"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("crawl stats --format json: %v\n%s", err, out)
	}
	want := map[string]int{}
	for _, s := range truth {
		for _, c := range s.Companies {
			for _, k := range c.DataKinds {
				want[k+" → "+c.Company]++
			}
		}
	}
	flows := map[string]int{}
	for _, f := range got.DataFlows {
		flows[f.DataKind+" → "+f.Company] = f.Sites
	}
	if !reflect.DeepEqual(flows, want) || got.Analysed != len(truth) {
		t.Errorf("crawl stats: %d analysed, flows %v\nwant %d, %v", got.Analysed, flows, len(truth), want)
	}
}
