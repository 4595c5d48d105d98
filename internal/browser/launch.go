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
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-rod/rod/lib/cdp"
)

// rootFlags are always passed: they make Chromium start headless as root in a
// container and keep it from talking to anything but the pages it is sent to
// (quietPrefs do the same through the profile's preferences).
var rootFlags = []string{
	"--no-sandbox",
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
	"--remote-debugging-port=0",
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
	// StartTimeout bounds the wait for Chromium's DevTools endpoint; 0 means 30s.
	StartTimeout time.Duration
	// GPC sends Global Privacy Control (Sec-GPC: 1 on every request,
	// navigator.globalPrivacyControl true); see optout.go.
	GPC bool
	// DNT sends Do Not Track (DNT: 1, navigator.doNotTrack "1").
	DNT bool
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
	cmd     *exec.Cmd
	dataDir string
	tmpDir  string // removed on Close; empty when a profile dir was given
	version string // e.g. "HeadlessChrome/156.0.8078.108"
	stderr  *tailBuffer
	ws      *cdp.WebSocket
	client  *cdp.Client
	exited  chan struct{} // closed when the process has exited
	loop    chan struct{} // closed when the event loop has ended

	mu        sync.Mutex
	sessions  map[string]*session // by CDP session ID
	contexts  map[string]*Context // by browserContextId
	def       *Context
	waiters   map[string]chan *session // targetID -> waiting NewTab
	closeOnce sync.Once
	closeErr  error
	dead      bool
}

// Launch starts Chromium and connects to it. The browser is closed when ctx
// is cancelled; call Close when done in any case.
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
	b := &Browser{opts: opts, binding: bindingName(), sessions: map[string]*session{}, contexts: map[string]*Context{},
		waiters: map[string]chan *session{}, exited: make(chan struct{}), loop: make(chan struct{}),
		stderr: &tailBuffer{max: 8 << 10}}
	if err := b.start(ctx); err != nil {
		b.Close()
		return nil, err
	}
	stop := context.AfterFunc(ctx, func() { b.Close() })
	go func() { <-b.exited; stop() }()
	return b, nil
}

// bindingName is a name no page can guess for the Blob body binding.
func bindingName() string {
	var r [8]byte
	_, _ = rand.Read(r[:])
	return "__lw" + hex.EncodeToString(r[:])
}

func (b *Browser) start(ctx context.Context) error {
	if err := b.prepareProfile(); err != nil {
		return err
	}
	b.cmd = exec.Command(b.opts.Exec, b.args()...)
	b.cmd.Stderr = b.stderr
	b.cmd.Stdout = b.stderr
	setProcAttr(b.cmd)
	if err := b.cmd.Start(); err != nil {
		return fmt.Errorf("start chromium %s: %w", b.opts.Exec, err)
	}
	go func() { _ = b.cmd.Wait(); close(b.exited) }()
	wsURL, err := b.waitEndpoint(ctx)
	if err != nil {
		return err
	}
	b.ws = &cdp.WebSocket{}
	if err := b.ws.Connect(ctx, wsURL, nil); err != nil {
		return fmt.Errorf("connect to chromium at %s: %w", wsURL, err)
	}
	b.client = cdp.New().Start(b.ws)
	go b.eventLoop()
	return b.initBrowser(ctx)
}

func (b *Browser) args() []string {
	args := append([]string{}, rootFlags...)
	if !b.opts.Headful {
		args = append(args, "--headless", "--hide-scrollbars", "--mute-audio")
	}
	args = append(args, "--user-data-dir="+b.dataDir)
	args = append(args, b.opts.Args...)
	return append(args, "about:blank")
}

// prepareProfile creates the user-data-dir and writes the cookie preference.
func (b *Browser) prepareProfile() error {
	if b.opts.ProfileDir != "" {
		b.dataDir = b.opts.ProfileDir
	} else {
		dir, err := os.MkdirTemp("", "leakwatch-chromium-")
		if err != nil {
			return fmt.Errorf("create temporary profile: %w", err)
		}
		b.tmpDir, b.dataDir = dir, dir
	}
	// A stale port file from an earlier run would point at a dead browser.
	_ = os.Remove(filepath.Join(b.dataDir, "DevToolsActivePort"))
	set := map[string]any{}
	for k, v := range quietPrefs {
		set[k] = v
	}
	if !b.opts.BlockThirdPartyCookies {
		set["profile.cookie_controls_mode"] = 0
	}
	return writePrefs(filepath.Join(b.dataDir, "Default", "Preferences"), set)
}

// waitEndpoint waits for Chromium to write DevToolsActivePort.
func (b *Browser) waitEndpoint(ctx context.Context) (string, error) {
	timeout := b.opts.StartTimeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	file := filepath.Join(b.dataDir, "DevToolsActivePort")
	for {
		if data, err := os.ReadFile(file); err == nil {
			lines := strings.Split(strings.TrimSpace(string(data)), "\n")
			if len(lines) == 2 {
				if _, err := strconv.Atoi(lines[0]); err == nil {
					return "ws://127.0.0.1:" + lines[0] + lines[1], nil
				}
			}
		}
		select {
		case <-ctx.Done():
			return "", fmt.Errorf("start chromium: %w", ctx.Err())
		case <-b.exited:
			return "", fmt.Errorf("chromium %s exited at start: %s", b.opts.Exec, b.stderr.String())
		case <-deadline.C:
			return "", fmt.Errorf("chromium %s did not open DevTools within %s: %s", b.opts.Exec, timeout, b.stderr.String())
		case <-tick.C:
		}
	}
}

// Version is Chromium's product string, e.g. "HeadlessChrome/156.0.8078.108".
func (b *Browser) Version() string { return b.version }

// UserDataDir is the profile directory Chromium runs with.
func (b *Browser) UserDataDir() string { return b.dataDir }

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
	if b.client != nil && b.opts.ProfileDir != "" {
		// Let Chromium flush the user's profile before it is killed.
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		_, _ = b.client.Call(ctx, "", "Browser.close", nil)
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
	if b.ws != nil {
		_ = b.ws.Close()
	}
	var err error
	if b.tmpDir != "" {
		if e := removeAllRetry(b.tmpDir); e != nil {
			err = fmt.Errorf("remove temporary profile: %w", e)
		}
	}
	return err
}

// removeAllRetry retries because a dying Chromium may still write files.
func removeAllRetry(dir string) error {
	var err error
	for i := 0; i < 5; i++ {
		if err = os.RemoveAll(dir); err == nil {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return err
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
