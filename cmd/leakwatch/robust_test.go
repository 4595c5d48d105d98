package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/audit"
	"github.com/leakwatch/leakwatch/internal/evidence"
	"github.com/leakwatch/leakwatch/internal/har/hargen"
)

// The robustness tests run the built binary: signals, exit codes and peak
// memory are properties of a process.

var binary struct {
	once sync.Once
	path string
	err  error
}

// leakwatchBinary builds leakwatch once per test binary.
func leakwatchBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary on large inputs: skipped with -short")
	}
	binary.once.Do(func() {
		dir, err := os.MkdirTemp("", "leakwatch-bin")
		if err != nil {
			binary.err = err
			return
		}
		binary.path = filepath.Join(dir, "leakwatch")
		out, err := exec.Command("go", "build", "-o", binary.path, ".").CombinedOutput()
		if err != nil {
			binary.err = errors.New(string(out))
		}
	})
	if binary.err != nil {
		t.Fatalf("go build: %v", binary.err)
	}
	return binary.path
}

var bigHAR struct {
	once sync.Once
	path string
	err  error
}

// bigGeneratedHAR is a 40 MB generated HAR, made once per test binary; the
// signal tests feed half of it and keep the input open.
func bigGeneratedHAR(t *testing.T) string {
	t.Helper()
	bigHAR.once.Do(func() {
		dir, err := os.MkdirTemp("", "leakwatch-big")
		if err != nil {
			bigHAR.err = err
			return
		}
		bigHAR.path = filepath.Join(dir, "big.har")
		f, err := os.Create(bigHAR.path)
		if err != nil {
			bigHAR.err = err
			return
		}
		w := bufio.NewWriter(f)
		bigHAR.err = errors.Join(hargen.Generate(w, hargen.Options{TargetBytes: 40 << 20, Seed: 7}), w.Flush(), f.Close())
	})
	if bigHAR.err != nil {
		t.Fatal(bigHAR.err)
	}
	return bigHAR.path
}

// removeBuilt removes the binary and the HAR the tests made, from TestMain.
func removeBuilt() {
	for _, p := range []string{binary.path, bigHAR.path} {
		if p != "" {
			os.RemoveAll(filepath.Dir(p))
		}
	}
}

// child is a running leakwatch.
type child struct {
	cmd    *exec.Cmd
	stderr strings.Builder
	watch  rssWatch
	stop   chan struct{}
}

func startLeakwatch(t *testing.T, args ...string) *child {
	t.Helper()
	c := &child{cmd: exec.Command(leakwatchBinary(t), args...)}
	c.cmd.Stderr = &c.stderr
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c.stop = make(chan struct{})
	go c.watch.run(c.cmd.Process, c.stop)
	t.Cleanup(func() { c.cmd.Process.Kill() })
	return c
}

// startFed starts leakwatch reading the capture from standard input, writes
// the first 4 MB of the HAR at path to it and keeps the pipe open: the run
// cannot finish, so a signal or a timeout always finds it mid-way, however
// fast the machine. It returns once the child has taken that part.
func startFed(t *testing.T, path string, args ...string) *child {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: exec.Command(leakwatchBinary(t), append(args, "-")...)}
	c.cmd.Stderr = &c.stderr
	stdin, err := c.cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c.stop = make(chan struct{})
	go c.watch.run(c.cmd.Process, c.stop)
	t.Cleanup(func() { c.cmd.Process.Kill(); stdin.Close() })
	fed := make(chan error, 1)
	go func() {
		_, err := stdin.Write(data[:min(len(data), 4<<20)])
		fed <- err
	}()
	select {
	case err := <-fed:
		if err != nil {
			t.Fatalf("feeding the capture: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("leakwatch did not read its input")
	}
	// The event that counts: the child has read all but a pipe buffer of
	// what was written. It handles signals from its first line, and its
	// streaming reader has parsed the entries it read, so a signal now
	// finds requests to report, however slow the machine.
	return c
}

// wait returns the exit code, the time it took and the peak RSS in MiB.
func (c *child) wait(t *testing.T) (int, int64) {
	t.Helper()
	err := c.cmd.Wait()
	close(c.stop)
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	// The child's own peak: ru_maxrss alone includes the test process's
	// memory (vfork), see peakRSS.
	return c.cmd.ProcessState.ExitCode(), peakRSS(c.cmd.ProcessState, c.watch.hwm) >> 20
}

func readJSONReport(t *testing.T, path string) *audit.Report {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rep audit.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatalf("report: %v", err)
	}
	return &rep
}

