package evidence

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestVerifyDirLinks: in an unpacked bundle, a listed file replaced by a
// symbolic link (even to a file with the right content, outside the
// folder) is changed, and an extra link is named, never followed.
func TestVerifyDirLinks(t *testing.T) {
	t.Parallel()
	orig := readZip(t, writeSample(t))
	outside := filepath.Join(t.TempDir(), "report.json")
	if err := os.WriteFile(outside, find(orig, ReportName), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		link string // the name inside the bundle replaced or added as a link
		kind string
	}{
		{"listed file is a link", ReportName, Changed},
		{"extra link", "notes.txt", Extra},
		{"manifest digest is a link", DigestName, Changed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := writeDir(t, orig)
			p := filepath.Join(dir, tc.link)
			os.Remove(p)
			if err := os.Symlink(outside, p); err != nil {
				t.Skipf("no symbolic links here: %v", err)
			}
			res, err := Verify(context.Background(), dir, VerifyOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if !hasProblem(res, tc.link, tc.kind) || !strings.Contains(problemText(res, tc.link), "symbolic link") {
				t.Errorf("want %s %s naming the link, got %v", tc.link, tc.kind, res.Problems)
			}
		})
	}
}

func problemText(res *Result, name string) string {
	var b strings.Builder
	for _, p := range res.Problems {
		if p.Name == name {
			b.WriteString(p.String())
		}
	}
	return b.String()
}

func TestVerifyDirBounds(t *testing.T) {
	t.Parallel()
	dir := writeDir(t, readZip(t, writeSample(t)))
	if _, err := Verify(context.Background(), dir, VerifyOptions{MaxTotal: 100}); err == nil || !strings.Contains(err.Error(), "budget") {
		t.Errorf("over budget: %v", err)
	}
	if _, err := Verify(context.Background(), t.TempDir(), VerifyOptions{}); err == nil || !strings.Contains(err.Error(), "not an evidence bundle") {
		t.Errorf("empty folder: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Verify(ctx, dir, VerifyOptions{}); err == nil || !strings.Contains(err.Error(), "verify stopped") {
		t.Errorf("cancelled: %v", err)
	}
}
