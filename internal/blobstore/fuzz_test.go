package blobstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func TestKey(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		parts []string
		want  string
	}{
		{[]string{"run-12", "example.com", "site.har"}, "run-12/example.com/site.har"},
		{[]string{"run", "https://shop.example/a?b=c"}, "run/https%3A%2F%2Fshop.example%2Fa%3Fb%3Dc"},
		{[]string{"..", ".", ".hidden", "a.b"}, "%2E./%2E/%2Ehidden/a.b"},
		{[]string{"", "x", ""}, "x"},
		{[]string{"a/b", `c\d`, "e\x00f", "100%"}, "a%2Fb/c%5Cd/e%00f/100%25"},
		{[]string{"bücher.de"}, "b%C3%BCcher.de"},
		{[]string{strings.Repeat("a", 198) + "%"}, strings.Repeat("a", 183) + "~" + longHash},
		{[]string{strings.Repeat("a", 182) + "%%%%%%%"}, strings.Repeat("a", 182) + "~" + hash8(strings.Repeat("a", 182)+"%%%%%%%")},
	} {
		got := Key(tc.parts...)
		if got != tc.want {
			t.Errorf("Key(%q) = %q, want %q", tc.parts, got, tc.want)
		}
		if err := CheckKey(got); err != nil {
			t.Errorf("Key(%q) = %q, refused: %v", tc.parts, got, err)
		}
	}
	if Key("a/b") == Key("a", "b") {
		t.Error(`Key("a/b") collides with Key("a", "b")`)
	}
}

func TestCheckKey(t *testing.T) {
	t.Parallel()
	for _, k := range badKeys {
		if err := CheckKey(k); !errors.Is(err, ErrBadKey) {
			t.Errorf("CheckKey(%q) = %v, want ErrBadKey", k, err)
		}
	}
	for _, k := range []string{"a", "run-1/site.har", "x/y/z.har.gz", "dir.with.dots/ü", "a..b", strings.Repeat("k", 252)} {
		if err := CheckKey(k); err != nil {
			t.Errorf("CheckKey(%q) = %v, want nil", k, err)
		}
	}
}

var longHash = hash8(strings.Repeat("a", 198) + "%")

func hash8(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:8])
}

func TestStoreURLRefused(t *testing.T) {
	t.Parallel()
	for _, ref := range []string{"", "x.gz", "s3://", "s3://b", "s3://b/", "s3://k:s@b/x.gz", "file:///x.har",
		"file://host/x.gz", "http://h/x.gz", "s3://b/x.gz?versionId=1", "%zz"} {
		if u, err := StoreURL(ref); !errors.Is(err, ErrBadKey) {
			t.Errorf("StoreURL(%q) = %q, %v; want ErrBadKey", ref, u, err)
		}
	}
}

// FuzzKey: whatever the parts, Key makes a key that CheckKey accepts and
// that stays inside a file store's root.
func FuzzKey(f *testing.F) {
	for _, s := range []string{"example.com", "../..", ".x", "a/b\\c", "\x00\x7f\xff", "%2e%2e", ""} {
		f.Add(s, "site.har")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		k := Key(a, b)
		if k == "" {
			return
		}
		if _, err := storedKey(k); err != nil && len(k)+len(gzSuffix) <= maxKeyLen {
			t.Fatalf("Key(%q, %q) = %q, refused: %v", a, b, k, err)
		}
		if !filepath.IsLocal(filepath.FromSlash(k)) {
			t.Fatalf("Key(%q, %q) = %q escapes its root", a, b, k)
		}
	})
}

// FuzzGetRef: no ref, however made, reads outside a file store's root or
// panics.
func FuzzGetRef(f *testing.F) {
	for _, s := range []string{"file:///etc/passwd", "file:///ROOT/../x.gz", "file:///ROOT/a/%2e%2e/x.gz", "file://h/ROOT/x.gz", "s3://b/k.gz", "%zz"} {
		f.Add(s)
	}
	root := f.TempDir()
	s, err := Open(context.Background(), root, Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, ref string) {
		ref = strings.ReplaceAll(ref, "ROOT", strings.TrimPrefix(filepath.ToSlash(root), "/"))
		path, err := s.(*fileStore).refPath(ref)
		if err != nil {
			return
		}
		rel, rerr := filepath.Rel(root, path)
		if rerr != nil || !filepath.IsLocal(rel) || !strings.HasSuffix(path, gzSuffix) {
			t.Fatalf("ref %q reads %s, outside %s", ref, path, root)
		}
	})
}
