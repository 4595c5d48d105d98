//go:build unix

package browser

import (
	"os"
	"path/filepath"
	"testing"
)

// TestSweep: the folder of a run that died goes at the next launch; those of
// live runs and of other programs stay.
func TestSweep(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	mk := func(name string) string {
		dir := filepath.Join(tmp, name)
		if err := os.MkdirAll(filepath.Join(dir, "profile"), 0o700); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	live, dead, foreign, other := mk(runPrefix+"1"), mk(runPrefix+"2"), mk(runPrefix+"3"), mk("chromium-4")
	f, err := lockRun(live)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	g, err := lockRun(dead)
	if err != nil {
		t.Fatal(err)
	}
	if abandoned(dead) || abandoned(live) {
		t.Fatal("a locked folder is taken for abandoned")
	}
	g.Close() // its run died
	if err := os.WriteFile(filepath.Join(other, lockName), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	sweep(tmp)
	for dir, want := range map[string]bool{live: true, dead: false, foreign: true, other: true} {
		if _, err := os.Stat(dir); (err == nil) != want {
			t.Errorf("%s kept = %v, want %v", filepath.Base(dir), err == nil, want)
		}
	}
}
