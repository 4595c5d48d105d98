// Command leakwatch finds out which companies a website sends its visitors'
// personal data to, and proves it.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"sync/atomic"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/leakwatch/leakwatch/internal/evidence"
)

// Exit statuses, documented in --help and the README.
const (
	exitOK     = 0
	exitError  = 1
	exitUsage  = 2
	exitPolicy = 3
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

const exitHelp = `Exit status:
  0  success (and no policy violated)
  1  runtime error (unreadable file, browser failure, internal error, ...), or a run
     stopped by Ctrl-C, SIGTERM or --timeout (its report, marked incomplete, is written)
  2  usage error (bad flag, bad persona or policy file)
  3  a policy was violated (--policy, --fail-on)
  130, 143  a second SIGINT or SIGTERM: exited at once, without a report`

// usageError marks a mistake in how leakwatch was called.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

// errPolicy reports that a policy was violated; the report was written.
var errPolicy = errors.New("policy violated")

func main() {
	ctx, cancel := context.WithCancelCause(context.Background())
	e := newEnv(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go watchSignals(sigs, cancel, e.log, os.Exit)
	softMemoryLimit()
	stopProfile := startProfile(os.Getenv("LEAKWATCH_CPUPROFILE"), e.log())
	code := e.run(ctx)
	stopProfile()
	writeHeapProfile(os.Getenv("LEAKWATCH_MEMPROFILE"), e.log())
	signal.Stop(sigs)
	os.Exit(code)
}

// interrupted is the cause of a run stopped by a signal.
type interrupted struct{ sig os.Signal }

func (i interrupted) Error() string { return "interrupted by " + signalName(i.sig) }

func signalName(sig os.Signal) string {
	if s, ok := sig.(syscall.Signal); ok && s == syscall.SIGINT {
		return "SIGINT"
	} else if ok && s == syscall.SIGTERM {
		return "SIGTERM"
	}
	return sig.String()
}

// watchSignals cancels the run at the first SIGINT or SIGTERM, so that the
// command reports what it has, and exits at once at the second, with the
// shell's code for the signal (130 for SIGINT, 143 for SIGTERM).
func watchSignals(sigs <-chan os.Signal, cancel context.CancelCauseFunc, log func() *slog.Logger, exit func(int)) {
	sig := <-sigs
	log().Log(context.Background(), levelNotice, signalName(sig)+": stopping and reporting what was done (signal again to exit at once)")
	cancel(interrupted{sig})
	sig = <-sigs
	log().Error(signalName(sig) + " again: exiting without a report")
	code := 128 + 2
	if s, ok := sig.(syscall.Signal); ok {
		code = 128 + int(s)
	}
	exit(code)
}

// env is what a command needs from the process, so tests can run commands
// without starting one.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	args   []string
	// flags are the flags the user set, for the evidence manifest.
	flags []evidence.KV
	// logFormat is --log-format; logTo is where log records go (standard
	// error, or a scan's progress line while it shows); logger is the
	// one logger of the run, built from the flags once they are parsed.
	logFormat string
	logTo     *logWriter
	logger    atomic.Pointer[slog.Logger]
}

func newEnv(args []string, stdin io.Reader, stdout, stderr io.Writer) *env {
	return &env{stdin: stdin, stdout: stdout, stderr: stderr, args: args, logTo: &logWriter{w: stderr}}
}

// log is the run's logger. Before the flags are parsed (a bad command
// line, a signal at start) it is a logger at the default level in the
// format given so far.
func (e *env) log() *slog.Logger {
	if l := e.logger.Load(); l != nil {
		return l
	}
	var w io.Writer = io.Discard
	if e.logTo != nil {
		w = e.logTo
	}
	l, err := newLogger(e.logFormat, levelNotice, w)
	if err != nil {
		l, _ = newLogger("text", levelNotice, w)
	}
	return l
}

// setupLog builds the run's logger from --log-format and, on the commands
// that have them, --quiet and --verbose.
func (e *env) setupLog(cmd *cobra.Command) error {
	set := func(name string) bool {
		f := cmd.Flags().Lookup(name)
		return f != nil && f.Value.Type() == "bool" && f.Value.String() == "true"
	}
	l, err := newLogger(e.logFormat, logLevel(set("quiet"), set("verbose")), e.logTo)
	if err != nil {
		return err
	}
	e.logger.Store(l)
	return nil
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return newEnv(args, stdin, stdout, stderr).run(ctx)
}

func (e *env) run(ctx context.Context) (code int) {
	// A bug must not pass for a usage error: Go exits 2 on a panic, the
	// code of a bad command line. (Go's "fatal error: out of memory" cannot
	// be caught; the read budgets are there to keep it from happening.)
	defer func() {
		if r := recover(); r != nil {
			e.log().Error(fmt.Sprintf("internal error (please report it): %v", r), "stack", string(debug.Stack()))
			code = exitError
		}
	}()
	root := newRootCmd(e)
	root.SetArgs(e.args)
	root.SetIn(e.stdin)
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	err := root.ExecuteContext(ctx)
	return exitCode(err, e.log())
}

// exitCode maps err to the exit status and logs it. An error may quote a
// file's content or an entry's name: the logger sanitises it.
func exitCode(err error, log *slog.Logger) int {
	var ue usageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errPolicy):
		log.Error("a policy was violated (exit 3)")
		return exitPolicy
	case errors.As(err, &ue):
		log.Error(err.Error(), "hint", "Run 'leakwatch --help' for usage.")
		return exitUsage
	default:
		log.Error(err.Error())
		return exitError
	}
}

