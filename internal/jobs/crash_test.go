package jobs

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/store"
)

// childEnv names the database a re-executed test binary runs a runner on
// (see crashChild).
const childEnv = "LEAKWATCH_JOBS_CRASH_CHILD"

// crashConfig is the config of both the killed runner and its successor:
// a dead process's scan is rescued after a few seconds.
func crashConfig() Config {
	return Config{MaxSessions: 1, ScanTimeout: 4 * time.Second, RescueAfter: 5 * time.Second,
		PollInterval: 100 * time.Millisecond, ScheduleTick: time.Hour}
}

// crashChild runs a runner whose scans print "started <id>" and then wait
// for the end of the world; the parent kills it with SIGKILL.
func crashChild() int {
	dsn := os.Getenv(childEnv)
	ctx := context.Background()
	st, err := store.Open(ctx, dsn, store.Config{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	scan := func(ctx context.Context, s ScanSpec) (Result, error) {
		fmt.Printf("started %d\n", s.ScanID)
		<-ctx.Done()
		return Result{}, ctx.Err()
	}
	r, err := Open(ctx, dsn, st, scan, crashConfig())
	if err == nil {
		err = r.Start(ctx)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	select {}
}

func TestCrashMidScan(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("kills a child process mid-scan and waits for River's rescuer: skipped with -short")
	}
	forEachBackend(t, func(t *testing.T, dsn string) { crashMidScan(t, dsn, 3) })
}

// TestCrashLastAttempt kills the runner during a scan's only attempt: the
// scan ends failed, not running forever.
func TestCrashLastAttempt(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("kills a child process mid-scan and waits for River's rescuer: skipped with -short")
	}
	crashMidScan(t, backends()[0].dsn(t), 1)
}

func crashMidScan(t *testing.T, dsn string, attempts int) {
	{
		ctx := context.Background()
		st := openStore(t, dsn)
		sc := newScan(t, st, newSite(t, st, "https://www.mylabbox.com/").ID, "health-shop-mylabbox.har")
		cfg := crashConfig()
		cfg.ScanAttempts = attempts
		enqueue, err := Open(ctx, dsn, st, newHARScan(t).Scan, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if err := enqueue.Submit(ctx, sc.ID); err != nil {
			t.Fatal(err)
		}
		enqueue.Stop(ctx)

		killMidScan(t, dsn, sc.ID)
		killed := time.Now()
		h := newHARScan(t)
		startRunner(t, dsn, st, h.Scan, crashConfig())
		got := waitState(t, st, sc.ID, 90*time.Second)
		t.Logf("scan %s %s after the kill", got.State, time.Since(killed).Round(100*time.Millisecond))
		if attempts == 1 {
			if got.State != store.Failed || !strings.Contains(got.Error, "did not finish") || h.calls.Load() != 0 {
				t.Errorf("scan = %s (%q), scanned %d times; want failed unscanned", got.State, got.Error, h.calls.Load())
			}
			return
		}
		if got.State != store.Done || got.Attempt != 2 {
			t.Fatalf("scan = %s after %d attempts (%s), want done after 2", got.State, got.Attempt, got.Error)
		}
		time.Sleep(time.Second) // a duplicate job would have run by now
		if n := h.calls.Load(); n != 1 {
			t.Errorf("the fresh runner scanned %d times, want 1", n)
		}
		if b, err := st.Report(ctx, sc.ID); err != nil || len(b) == 0 {
			t.Errorf("report: %d bytes, %v", len(b), err)
		}
		if stored, err := st.FinishScan(ctx, sc.ID, store.Result{Report: []byte(`{}`)}); stored || err != nil {
			t.Errorf("a second result was stored (%v, %v)", stored, err)
		}
	}
}

// killMidScan starts a child runner on dsn, waits until it is scanning id
// and kills it with SIGKILL.
func killMidScan(t *testing.T, dsn string, id int64) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+dsn)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var seen atomic.Bool
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	timeout := time.After(60 * time.Second)
	for !seen.Load() {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("child exited before scanning: %v", cmd.Wait())
			}
			if f := strings.Fields(l); len(f) == 2 && f[0] == "started" && f[1] == strconv.FormatInt(id, 10) {
				seen.Store(true)
			}
		case <-timeout:
			cmd.Process.Kill()
			t.Fatal("child did not start the scan within 60s")
		}
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	_ = cmd.Wait()
	go func() {
		for range lines {
		}
	}()
}
