package browser

import (
	"os/exec"
	"syscall"
)

// setProcAttr starts Chromium in its own process group, and has the kernel
// kill it if leakwatch dies without cleaning up.
func setProcAttr(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// killGroup kills the process group led by pid: Chromium and its helpers.
func killGroup(pid int) {
	_ = syscall.Kill(-pid, syscall.SIGKILL)
}

// pipeSupported: a pipe can be handed to Chromium as its file descriptors 3
// and 4 (os/exec cannot pass extra files on Windows).
const pipeSupported = true
