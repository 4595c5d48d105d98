package browser

import (
	"strings"
	"testing"
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
