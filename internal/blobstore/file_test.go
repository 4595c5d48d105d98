package blobstore

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/sharedtest"
)

func openFileStore(t testing.TB) Store {
	t.Helper()
	s, err := Open(context.Background(), "file://"+filepath.ToSlash(t.TempDir()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestFileStoreSuite(t *testing.T) {
	t.Parallel()
	runSuite(t, suiteCase{open: openFileStore, outside: []string{
		"file:///etc/passwd", "file://otherhost/tmp/x.har.gz", "s3://bucket/x.har.gz",
	}})
}

func TestFileStoreLeavesNoTempFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s, err := Open(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(context.Background(), "run/ok.har", strings.NewReader("ok"), 2); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(context.Background(), "run/short.har", strings.NewReader("ok"), 5); err == nil {
		t.Fatal("Put of a short reader succeeded")
	}
	if _, err := s.Put(context.Background(), "run/broken.har", io.MultiReader(strings.NewReader("part"), errReader{}), -1); err == nil {
		t.Fatal("Put of a failing reader succeeded")
	}
	var names []string
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, _ error) error {
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			names = append(names, rel)
			fi, _ := d.Info()
			if fi.Mode().Perm() != 0o600 {
				t.Errorf("%s mode %v, want 0600 (HARs carry personal data)", rel, fi.Mode().Perm())
			}
		}
		return nil
	})
	if want := []string{filepath.Join("run", "ok.har.gz")}; strings.Join(names, ",") != strings.Join(want, ",") {
		t.Errorf("files = %v, want %v", names, want)
	}
	raw, _ := os.ReadFile(filepath.Join(dir, "run", "ok.har.gz"))
	if !bytes.HasPrefix(raw, gzipMagic) {
		t.Errorf("stored file is not gzip: % x", raw[:min(len(raw), 8)])
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestOpenURLs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	notDir := filepath.Join(dir, "file")
	if err := os.WriteFile(notDir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		url, wantErr string
	}{
		{dir + "/bare", ""},
		{"file://" + dir + "/url", ""},
		{"file://localhost" + dir + "/local", ""},
		{"", "empty URL"},
		{notDir, "not a directory"},
		{"file://remote.example" + dir, `not host "remote.example"`},
		{"ftp://host/x", `scheme "ftp"`},
		{"s3://AKIA:s3cr3t@bucket/x", "credentials in the URL are refused"},
		{"s3://Bad_Bucket/x", "bucket name"},
		{"s3://bucket/../x", "prefix"},
	} {
		s, err := Open(context.Background(), tc.url, Options{Getenv: func(string) string { return "" }})
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("Open(%q): %v", tc.url, err)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("Open(%q) error = %v, want %q", tc.url, err, tc.wantErr)
		}
		if err != nil && strings.Contains(err.Error(), "s3cr3t") {
			t.Errorf("Open(%q) error shows the secret: %v", tc.url, err)
		}
		if s != nil {
			_ = s.Close()
		}
	}
}

// TestRealHARRoundTrip stores a real capture and reads back the same bytes.
func TestRealHARRoundTrip(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(sharedtest.Path(t, "har", "health-shop-mylabbox.har"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	s := openFileStoreAt(t, dir)
	ref := put(t, s, Key("run-7", "https://www.mylabbox.com/", "site.har"), data)
	if got := get(t, s, ref); !bytes.Equal(got, data) {
		t.Fatalf("round trip changed the HAR: %d bytes, want %d", len(got), len(data))
	}
	var stored int64
	_ = filepath.WalkDir(dir, func(_ string, d os.DirEntry, _ error) error {
		if fi, err := d.Info(); err == nil && !d.IsDir() {
			stored += fi.Size()
		}
		return nil
	})
	t.Logf("%s: %d bytes stored as %d (%.1f%%)", ref, len(data), stored, 100*float64(stored)/float64(len(data)))
	if stored >= int64(len(data))/2 {
		t.Errorf("stored %d bytes of a %d-byte HAR: not compressed", stored, len(data))
	}
}

func openFileStoreAt(t *testing.T, dir string) Store {
	t.Helper()
	s, err := Open(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}
