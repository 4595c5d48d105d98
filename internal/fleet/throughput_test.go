package fleet

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/lab"
	"github.com/leakwatch/leakwatch/internal/store"
	"github.com/leakwatch/leakwatch/internal/store/pgtest"
)

// benchEnv turns on TestThroughput; its value is ignored. The figures go
// to the test log (-v).
const benchEnv = "LEAKWATCH_FLEET_BENCH"

// TestThroughput measures sites per hour of 1, 2 and 3 worker processes
// (concurrency 1 each) on one PostgreSQL over the 200-site population, and
// of `leakwatch scan` run once per site one after another; per-site
// CPU-seconds (worker and Chromium), a worker's peak RSS, bytes and rows
// stored per site. Run it alone:
//
//	LEAKWATCH_FLEET_BENCH=1 go test ./internal/fleet -run TestThroughput -v -timeout 60m
//
// LEAKWATCH_FLEET_BENCH_SITES (200), _WORKERS ("1,2,3") and _SCANS (20:
// the sites the one-after-another baseline scans) change the sizes.
func TestThroughput(t *testing.T) {
	if os.Getenv(benchEnv) == "" {
		t.Skip("set " + benchEnv + "=1 to measure crawl throughput")
	}
	needChromium(t)
	ctx := context.Background()
	sites := envInt(benchEnv+"_SITES", 200)
	dir := t.TempDir()
	bin := buildLeakwatch(t, dir)
	pg, err := pgtest.Start(ctx)
	if err != nil {
		pgtest.Skip(t, err)
	}
	defer pg.Stop(ctx)
	pop, err := lab.StartPopulation(ctx, lab.PopulationOptions{Sites: sites, Seed: 16})
	if err != nil {
		t.Fatal(err)
	}
	defer pop.Close()
	for _, n := range strings.Split(envStr(benchEnv+"_WORKERS", "1,2,3"), ",") {
		workers, _ := strconv.Atoi(n)
		dsn, err := pg.NewDatabase(ctx)
		if err != nil {
			t.Fatal(err)
		}
		measureWorkers(t, bin, dir, dsn, pop, workers, sites)
	}
	measureScans(t, bin, dir, pop, envInt(benchEnv+"_SCANS", 20))
}

func measureWorkers(t *testing.T, bin, dir, dsn string, pop *lab.Population, n, sites int) {
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Minute)
	defer cancel()
	runID := enqueuePopulation(t, bin, dir, dsn, pop)
	st, err := store.Open(ctx, dsn, store.Config{Key: testKey})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	start := time.Now()
	var ws []*worker
	for i := range n {
		ws = append(ws, startWorker(t, bin, dir, dsn, "bench"+strconv.Itoa(i+1), 1, pop.ChromeArgs()))
	}
	s := waitFinished(t, ctx, st, runID)
	elapsed := time.Since(start)
	var cpu time.Duration
	var peakWorker, chromeRSS int64
	for _, w := range ws {
		peakWorker = max(peakWorker, procKB(w.cmd.Process.Pid, "VmHWM"))
		chromeRSS = max(chromeRSS, treeRSS(w.cmd.Process.Pid))
		_ = w.cmd.Process.Signal(syscall.SIGTERM)
		<-w.done
		if ps := w.cmd.ProcessState; ps != nil {
			cpu += ps.UserTime() + ps.SystemTime()
		}
	}
	t.Logf("%d worker(s): %d sites (%d failed) in %s = %.0f sites/hour; %.2f CPU-s/site (workers and Chromium); "+
		"peak worker RSS %d MB, worker+Chromium PSS %d MB", n, s.Done+s.Failed, s.Failed, elapsed.Round(time.Second),
		float64(sites)/elapsed.Hours(), cpu.Seconds()/float64(sites), peakWorker/1024, chromeRSS/1024)
	storedPerSite(t, ctx, st, runID, sites)
}

// storedPerSite logs the database's bytes and rows per site.
func storedPerSite(t *testing.T, ctx context.Context, st store.Store, runID int64, sites int) {
	h, _ := store.HandlesOf(st)
	var reportBytes, zstdBytes, resultsRel, jobsRel, dbSize int64
	err := h.DB.QueryRowContext(ctx, `SELECT (SELECT COALESCE(SUM(size), 0) FROM crawl_results WHERE run_id = $1),
		(SELECT COALESCE(SUM(octet_length(report)), 0) FROM crawl_results WHERE run_id = $1),
		pg_total_relation_size('crawl_results'), pg_total_relation_size('river_job'), pg_database_size(current_database())`,
		runID).Scan(&reportBytes, &zstdBytes, &resultsRel, &jobsRel, &dbSize)
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, table := range []string{"crawl_results", "river_job", "crawl_domains", "crawl_active", "crawl_runs"} {
		var n int
		if err := h.DB.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		rows = append(rows, table+" "+strconv.Itoa(n))
	}
	f := float64(sites)
	t.Logf("stored per site: report JSON %.0f B (%.0f B zstd), crawl_results table %.0f B, river_job %.0f B, database %.0f B; rows: %s",
		float64(reportBytes)/f, float64(zstdBytes)/f, float64(resultsRel)/f, float64(jobsRel)/f, float64(dbSize)/f, strings.Join(rows, ", "))
}

// measureScans runs `leakwatch scan` once per site, one after another.
func measureScans(t *testing.T, bin, dir string, pop *lab.Population, n int) {
	persona := filepath.Join(dir, "persona.yaml")
	truth := pop.Truth()[:n]
	start := time.Now()
	var cpu time.Duration
	for _, s := range truth {
		args := []string{"-n", "10", bin, "scan", "--quiet", "--persona", persona, "--depth", "0", "--max-pages", "1",
			"--format", "json", "-o", filepath.Join(dir, "scan.json")}
		for _, a := range pop.ChromeArgs() {
			args = append(args, "--browser-arg="+a)
		}
		cmd := exec.Command("nice", append(args, s.Site)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("scan %s: %v\n%s", s.Site, err, out)
		}
		cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	elapsed := time.Since(start)
	t.Logf("leakwatch scan one site after another: %d sites in %s = %.0f sites/hour; %.2f CPU-s/site",
		n, elapsed.Round(time.Second), float64(n)/elapsed.Hours(), cpu.Seconds()/float64(n))
}

// procKB reads a "Vm…: N kB" line of a process's status.
func procKB(pid int, key string) int64 {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, key+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return 0
}

// treeRSS sums the proportional resident memory (PSS: shared pages split
// between their sharers, so Chromium's processes are not counted many
// times over) of a process and its descendants, in kB.
func treeRSS(root int) int64 {
	dirs, _ := filepath.Glob("/proc/[0-9]*/stat")
	parent := map[int]int{}
	for _, d := range dirs {
		b, err := os.ReadFile(d)
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces, so cut at ')'.
		i := strings.LastIndexByte(string(b), ')')
		f := strings.Fields(string(b)[i+1:])
		pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(d)))
		if len(f) > 1 {
			parent[pid], _ = strconv.Atoi(f[1])
		}
	}
	var sum int64
	for pid := range parent {
		for p := pid; p > 1; p = parent[p] {
			if p == root {
				sum += pssKB(pid)
				break
			}
		}
	}
	return sum
}

// pssKB reads a process's PSS from smaps_rollup, or its RSS where the
// kernel has no rollup.
func pssKB(pid int) int64 {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "smaps_rollup"))
	if err != nil {
		return procKB(pid, "VmRSS")
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "Pss:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return 0
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

func envStr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
