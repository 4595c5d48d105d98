//go:build !unix

package browser

import "os"

// lockRun has no lock to take where there is no flock: folders of runs
// that died are not swept there.
func lockRun(string) (*os.File, error) { return nil, nil }

func abandoned(string) bool { return false }
