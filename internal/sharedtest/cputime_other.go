//go:build !unix

package sharedtest

import "time"

// CPUTime falls back to wall time where rusage is not available; only
// differences of two readings mean anything.
func CPUTime() time.Duration { return time.Duration(time.Now().UnixNano()) }
