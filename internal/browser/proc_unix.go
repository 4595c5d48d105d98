//go:build unix && !linux

package browser

import (
	"os/exec"
	"syscall"
)

// setProcAttr starts Chromium in its own process group. (Only Linux can
// have the kernel kill it when leakwatch dies; elsewhere the cleanup on exit
// and the profile-folder sweep do it.)
func setProcAttr(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// killGroup kills the process group led by pid: Chromium and its helpers.
func killGroup(pid int) {
	_ = syscall.Kill(-pid, syscall.SIGKILL)
}

// pipeSupported: a pipe can be handed to Chromium as its file descriptors 3
// and 4 (os/exec cannot pass extra files on Windows).
const pipeSupported = true
