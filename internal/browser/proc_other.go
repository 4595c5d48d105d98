//go:build !unix

package browser

import "os/exec"

// setProcAttr has nothing to set where there are no process groups.
func setProcAttr(*exec.Cmd) {}

// killGroup is a no-op without process groups: the browser process itself is
// killed by the caller, and Chromium's helpers exit with it.
func killGroup(int) {}

// pipeSupported: a pipe can be handed to Chromium as its file descriptors 3
// and 4 (os/exec cannot pass extra files on Windows).
const pipeSupported = false
