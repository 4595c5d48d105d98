package browser

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// rootFlags are always passed: they make Chromium start headless in a
// container and keep it from talking to anything but the pages it is sent to
// (quietPrefs do the same through the profile's preferences). --no-sandbox is
// added only when the sandbox cannot run (see Sandbox).
var rootFlags = []string{
	"--disable-gpu",
	"--disable-quic",
	"--no-first-run",
	"--no-default-browser-check",
	"--disable-dev-shm-usage",
	"--disable-background-timer-throttling",
	"--disable-backgrounding-occluded-windows",
	"--disable-renderer-backgrounding",
	"--disable-ipc-flooding-protection",
	"--disable-hang-monitor",
	"--password-store=basic",
	"--use-mock-keychain",
	// Chromium's own traffic: variations and field trials, component and
	// extension updates, sync and sign-in, crash and metrics reporting,
	// Safe Browsing, domain reliability, suggestions.
	"--disable-background-networking",
	"--disable-component-update",
	"--disable-sync",
	"--disable-breakpad",
	"--disable-crash-reporter",
	"--metrics-recording-only",
	"--disable-field-trial-config",
	"--disable-client-side-phishing-detection",
	"--safebrowsing-disable-download-protection",
	"--disable-domain-reliability",
	"--disable-default-apps",
	"--disable-extensions",
	"--disable-component-extensions-with-background-pages",
	"--disable-suggestions-service",
	"--no-service-autorun",
	"--disable-search-engine-choice-screen",
	// Services that still call home despite the switches above (the
	// optimization guide's on-device model manifest through the component
	// updater; accounts.google.com cookie checks) are pointed at a closed
	// loopback port: their requests never leave the machine.
	"--component-updater=url-source=" + nowhere,
	"--gaia-url=" + nowhere,
	"--google-apis-url=" + nowhere,
	"--lso-url=" + nowhere,
	"--variations-server-url=" + nowhere,
	// Features that phone home (autofill server, optimization guide, time
	// sync, media router, translate, certificate transparency updates), and
	// RenderDocument and BackForwardCache: off so that a page left keeps
	// its frame and runs its unload handlers where DevTools records them
	// (Browser.leave).
	"--disable-features=" + strings.Join(quietFeatures, ","),
}

// nowhere is where Chromium's own services are sent: the discard port of
// loopback, where nothing listens.
const nowhere = "http://127.0.0.1:9/"

// quietFeatures are the Chromium features switched off.
var quietFeatures = []string{"Translate", "MediaRouter", "DialMediaRouteProvider",
	"OptimizationHints", "OptimizationHintsFetching", "OptimizationGuideModelDownloading",
	"OptimizationTargetPrediction", "AutofillServerCommunication", "NetworkTimeServiceQuerying",
	"CertificateTransparencyComponentUpdater", "InterestFeedContentSuggestions",
	"SegmentationPlatform",
	"RenderDocument", "BackForwardCache"}

// DefaultMaxBodySize caps recorded response bodies when Options.MaxBodySize is 0.
const DefaultMaxBodySize = 2 << 20