// TestAnalyzeStopsOnSignal sends SIGTERM to an analysis of a large HAR: it
// must end within a second, exit 1, and leave a report marked incomplete.
func TestAnalyzeStopsOnSignal(t *testing.T) {
	t.Parallel()
	in := bigGeneratedHAR(t)
	for _, tc := range []struct {
		name  string
		sigs  []syscall.Signal
		code  int
		wrote bool
	}{
		{"SIGTERM", []syscall.Signal{syscall.SIGTERM}, 1, true},
		{"SIGINT", []syscall.Signal{syscall.SIGINT}, 1, true},
		{"SIGINT twice", []syscall.Signal{syscall.SIGINT, syscall.SIGINT}, 130, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "report.json")
			c := startFed(t, in, "analyze", "--format", "json", "--output", out)
			start := time.Now()
			for _, s := range tc.sigs {
				c.cmd.Process.Signal(s) // back to back: the second must not wait for the report
			}
			code, _ := c.wait(t)
			d := time.Since(start)
			t.Logf("exited %v after the signal", d)
			if d > time.Second {
				t.Errorf("exited %v after the signal, want within 1s", d)
			}
			if code == 1 && tc.code == 130 {
				// The first signal's report was written before the second
				// arrived: a finished run, not a missed signal.
				tc.wrote = true
			} else if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, tc.code, c.stderr.String())
			}
			if !tc.wrote {
				return
			}
			rep := readJSONReport(t, out)
			if !strings.Contains(rep.Incomplete, "interrupted by "+strings.TrimSuffix(tc.name, " twice")) || len(rep.Warnings) == 0 ||
				!strings.HasPrefix(rep.Warnings[0], "incomplete: ") {
				t.Errorf("report not marked incomplete: %q, warnings %q", rep.Incomplete, rep.Warnings)
			}
			if rep.Sources[0].Requests == 0 {
				t.Error("the report holds none of what was read")
			}
		})
	}
}

// TestAnalyzeTimeout: --timeout ends the run the way a signal does.
func TestAnalyzeTimeout(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "report.json")
	in := bigGeneratedHAR(t)
	leakwatchBinary(t) // built before the clock starts
	start := time.Now()
	c := startFed(t, in, "analyze", "--timeout", "1s", "--format", "json", "--output", out)
	code, _ := c.wait(t)
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %v with --timeout 1s", d)
	}
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr:\n%s", code, c.stderr.String())
	}
	if rep := readJSONReport(t, out); !strings.Contains(rep.Incomplete, "--timeout 1s reached") {
		t.Errorf("incomplete = %q", rep.Incomplete)
	}
}

// writeHostile writes a HAR of the given parts (strings and repeats) to a
// file, gzipped when the name ends in .gz.
func writeHostile(t *testing.T, name string, parts ...any) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	var w io.Writer = f
	var zw *gzip.Writer
	if strings.HasSuffix(name, ".gz") {
		zw = gzip.NewWriter(f)
		w = zw
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	for _, p := range parts {
		switch p := p.(type) {
		case string:
			bw.WriteString(p)
		case rep:
			for range p.n {
				bw.WriteString(p.s)
			}
		}
	}
	err = bw.Flush()
	if zw != nil {
		err = errors.Join(err, zw.Close())
	}
	if err = errors.Join(err, f.Close()); err != nil {
		t.Fatal(err)
	}
	return path
}

// rep is n copies of s in writeHostile.
type rep struct {
	s string
	n int
}

const (
	hostilePre  = `{"log":{"version":"1.2","entries":[{"request":{"method":"GET","url":"https://tracker.example/p?q=`
	hostilePost = `"},"response":{"status":200}}]}}`
	mib         = 1 << 20
)

