//go:build unix

package browser

import (
	"os"
	"path/filepath"
	"syscall"
)

// lockName is the file in a run's temporary folder that its leakwatch
// holds locked while it runs: a folder whose lock can be taken belongs to
// a run that died without cleaning up (a second Ctrl-C, SIGKILL, a power
// cut).
const lockName = "leakwatch.lock"

// lockRun creates and locks dir's lock file; the lock lasts until the file
// is closed or the process ends. The file is locked before it takes its
// name, so a sweep never sees it unlocked.
func lockRun(dir string) (*os.File, error) {
	tmp := filepath.Join(dir, lockName+".new")
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dir, lockName))
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// abandoned reports whether dir is the folder of a run that died: it has a
// lock file nobody holds. Folders without one (another program's, an older
// leakwatch's) are never taken for abandoned.
func abandoned(dir string) bool {
	f, err := os.OpenFile(filepath.Join(dir, lockName), os.O_RDWR, 0)
	if err != nil {
		return false
	}
	defer f.Close()
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil
}
