package browser

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// prepareDirs creates the run's temporary folder: Chromium's own $TMPDIR
// and, unless Options.ProfileDir is given, its user-data-dir. Everything
// Chromium writes outside a given profile lands in it, and Close removes it.
func (b *Browser) prepareDirs() error {
	sweep(os.TempDir())
	dir, err := os.MkdirTemp("", runPrefix)
	if err != nil {
		return fmt.Errorf("create temporary folder: %w", err)
	}
	b.tmpDir = dir
	if b.lock, err = lockRun(dir); err != nil {
		return fmt.Errorf("lock temporary folder: %w", err)
	}
	b.childTmp = filepath.Join(dir, "tmp")
	if runtime.GOOS != "windows" && len(b.childTmp)+len(socketSuffix) > maxSocketPath {
		// Chromium exits when its singleton socket's path does not fit:
		// give it a short folder of its own.
		if b.childTmp, err = os.MkdirTemp(shortTemp, "lw-"); err != nil {
			return fmt.Errorf("create temporary folder: %w", err)
		}
		b.extraTmp = b.childTmp
	} else if err := os.Mkdir(b.childTmp, 0o700); err != nil {
		return fmt.Errorf("create temporary folder: %w", err)
	}
	b.dataDir = b.opts.ProfileDir
	if b.dataDir == "" {
		b.dataDir = filepath.Join(dir, "profile")
	}
	return nil
}

// Chromium creates $TMPDIR/org.chromium.Chromium.XXXXXX/SingletonSocket, a
// Unix socket, whose path may hold at most 104 bytes on macOS, 108 on Linux.
const (
	socketSuffix  = "/org.chromium.Chromium.XXXXXX/SingletonSocket"
	maxSocketPath = 103
	shortTemp     = "/tmp"
)

// runPrefix starts the name of every run's temporary folder.
const runPrefix = "leakwatch-chromium-"

// sweep removes the temporary folders of runs that died without cleaning up
// (see lockRun), and kills what they left running.
func sweep(tmp string) {
	dirs, _ := filepath.Glob(filepath.Join(tmp, runPrefix+"*"))
	for _, dir := range dirs {
		if !abandoned(dir) {
			continue
		}
		killByCmdline("--user-data-dir=" + filepath.Join(dir, "profile"))
		_ = os.RemoveAll(dir)
	}
}

// removeTemp removes the run's temporary folders, then gives up its lock.
func (b *Browser) removeTemp() error {
	defer func() {
		if b.lock != nil {
			b.lock.Close()
		}
	}()
	var errs []error
	for _, dir := range []string{b.tmpDir, b.extraTmp} {
		if dir == "" {
			continue
		}
		if err := removeAllRetry(dir); err != nil {
			errs = append(errs, fmt.Errorf("remove temporary folder: %w", err))
		}
	}
	return errors.Join(errs...)
}

// tempVars are the environment variables naming the temporary folder
// (TMPDIR on Unix, TMP and TEMP on Windows).
var tempVars = []string{"TMPDIR", "TMP", "TEMP"}

// homeVars name the folders, below the temporary one, that stand in for
// the user's: Chromium keeps crash reports (which may hold the scanned
// pages' memory) in $XDG_CONFIG_HOME/chromium even with a user-data-dir,
// and dconf a cache in $XDG_CACHE_HOME.
var homeVars = []struct{ name, dir string }{{"XDG_CONFIG_HOME", "config"}, {"XDG_CACHE_HOME", "cache"}}

// childEnv is environ with the temporary folder variables pointing at tmp,
// and the per-user configuration and cache folders inside it.
func childEnv(environ []string, tmp string) []string {
	out := make([]string, 0, len(environ)+len(tempVars)+len(homeVars))
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if !isTempVar(name) {
			out = append(out, kv)
		}
	}
	for _, v := range tempVars {
		out = append(out, v+"="+tmp)
	}
	for _, v := range homeVars {
		out = append(out, v.name+"="+filepath.Join(tmp, v.dir))
	}
	return out
}

func isTempVar(name string) bool {
	for _, v := range tempVars {
		if name == v || runtime.GOOS == "windows" && strings.EqualFold(name, v) {
			return true
		}
	}
	for _, v := range homeVars {
		if name == v.name {
			return true
		}
	}
	return false
}

// hasExited reports whether the Chromium process has exited.
func (b *Browser) hasExited() bool {
	select {
	case <-b.exited:
		return true
	default:
		return false
	}
}

// removeAllRetry retries because a dying Chromium may still write files.
func removeAllRetry(dir string) error {
	var err error
	for i := 0; i < 5; i++ {
		if err = os.RemoveAll(dir); err == nil {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return err
}