func newRootCmd(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:   "leakwatch",
		Short: "Find which companies a website sends its visitors' personal data to, and prove it",
		Long: `leakwatch reads browser traffic (HAR files from any browser's developer tools, or a live
scan in headless Chromium), names every third party and the company that owns it, decodes
tracking pixels, and finds the tester's personal data in that traffic: plain, URL-encoded,
base64, compressed, or hashed after a vendor's normalization.

` + exitHelp,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.PersistentFlags().StringVar(&e.logFormat, "log-format", "text",
		"diagnostics on standard error as "+strings.Join(logFormats, " or ")+
			": text for people, json for log collectors (one object a line: time, level, msg and fields)")
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		cmd.Flags().Visit(func(f *pflag.Flag) {
			e.flags = append(e.flags, evidence.KV{Name: f.Name, Value: f.Value.String()})
		})
		return e.setupLog(cmd)
	}
	// Every command, listed here and nowhere else: one file each.
	root.AddCommand(newAnalyzeCmd(e), newScanCmd(e), newDemoCmd(e), newDiffCmd(e), newVerifyCmd(e),
		newKeygenCmd(e), newServeCmd(e), newVersionCmd(e))
	root.AddCommand(newCrawlCmd(e), newWorkerCmd(e))
	return root
}

// usageArgs makes a wrong number of arguments a usage error (exit 2).
func usageArgs(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := check(cmd, args); err != nil {
			return usageError{err}
		}
		return nil
	}
}

// startProfile writes a CPU profile to path (LEAKWATCH_CPUPROFILE, for
// developers measuring a run) until the returned function is called.
func startProfile(path string, log *slog.Logger) func() {
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		log.Warn("CPU profile", "err", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		log.Warn("CPU profile", "err", err)
		_ = f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		_ = f.Close()
	}
}

// writeHeapProfile writes the heap profile to path (LEAKWATCH_MEMPROFILE,
// for developers): what is still held when the command ends.
func writeHeapProfile(path string, log *slog.Logger) {
	if path == "" {
		return
	}
	f, err := os.Create(path)
	if err == nil {
		err = errors.Join(pprof.WriteHeapProfile(f), f.Close())
	}
	if err != nil {
		log.Warn("heap profile", "err", err)
	}
}

// defaultMemoryLimit is the heap size past which the Go runtime collects
// garbage harder (a soft limit, not a cap): analysis state is bounded by
// the budgets, and garbage should not take the process past ~300 MB on
// hostile input. At 256 MiB the gzip bomb and 300,000 third parties
// peaked at 283 and 279 MB RSS; at 192 MiB at 219 and 228 MB, in the
// same time, and 20,000 tracker-dense requests (~170 MB) took no longer.
// serve and worker, which run several analyses at once, raise it to
// serviceMemoryLimit. GOMEMLIMIT, when set, overrides both.
const (
	defaultMemoryLimit = 192 << 20
	serviceMemoryLimit = 256 << 20
)

func softMemoryLimit() { setMemoryLimit(defaultMemoryLimit) }

// serviceMemory raises the soft memory limit for the long-running
// commands that analyse several scans at once.
func serviceMemory() { setMemoryLimit(serviceMemoryLimit) }

func setMemoryLimit(limit int64) {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(limit)
	}
}
