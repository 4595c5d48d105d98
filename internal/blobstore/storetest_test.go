package blobstore

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"io/fs"
	"strings"
	"sync"
	"testing"
)

// suiteCase is one store under the shared suite: how to open it, and refs
// that name something outside it.
type suiteCase struct {
	open    func(t testing.TB) Store
	opts    Options // how StoreURL's store is opened
	outside []string
}

// runSuite runs what every Store must do, whatever keeps the bytes.
func runSuite(t *testing.T, sc suiteCase) {
	t.Helper()
	tests := []struct {
		name string
		run  func(t *testing.T, s Store)
	}{
		{"RoundTrip", suiteRoundTrip},
		{"GzipInputStoredOnce", suiteGzipInput},
		{"OverwriteSameKey", suiteOverwrite},
		{"ConcurrentPutsSameKey", suiteConcurrent},
		{"BadKeys", suiteBadKeys},
		{"SizeMismatchStoresNothing", suiteSizeMismatch},
		{"CancelledContext", suiteCancelled},
		{"MissingObject", suiteMissing},
		{"RefsOutsideRefused", func(t *testing.T, s Store) { suiteOutside(t, s, sc.outside) }},
		{"StoreURL", func(t *testing.T, s Store) { suiteStoreURL(t, s, sc.opts) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := sc.open(t)
			tt.run(t, s)
		})
	}
}

func put(t *testing.T, s Store, key string, data []byte) string {
	t.Helper()
	ref, err := s.Put(context.Background(), key, bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("Put(%q): %v", key, err)
	}
	return ref
}

func get(t *testing.T, s Store, ref string) []byte {
	t.Helper()
	rc, err := s.Get(context.Background(), ref)
	if err != nil {
		t.Fatalf("Get(%q): %v", ref, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("read %q: %v", ref, err)
	}
	return b
}

func suiteRoundTrip(t *testing.T, s Store) {
	for _, tc := range []struct {
		key  string
		data []byte
		ref  string // suffix the ref ends with
	}{
		{"run-1/example.com.har", []byte(`{"log":{"entries":[]}}`), "/run-1/example.com.har.gz"},
		{"run-1/empty.har", nil, "/run-1/empty.har.gz"},
		{"already.har.gz", []byte("plain"), "/already.har.gz"},
		{"run 2/ü%ber.har", bytes.Repeat([]byte("x"), 1<<20), "/run%202/%C3%BC%25ber.har.gz"},
	} {
		ref := put(t, s, tc.key, tc.data)
		if !strings.HasSuffix(ref, tc.ref) {
			t.Errorf("Put(%q) ref = %q, want it to end %q", tc.key, ref, tc.ref)
		}
		if got := get(t, s, ref); !bytes.Equal(got, tc.data) {
			t.Errorf("Get(%q) = %d bytes, want %d", ref, len(got), len(tc.data))
		}
	}
}

func suiteGzipInput(t *testing.T, s Store) {
	var zb bytes.Buffer
	zw := gzip.NewWriter(&zb)
	_, _ = zw.Write([]byte(`{"log":{}}`))
	_ = zw.Close()
	ref := put(t, s, "site.har.gz", zb.Bytes())
	if got := string(get(t, s, ref)); got != `{"log":{}}` {
		t.Errorf("Get of a gzip input = %q, want the HAR inside it", got)
	}
}

func suiteOverwrite(t *testing.T, s Store) {
	first := put(t, s, "run/site.har", []byte("first attempt"))
	second := put(t, s, "run/site.har", []byte("retry"))
	if first != second {
		t.Errorf("refs differ for one key: %q, %q", first, second)
	}
	if got := string(get(t, s, second)); got != "retry" {
		t.Errorf("after overwrite Get = %q, want %q", got, "retry")
	}
}

func suiteConcurrent(t *testing.T, s Store) {
	bodies := [][]byte{bytes.Repeat([]byte("a"), 300<<10), bytes.Repeat([]byte("b"), 200<<10), []byte("c")}
	var wg sync.WaitGroup
	refs := make([]string, len(bodies))
	for i, b := range bodies {
		wg.Go(func() { refs[i] = put(t, s, "run/racy.har", b) })
	}
	wg.Wait()
	got := get(t, s, refs[0])
	whole := false
	for _, b := range bodies {
		whole = whole || bytes.Equal(got, b)
	}
	if !whole {
		t.Errorf("after concurrent puts Get = %d bytes, not one whole attempt", len(got))
	}
}

func suiteBadKeys(t *testing.T, s Store) {
	// The last one is too long only once ".gz" is added.
	for _, key := range append(badKeys, strings.Repeat("s", 253)+".h") {
		_, err := s.Put(context.Background(), key, strings.NewReader("x"), 1)
		if !errors.Is(err, ErrBadKey) {
			t.Errorf("Put(%q) error = %v, want ErrBadKey", key, err)
		}
	}
}

func suiteSizeMismatch(t *testing.T, s Store) {
	for _, size := range []int64{10, 2} {
		_, err := s.Put(context.Background(), "short.har", strings.NewReader("12345"), size)
		if err == nil || !strings.Contains(err.Error(), "short.har") {
			t.Errorf("Put of 5 bytes as %d: error = %v, want one naming the key", size, err)
		}
	}
	ref := put(t, s, "probe.har", []byte("p"))
	missing := strings.Replace(ref, "probe.har", "short.har", 1)
	if _, err := s.Get(context.Background(), missing); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Get after a failed Put: error = %v, want fs.ErrNotExist", err)
	}
}