// TestAnalyzeHostileInputs runs analyze on inputs shaped like the ones that
// once ran it out of memory, at sizes that take seconds: each must exit 0
// with a warning in the report and a bounded peak RSS.
func TestAnalyzeHostileInputs(t *testing.T) {
	t.Parallel()
	chunk := strings.Repeat("a", mib)
	for _, tc := range []struct {
		name   string
		file   func(t *testing.T) string
		flags  []string
		warn   string
		maxRSS int64 // MiB
	}{
		{"50 MB URL", func(t *testing.T) string {
			return writeHostile(t, "url.har", hostilePre, rep{chunk, 50}, hostilePost)
		}, []string{"--max-string", "8MiB"}, "entry 0: request.url: 50 MiB string cut to its first 8 MiB", 300},
		{"gzip HAR of a 300 MB URL", func(t *testing.T) string {
			return writeHostile(t, "url.har.gz", hostilePre, rep{chunk, 300}, hostilePost)
		}, nil, "entry 0: request.url: 300 MiB string cut to its first 32 MiB", 600},
		{"200k headers", func(t *testing.T) string {
			return writeHostile(t, "headers.har", `{"log":{"entries":[{"request":{"method":"GET","url":"https://a.example/","headers":[`,
				rep{`{"name":"x-h","value":"v"},`, 200_000}, `{"name":"y","value":"z"}]}}]}}`)
		}, []string{"--max-items", "50000"}, "entry 0: request.headers: 200001 items, only the first 50000 kept", 300},
		{"100k-deep JSON", func(t *testing.T) string {
			return writeHostile(t, "deep.har", `{"log":{"entries":[{"_initiator":`, rep{`{"parent":`, 100_000}, "1", rep{"}", 100_000},
				`,"request":{"method":"GET","url":"https://a.example/"}}]}}`)
		}, nil, "nested deeper than 1000 levels", 200},
		{"50k WebSocket frames", func(t *testing.T) string {
			return writeHostile(t, "ws.har", `{"log":{"entries":[{"request":{"method":"GET","url":"wss://a.example/"},"_webSocketMessages":[`,
				rep{`{"type":"send","time":1.5,"opcode":1,"data":"hello"},`, 50_000}, `{"type":"receive","time":2,"opcode":1,"data":"end"}]}]}}`)
		}, []string{"--max-items", "20000"}, "_webSocketMessages: 50001 items, only the first 20000 kept", 300},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.file(t)
			out := filepath.Join(t.TempDir(), "report.json")
			args := append([]string{"analyze", "--format", "json", "--output", out}, tc.flags...)
			c := startLeakwatch(t, append(args, in)...)
			code, rss := c.wait(t)
			if code != 0 {
				t.Fatalf("exit %d, want 0; stderr:\n%s", code, c.stderr.String())
			}
			if rss > tc.maxRSS {
				t.Errorf("peak RSS %d MiB, want at most %d", rss, tc.maxRSS)
			}
			t.Logf("peak RSS %d MiB", rss)
			rep := readJSONReport(t, out)
			if !strings.Contains(strings.Join(rep.Sources[0].Warnings, "\n"), tc.warn) {
				t.Errorf("no warning with %q in %q", tc.warn, rep.Sources[0].Warnings)
			}
		})
	}
}

// TestVerifyStopsOnSignal: verify on a cancelled context exits 1 saying so.
func TestVerifyStopsOnSignal(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "case.zip")
	b := evidence.Bundle{Files: []evidence.File{{Name: "report.json", Data: []byte("{}")}}, Tool: "leakwatch", Created: time.Now()}
	if err := evidence.Write(path, b); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(interrupted{syscall.SIGTERM})
	var stdout, stderr bytes.Buffer
	code := run(ctx, []string{"verify", path}, strings.NewReader(""), &stdout, &stderr)
	if code != exitError || !strings.Contains(stderr.String(), "verify stopped") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
}

// TestWatchSignals: the first signal cancels with its name as the cause,
// the second exits with the shell's code for it.
func TestWatchSignals(t *testing.T) {
	t.Parallel()
	sigs := make(chan os.Signal, 2)
	ctx, cancel := context.WithCancelCause(context.Background())
	exited := make(chan int, 1)
	var stderr bytes.Buffer
	done := make(chan struct{})
	go func() {
		log := func() *slog.Logger { return newEnv(nil, nil, nil, &stderr).log() }
		watchSignals(sigs, cancel, log, func(code int) { exited <- code })
		close(done)
	}()
	sigs <- syscall.SIGTERM
	<-ctx.Done()
	if got := context.Cause(ctx).Error(); got != "interrupted by SIGTERM" {
		t.Errorf("cause %q", got)
	}
	sigs <- syscall.SIGTERM
	if code := <-exited; code != 143 {
		t.Errorf("second SIGTERM exits %d, want 143", code)
	}
	<-done
	if !strings.Contains(stderr.String(), "SIGTERM again") {
		t.Errorf("stderr %q", stderr.String())
	}
}
