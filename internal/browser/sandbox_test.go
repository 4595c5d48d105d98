package browser

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestDecideSandbox(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		host     sandboxHost
		disabled bool
		on       bool
		reason   string
		warning  string
	}{
		{"user, namespaces", sandboxHost{}, false, true, reasonUserns, ""},
		{"user, namespaces, flag", sandboxHost{}, true, false, reasonFlag, "switched off with --no-sandbox): the scanned site's pages ran unconfined"},
		{"root, namespaces", sandboxHost{root: true}, false, false, reasonRoot, fixRoot},
		{"root, flag", sandboxHost{root: true}, true, false, reasonFlag, "--no-sandbox"},
		{"user, no namespaces, helper", sandboxHost{userns: "x is 0", helper: "/usr/lib/chromium/chrome-sandbox"},
			false, true, reasonHelper + "/usr/lib/chromium/chrome-sandbox", ""},
		{"user, no namespaces, helper, flag", sandboxHost{userns: "x is 0", helper: "/h"}, true, false, reasonFlag, "unconfined"},
		{"user, nothing", sandboxHost{userns: "/proc/sys/user/max_user_namespaces is 0"}, false, false,
			"no user namespaces (/proc/sys/user/max_user_namespaces is 0)", "sysctl kernel.unprivileged_userns_clone=1"},
		{"root, nothing", sandboxHost{root: true, userns: "x is 0"}, false, false, reasonRoot, fixRoot},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := decideSandbox(tt.host, tt.disabled)
			if got.On != tt.on || !strings.HasPrefix(got.Reason, tt.reason) {
				t.Errorf("decideSandbox = %+v, want on=%v reason %q", got, tt.on, tt.reason)
			}
			w := got.Warning()
			switch {
			case tt.on && w != "":
				t.Errorf("warning %q with the sandbox on", w)
			case !tt.on && (!strings.Contains(w, tt.warning) || !strings.Contains(w, "without its sandbox")):
				t.Errorf("warning %q, want it to contain %q", w, tt.warning)
			case strings.Contains(w, "\n"):
				t.Errorf("warning %q is not one line", w)
			}
		})
	}
}

func TestSandboxFlagInArgs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		off  bool
	}{
		{nil, false},
		{[]string{"--lang=de", "--no-sandbox"}, true},
		{[]string{"--no-sandbox-and-zygote"}, false},
		{[]string{"--disable-setuid-sandbox"}, false},
	}
	for _, tt := range tests {
		if got := sandboxOff(tt.args); got != tt.off {
			t.Errorf("sandboxOff(%q) = %v, want %v", tt.args, got, tt.off)
		}
	}
}

func TestSandboxStartFailure(t *testing.T) {
	t.Parallel()
	tests := []struct{ output, want string }{
		{"", ""},
		{"[1:1:FATAL:zygote_host_impl_linux.cc(127)] No usable sandbox! If you are running on Ubuntu 23.10+ ...",
			"[1:1:FATAL:zygote_host_impl_linux.cc(127)] No usable sandbox! If you are running on Ubuntu 23.10+ ..."},
		{"noise\n[1:1:FATAL:setuid_sandbox_host.cc(163)] The SUID sandbox helper binary was found, but is not configured correctly.\n",
			"[1:1:FATAL:setuid_sandbox_host.cc(163)] The SUID sandbox helper binary was found, but is not configured correctly."},
		{"[1:1:ERROR:bus.cc(407)] Failed to connect to the bus", ""},
		{"[1:1:FATAL:zygote_host_impl_linux.cc(132)] Running as root without --no-sandbox is not supported.",
			"[1:1:FATAL:zygote_host_impl_linux.cc(132)] Running as root without --no-sandbox is not supported."},
	}
	for _, tt := range tests {
		if got := sandboxStartFailure(tt.output); got != tt.want {
			t.Errorf("sandboxStartFailure(%q) = %q, want %q", tt.output, got, tt.want)
		}
	}
	s := retryWithoutSandbox(strings.Repeat("sandbox ", 100))
	if s.On || len(s.Reason) > 300 || !strings.HasPrefix(s.Reason, reasonStartPrefix) {
		t.Errorf("retryWithoutSandbox = %+v", s)
	}
}

func TestChildEnv(t *testing.T) {
	t.Parallel()
	got := childEnv([]string{"PATH=/bin", "TMPDIR=/tmp", "HOME=/root", "TMP=/x", "TMPDIRX=keep", "XDG_CONFIG_HOME=/c"}, "/run/t")
	want := "PATH=/bin HOME=/root TMPDIRX=keep TMPDIR=/run/t TMP=/run/t TEMP=/run/t " +
		"XDG_CONFIG_HOME=/run/t/config XDG_CACHE_HOME=/run/t/cache"
	if strings.Join(got, " ") != want {
		t.Errorf("childEnv = %q, want %q", got, want)
	}
}

// TestSandboxRetry: when the probe finds a sandbox that Chromium then
// cannot start, the launch is retried without it, and says why.
func TestSandboxRetry(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test: skipped with -short")
	}
	chrome, err := Find()
	if err != nil {
		t.Skip(err)
	}
	if runtime.GOOS == "windows" {
		t.Skip("needs a shell script as the browser")
	}
	fake := filepath.Join(t.TempDir(), "chromium")
	script := "#!/bin/sh\ncase \" $* \" in *\" --no-sandbox \"*) exec " + chrome + " \"$@\";; esac\n" +
		"echo '[1:1:FATAL:zygote_host_impl_linux.cc(127)] No usable sandbox! Update your kernel' >&2\nexit 1\n"
	if err := os.WriteFile(fake, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	b, err := Launch(ctx, Options{Exec: fake, host: &sandboxHost{}})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	sb := b.Sandbox()
	if sb.On || !strings.HasPrefix(sb.Reason, reasonStartPrefix) || !strings.Contains(sb.Reason, "No usable sandbox") {
		t.Errorf("sandbox %s", sb)
	}
	c, err := b.Default().Capture(ctx)
	if err != nil || len(c.Warnings) == 0 || !strings.Contains(c.Warnings[0], "could not start its sandbox") {
		t.Errorf("warnings %q, %v", c.Warnings, err)
	}
}