func suiteCancelled(t *testing.T, s Store) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Put(ctx, "c.har", strings.NewReader("x"), 1); !errors.Is(err, context.Canceled) {
		t.Errorf("Put with a cancelled context: error = %v, want context.Canceled", err)
	}
}

func suiteMissing(t *testing.T, s Store) {
	ref := put(t, s, "there.har", []byte("x"))
	missing := strings.Replace(ref, "there.har", "nowhere.har", 1)
	_, err := s.Get(context.Background(), missing)
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "nowhere.har.gz") {
		t.Errorf("Get(%q) error = %v, want fs.ErrNotExist naming the key", missing, err)
	}
}

func suiteOutside(t *testing.T, s Store, outside []string) {
	ref := put(t, s, "inside.har", []byte("x"))
	refs := append([]string{
		strings.Replace(ref, "inside.har.gz", "../inside.har.gz", 1),
		strings.Replace(ref, "inside.har.gz", "inside.har", 1),
		strings.Replace(ref, "inside.har.gz", ".tmp-1/inside.har.gz", 1),
		"http://example.com/inside.har.gz",
		"inside.har.gz",
		"",
	}, outside...)
	for _, r := range refs {
		if _, err := s.Get(context.Background(), r); !errors.Is(err, ErrBadKey) {
			t.Errorf("Get(%q) error = %v, want ErrBadKey", r, err)
		}
	}
}

// badKeys are keys no store may accept.
var badKeys = []string{
	"", "/abs.har", "../up.har", "a/../../up.har", "a/./b.har", "a//b.har", "a/", ".hidden.har",
	"a/.tmp-x", `a\b.har`, "nul\x00.har", "line\nbreak.har", "del\x7f.har", "c1\u0085.har",
	"bad\xffutf8.har", strings.Repeat("k", 1025), strings.Repeat("s", 256) + "/x.har",
}

// suiteStoreURL: a store opened on StoreURL(ref) reads the ref.
func suiteStoreURL(t *testing.T, s Store, opts Options) {
	ref := put(t, s, "run-3/nested/site.har", []byte("found"))
	u, err := StoreURL(ref)
	if err != nil {
		t.Fatal(err)
	}
	other, err := Open(context.Background(), u, opts)
	if err != nil {
		t.Fatalf("Open(StoreURL(%q) = %q): %v", ref, u, err)
	}
	defer other.Close()
	if got := string(get(t, other, ref)); got != "found" {
		t.Errorf("Get through StoreURL = %q", got)
	}
}
