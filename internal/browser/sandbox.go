package browser

import (
	"strings"
)

// Sandbox says whether Chromium confines the pages it renders with its own
// sandbox, and why. Pages of a scanned site are code the user does not
// control: without the sandbox, a renderer exploit runs with the user's
// rights.
type Sandbox struct {
	// On is true when Chromium runs with its sandbox.
	On bool
	// Reason says how the sandbox works when On (user namespaces, the
	// setuid helper), else why it is off.
	Reason string
	// Fix says what would let it run with the sandbox; empty when On or
	// when the caller switched it off.
	Fix string
}

// String is "on (user namespaces)" or "off (running as root)".
func (s Sandbox) String() string {
	state := "off"
	if s.On {
		state = "on"
	}
	if s.Reason == "" {
		return state
	}
	return state + " (" + s.Reason + ")"
}

// Warning is the one-line warning for a browser without its sandbox, or ""
// when the sandbox is on.
func (s Sandbox) Warning() string {
	if s.On {
		return ""
	}
	w := "Chromium runs without its sandbox (" + s.Reason + "): the scanned site's pages ran unconfined"
	if s.Fix != "" {
		w += "; " + s.Fix
	}
	return w
}

// sandboxHost is what the machine offers Chromium's Linux sandbox.
type sandboxHost struct {
	// root: the effective user is root, which Chromium on Linux refuses to
	// sandbox (it exits unless given --no-sandbox).
	root bool
	// userns is "" when an unprivileged process may create user
	// namespaces (what Chromium's namespace sandbox needs), else why not.
	userns string
	// helper is the path of a setuid-root chrome-sandbox helper, the
	// sandbox Chromium falls back to without user namespaces; "" if none.
	helper string
}

// Reasons and fixes of the sandbox decision; tests match on them.
const (
	reasonFlag   = "switched off with --no-sandbox"
	reasonRoot   = "leakwatch runs as root, where Chromium refuses its sandbox"
	reasonUserns = "user namespaces"
	reasonHelper = "setuid helper "
	fixRoot      = "run leakwatch as an ordinary user to confine them"
	fixUserns    = "allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1, " +
		"user.max_user_namespaces > 0; in a container, a seccomp profile that permits them) or install " +
		"Chromium's setuid chrome-sandbox helper"
	reasonStartPrefix = "Chromium could not start its sandbox: "
)

// decideSandbox chooses from the host's facts and the caller's wish. The
// sandbox is off only when it must be: the caller said so, leakwatch runs
// as root, or neither user namespaces nor the setuid helper are available.
func decideSandbox(h sandboxHost, disabled bool) Sandbox {
	switch {
	case disabled:
		return Sandbox{Reason: reasonFlag}
	case h.root:
		return Sandbox{Reason: reasonRoot, Fix: fixRoot}
	case h.userns == "":
		return Sandbox{On: true, Reason: reasonUserns}
	case h.helper != "":
		return Sandbox{On: true, Reason: reasonHelper + h.helper}
	}
	return Sandbox{Reason: "no user namespaces (" + h.userns + ") and no setuid chrome-sandbox helper", Fix: fixUserns}
}

// sandboxOff reports whether extra flags already switch the sandbox off.
func sandboxOff(args []string) bool {
	for _, a := range args {
		if a == "--no-sandbox" || strings.HasPrefix(a, "--no-sandbox=") {
			return true
		}
	}
	return false
}

// sandboxStartFailure returns the line of Chromium's output saying that its
// sandbox could not start, or "" when the output says nothing of it.
func sandboxStartFailure(output string) string {
	for _, line := range strings.Split(output, "\n") {
		l := strings.ToLower(line)
		if strings.Contains(l, "sandbox") && (strings.Contains(l, "no usable") || strings.Contains(l, "not configured") ||
			strings.Contains(l, "fatal") || strings.Contains(l, "failed") || strings.Contains(l, "operation not permitted")) {
			return strings.TrimSpace(line)
		}
	}
	return ""
}

// retryWithoutSandbox is the decision after Chromium failed to start its
// sandbox with the given line of output.
func retryWithoutSandbox(line string) Sandbox {
	if len(line) > 200 {
		line = line[:200] + "..."
	}
	return Sandbox{Reason: reasonStartPrefix + line, Fix: fixUserns}
}
