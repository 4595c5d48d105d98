package browser

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
)

// probeSandbox finds what this Linux machine offers Chromium's sandbox for
// the binary chrome.
func probeSandbox(chrome string) sandboxHost {
	h := sandboxHost{root: os.Geteuid() == 0}
	if h.root {
		return h // decided already: no need to probe
	}
	h.userns = probeUserns()
	if h.userns != "" {
		h.helper = setuidHelper(chrome)
	}
	return h
}

// usernsSysctls are the kernel settings that forbid unprivileged user
// namespaces when they hold "0" (the first exists on Debian-patched kernels).
var usernsSysctls = []string{"/proc/sys/kernel/unprivileged_userns_clone", "/proc/sys/user/max_user_namespaces"}

// probeUserns returns "" when an unprivileged process may create a user
// namespace, else why not. Besides the kernel settings it tries: a
// container's seccomp profile may forbid what the kernel allows.
func probeUserns() string {
	for _, p := range usernsSysctls {
		if v, err := os.ReadFile(p); err == nil && strings.TrimSpace(string(v)) == "0" {
			return p + " is 0"
		}
	}
	probe, err := exec.LookPath("true")
	if err != nil {
		return "" // nothing harmless to try with; Launch still falls back if Chromium fails
	}
	cmd := exec.Command(probe)
	// Not /dev/null: a process whose /dev is locked down would fail to
	// open it and be taken for one that cannot create a namespace.
	cmd.Stdin, cmd.Stdout, cmd.Stderr = strings.NewReader(""), io.Discard, io.Discard
	cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWUSER}
	if err := cmd.Run(); err != nil {
		return fmt.Sprintf("creating one failed: %v", err)
	}
	return ""
}

// helperPaths are where Chromium packages install the setuid helper, after
// $CHROME_DEVEL_SANDBOX and the directory of the (resolved) binary.
var helperPaths = []string{"/usr/lib/chromium/chrome-sandbox", "/usr/lib/chromium-browser/chrome-sandbox",
	"/opt/google/chrome/chrome-sandbox"}

// setuidHelper returns the path of a setuid-root chrome-sandbox helper for
// chrome, or "".
func setuidHelper(chrome string) string {
	paths := []string{os.Getenv("CHROME_DEVEL_SANDBOX")}
	if real, err := filepath.EvalSymlinks(chrome); err == nil {
		paths = append(paths, filepath.Join(filepath.Dir(real), "chrome-sandbox"))
	}
	for _, p := range append(paths, helperPaths...) {
		if p == "" {
			continue
		}
		st, err := os.Stat(p)
		if err != nil || st.Mode()&os.ModeSetuid == 0 {
			continue
		}
		if sys, ok := st.Sys().(*syscall.Stat_t); ok && sys.Uid == 0 {
			return p
		}
	}
	return ""
}
