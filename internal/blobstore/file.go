package blobstore

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// fileStore keeps objects as files under root, which holds personal data:
// folders are 0700 and files 0600.
type fileStore struct {
	root string
}

func openFile(dir string) (*fileStore, error) {
	root, err := fileRoot(dir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(root, 0o700); err != nil {
		return nil, fmt.Errorf("open blob store %s: %w", root, err)
	}
	fi, err := os.Stat(root)
	if err != nil {
		return nil, fmt.Errorf("open blob store %s: %w", root, err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("open blob store %s: not a directory", root)
	}
	return &fileStore{root: root}, nil
}

// Put writes the object to a temporary file beside its final name, syncs it
// and renames it over the name: readers see the old object or the new one,
// never a part, and a crash leaves at most a .tmp- file behind.
func (s *fileStore) Put(ctx context.Context, key string, r io.Reader, size int64) (string, error) {
	sk, err := storedKey(key)
	if err != nil {
		return "", fmt.Errorf("put %s: %w", s.root, err)
	}
	path := filepath.Join(s.root, filepath.FromSlash(sk))
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("put %s: %w", path, err)
	}
	tmp, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return "", fmt.Errorf("put %s: %w", path, err)
	}
	renamed := false
	defer func() {
		if !renamed {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if _, err := writeGzip(ctx, tmp, r, size); err != nil {
		return "", fmt.Errorf("put %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return "", fmt.Errorf("put %s: sync: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("put %s: close: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", fmt.Errorf("put %s: %w", path, err)
	}
	renamed = true
	syncDir(dir)
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String(), nil
}

// syncDir makes a rename in dir durable. Not every file system can sync a
// folder; the object is in place either way.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}

// Get opens a file:// ref inside the store's root.
func (s *fileStore) Get(ctx context.Context, ref string) (io.ReadCloser, error) {
	path, err := s.refPath(ref)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("get %s: %w", path, err)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", path, err)
	}
	rc, err := newGunzipReader(f)
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", path, err)
	}
	return rc, nil
}

// refPath is the file a ref names, refused unless it is an object key
// under the root.
func (s *fileStore) refPath(ref string) (string, error) {
	u, err := url.Parse(ref)
	if err != nil || u.Scheme != "file" || (u.Host != "" && u.Host != "localhost") || u.User != nil {
		return "", fmt.Errorf("get %q: %w: not a file:/// ref", ref, ErrBadKey)
	}
	path := filepath.FromSlash(u.Path)
	rel, err := filepath.Rel(s.root, path)
	if err != nil || !filepath.IsLocal(rel) {
		return "", fmt.Errorf("get %s: %w: outside the store %s", u.Path, ErrBadKey, s.root)
	}
	key := filepath.ToSlash(rel)
	if err := CheckKey(key); err != nil {
		return "", fmt.Errorf("get %s: %w", u.Path, err)
	}
	if !strings.HasSuffix(key, gzSuffix) {
		return "", fmt.Errorf("get %s: %w: not a stored object (no %s)", u.Path, ErrBadKey, gzSuffix)
	}
	return filepath.Join(s.root, rel), nil
}

// Close does nothing: a file store holds nothing open.
func (s *fileStore) Close() error { return nil }
