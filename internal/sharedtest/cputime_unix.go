//go:build unix

package sharedtest

import (
	"syscall"
	"time"
)

// CPUTime is the CPU time (user and system) the process has used, for
// benchmarks and time bounds: on a machine shared with other work, wall
// time says as much about the neighbours as about the code. Only
// differences of two readings mean anything.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return time.Duration(time.Now().UnixNano())
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