// Options configure a Chromium launch. The zero value launches a headless
// Chromium found by Find with a temporary profile.
type Options struct {
	// Exec is the Chromium binary; empty means Find().
	Exec string
	// Args are extra command-line flags, e.g. --host-resolver-rules=...
	Args []string
	// Headful opens a visible window instead of running headless.
	Headful bool
	// BlockThirdPartyCookies keeps Chromium's default of blocking
	// third-party cookies; by default they are allowed as in a typical browser.
	BlockThirdPartyCookies bool
	// ProfileDir is a user-data-dir to reuse (kept on Close); empty means a
	// fresh temporary one, removed on Close.
	ProfileDir string
	// MaxBodySize caps each recorded response body in bytes; 0 means
	// DefaultMaxBodySize, negative means response bodies are not recorded.
	MaxBodySize int
	// StartTimeout bounds the wait for Chromium's first DevTools answers;
	// 0 means 30s.
	StartTimeout time.Duration
	// GPC sends Global Privacy Control (Sec-GPC: 1 on every request,
	// navigator.globalPrivacyControl true); see optout.go.
	GPC bool
	// DNT sends Do Not Track (DNT: 1, navigator.doNotTrack "1").
	DNT bool
	// NoSandbox runs Chromium without its sandbox even where it could have
	// one (as does --no-sandbox in Args). Without it the sandbox is used
	// unless leakwatch runs as root or the system cannot provide it;
	// Browser.Sandbox says which, and a capture without it says so in its
	// warnings.
	NoSandbox bool

	// webSocket speaks DevTools over a WebSocket where a pipe would do
	// (tests of the Windows transport).
	webSocket bool
	// host stands in for what probeSandbox finds, in tests.
	host *sandboxHost
}

// reservedFlags are managed by Launch and may not come from Options.Args.
var reservedFlags = []string{"--user-data-dir", "--remote-debugging-port", "--remote-debugging-pipe",
	"--remote-debugging-address"}

// Validate reports the first option that cannot work.
func (o *Options) Validate() error {
	if o.StartTimeout < 0 {
		return fmt.Errorf("browser: start timeout %s is negative", o.StartTimeout)
	}
	for _, a := range o.Args {
		if !strings.HasPrefix(a, "-") {
			return fmt.Errorf("browser: argument %q is not a flag (want --name or --name=value)", a)
		}
		name, _, _ := strings.Cut(a, "=")
		for _, r := range reservedFlags {
			if name == r {
				return fmt.Errorf("browser: %s is set by leakwatch; use Options.ProfileDir for a profile", r)
			}
		}
	}
	return nil
}

// Browser is a running Chromium and its DevTools connection.
type Browser struct {
	opts    Options
	binding string // name of the page binding that reports Blob bodies
	sandbox Sandbox
	cmd     *exec.Cmd
	dataDir string // the user-data-dir: ProfileDir, or a folder in tmpDir
	tmpDir  string // the run's temporary folder, removed on Close
	// childTmp is Chromium's $TMPDIR, in tmpDir: what it leaves there
	// (org.chromium.Chromium.* shared memory files) goes with it.
	childTmp string
	// extraTmp is childTmp when tmpDir's path was too long for it.
	extraTmp string
	// lock is held while the run lives (see lockRun).
	lock    *os.File
	version string // e.g. "HeadlessChrome/156.0.8078.108"
	stderr  *tailBuffer
	conn    *conn
	exited  chan struct{} // closed when the process has exited
	loop    chan struct{} // closed when the event loop has ended

	mu        sync.Mutex
	sessions  map[string]*session // by CDP session ID
	contexts  map[string]*Context // by browserContextId
	def       *Context
	waiters   map[string]chan *session // targetID -> waiting NewTab
	listeners map[string][]*listener   // Tab.Listen callbacks by session ID
	closeOnce sync.Once
	closeErr  error
	dead      bool
	// events counts browser-level CDP events that did not decode.
	events badEvents
}

// Launch starts Chromium and connects to it. The browser is closed when ctx
// is cancelled, or when Chromium exits on its own; call Close when done in
// any case. Its temporary folders are gone once it is closed.
func Launch(ctx context.Context, opts Options) (*Browser, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if opts.Exec == "" {
		p, err := Find()
		if err != nil {
			return nil, err
		}
		opts.Exec = p
	}
	if opts.MaxBodySize == 0 {
		opts.MaxBodySize = DefaultMaxBodySize
	}
	host := opts.host
	if host == nil {
		h := probeSandbox(opts.Exec)
		host = &h
	}
	sb := decideSandbox(*host, opts.NoSandbox || sandboxOff(opts.Args))
	b, err := launch(ctx, opts, sb)
	if err != nil && sb.On && ctx.Err() == nil {
		// The probe was wrong (an AppArmor or seccomp rule it could not
		// see): Chromium said so and exited. Run it as it must, and say so.
		if line := sandboxStartFailure(b.stderr.String()); line != "" {
			b, err = launch(ctx, opts, retryWithoutSandbox(line))
		}
	}
	if err != nil {
		return nil, err
	}
	return b, nil
}

