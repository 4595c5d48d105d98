//go:build !linux

package browser

// probeSandbox: on macOS and Windows Chromium's sandbox needs nothing of
// the machine, and Chromium does not refuse it to an administrator.
func probeSandbox(string) sandboxHost { return sandboxHost{} }