// launch starts one Chromium with the sandbox decision sb. On error the
// browser is closed and returned for its output.
func launch(ctx context.Context, opts Options, sb Sandbox) (*Browser, error) {
	b := &Browser{opts: opts, sandbox: sb, binding: bindingName(), sessions: map[string]*session{},
		contexts: map[string]*Context{}, waiters: map[string]chan *session{}, exited: make(chan struct{}),
		loop: make(chan struct{}), stderr: &tailBuffer{max: 8 << 10}}
	if err := b.start(ctx); err != nil {
		b.Close()
		return b, err
	}
	stop := context.AfterFunc(ctx, func() { b.Close() })
	go func() {
		<-b.exited
		stop()
		// Chromium crashed or was killed: nothing will use its folders
		// again, so they go now, not only when the caller closes it.
		b.Close()
	}()
	return b, nil
}

// bindingName is a name no page can guess for the Blob body binding.
func bindingName() string {
	var r [8]byte
	_, _ = rand.Read(r[:])
	return "__lw" + hex.EncodeToString(r[:])
}

func (b *Browser) start(ctx context.Context) error {
	if err := b.prepareDirs(); err != nil {
		return err
	}
	if err := b.prepareProfile(); err != nil {
		return err
	}
	b.cmd = exec.Command(b.opts.Exec, b.args()...)
	b.cmd.Env = childEnv(os.Environ(), b.childTmp)
	b.cmd.Stderr = b.stderr
	b.cmd.Stdout = b.stderr
	setProcAttr(b.cmd)
	var pipe *pipeTransport
	handedOver := func() {}
	if b.usePipe() {
		var err error
		if pipe, handedOver, err = pipeTo(b.cmd); err != nil {
			return err
		}
	}
	err := b.cmd.Start()
	handedOver()
	if err != nil {
		if pipe != nil {
			_ = pipe.close()
		}
		return fmt.Errorf("start chromium %s: %w", b.opts.Exec, err)
	}
	go func() {
		_ = b.cmd.Wait()
		close(b.exited)
		if pipe != nil {
			// A helper process may still hold Chromium's end open.
			_ = pipe.close()
		}
	}()
	var t transport = pipe
	if pipe == nil {
		if t, err = b.dial(ctx); err != nil {
			return err
		}
	}
	b.conn = newConn(t, b.malformed)
	go b.eventLoop()
	sctx, cancel := context.WithTimeout(ctx, b.startTimeout())
	defer cancel()
	if err := b.initBrowser(sctx); err != nil {
		return b.startError(ctx, sctx, err)
	}
	return nil
}

// usePipe says whether DevTools runs over a pipe (see pipeTransport).
func (b *Browser) usePipe() bool { return pipeSupported && !b.opts.webSocket }

func (b *Browser) startTimeout() time.Duration {
	if b.opts.StartTimeout == 0 {
		return 30 * time.Second
	}
	return b.opts.StartTimeout
}

// startError explains why the first commands failed: the launch was
// cancelled, Chromium exited (with what it said), or it did not answer.
func (b *Browser) startError(ctx, sctx context.Context, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("start chromium: %w", ctx.Err())
	}
	select {
	case <-b.exited:
		return fmt.Errorf("chromium %s exited at start: %s", b.opts.Exec, b.stderr.String())
	case <-time.After(2 * time.Second):
	}
	if sctx.Err() != nil {
		return fmt.Errorf("chromium %s did not answer within %s: %s", b.opts.Exec, b.startTimeout(), b.stderr.String())
	}
	return err
}

// malformed counts a message from Chromium that is not protocol JSON.
func (b *Browser) malformed(err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.events.add("DevTools connection", err)
}

func (b *Browser) args() []string {
	args := append([]string{}, rootFlags...)
	if !b.sandbox.On {
		args = append(args, "--no-sandbox")
	}
	if !b.opts.Headful {
		args = append(args, "--headless", "--hide-scrollbars", "--mute-audio")
	}
	if b.usePipe() {
		args = append(args, "--remote-debugging-pipe")
	} else {
		args = append(args, "--remote-debugging-port=0", "--remote-allow-origins="+wsOrigin)
	}
	args = append(args, "--user-data-dir="+b.dataDir)
	args = append(args, b.opts.Args...)
	return append(args, "about:blank")
}

// prepareProfile writes the cookie and quiet preferences into the
// user-data-dir.
func (b *Browser) prepareProfile() error {
	// A stale port file from an earlier run would point at a dead browser.
	_ = os.Remove(filepath.Join(b.dataDir, "DevToolsActivePort"))
	set := map[string]any{}
	for k, v := range quietPrefs {
		set[k] = v
	}
	if !b.opts.BlockThirdPartyCookies {
		set["profile.cookie_controls_mode"] = 0
	}
	if hasFlag(b.opts.Args, "--proxy-server") {
		// WebRTC sends UDP around any HTTP proxy unless told not to; Chrome
		// reads this from the profile only (the force- switch is for
		// content shells).
		set["webrtc.ip_handling_policy"] = "disable_non_proxied_udp"
	}
	return writePrefs(filepath.Join(b.dataDir, "Default", "Preferences"), set)
}

// hasFlag reports whether args set the flag name ("--name" or "--name=...").
func hasFlag(args []string, name string) bool {
	for _, a := range args {
		if n, _, _ := strings.Cut(a, "="); n == name {
			return true
		}
	}
	return false
}

// Version is Chromium's product string, e.g. "HeadlessChrome/156.0.8078.108".
func (b *Browser) Version() string { return b.version }

// UserDataDir is the profile directory Chromium runs with.
func (b *Browser) UserDataDir() string { return b.dataDir }

// Sandbox says whether Chromium runs with its sandbox, and why.
func (b *Browser) Sandbox() Sandbox { return b.sandbox }

// PID is the Chromium main process ID.
func (b *Browser) PID() int {
	if b.cmd == nil || b.cmd.Process == nil {
		return 0
	}
	return b.cmd.Process.Pid
}

// HasProfile reports whether the browser runs on a user-given profile.
func (b *Browser) HasProfile() bool { return b.opts.ProfileDir != "" }

// Close ends Chromium and all its processes and removes the temporary
// profile. It is safe to call more than once and from several goroutines.
func (b *Browser) Close() error {
	b.closeOnce.Do(func() { b.closeErr = b.shutdown() })
	return b.closeErr
}

func (b *Browser) shutdown() error {
	if b.conn != nil && b.opts.ProfileDir != "" && !b.hasExited() {
		// Let Chromium flush the user's profile before it is killed.
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		_, _ = b.conn.Call(ctx, "", "Browser.close", nil)
		cancel()
		select {
		case <-b.exited:
		case <-time.After(3 * time.Second):
		}
	}
	if b.cmd != nil && b.cmd.Process != nil {
		pid := b.cmd.Process.Pid
		killGroup(pid)
		_ = b.cmd.Process.Kill()
		select {
		case <-b.exited:
		case <-time.After(10 * time.Second):
		}
	}
	if b.dataDir != "" {
		killByCmdline("--user-data-dir=" + b.dataDir)
	}
	if b.conn != nil {
		_ = b.conn.Close()
	}
	return b.removeTemp()
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	buf []byte
	max int
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > t.max {
		t.buf = append([]byte(nil), t.buf[len(t.buf)-t.max:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(bytes.TrimSpace(t.buf))
}

var errClosed = errors.New("browser closed")
