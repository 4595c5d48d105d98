package blobstore

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/minio/minio-go/v7"
)

// fakeS3 is an S3 protocol server on loopback HTTP, in this process.
// gofakes3 stands in for MinIO here: it speaks the same S3 REST protocol
// (path-style buckets, SigV4-signed and aws-chunked uploads, XML errors such
// as NoSuchKey and NoSuchBucket), so minio-go talks to it exactly as to
// MinIO, AWS or R2, without a MinIO binary or a network. It does not check
// signatures, so wrong credentials are not tested against it.
type fakeS3 struct {
	backend   *s3mem.Backend
	endpoint  string            // http://127.0.0.1:port, or https:// from startFakeS3TLS
	transport http.RoundTripper // nil, or one trusting the TLS server's certificate
}

func startFakeS3(t testing.TB, buckets ...string) *fakeS3 {
	t.Helper()
	f := &fakeS3{backend: s3mem.New()}
	srv := httptest.NewServer(gofakes3.New(f.backend).Server())
	t.Cleanup(srv.Close)
	f.endpoint = srv.URL
	f.createBuckets(t, buckets)
	return f
}

// startFakeS3TLS serves over HTTPS. minio-go signs uploads over plain HTTP
// with streaming (aws-chunked) signatures, which gofakes3 decodes for a
// single PUT but stores raw for the parts of a multipart upload; over HTTPS
// minio-go sends parts unsigned, as AWS and R2 see them.
func startFakeS3TLS(t testing.TB, buckets ...string) *fakeS3 {
	t.Helper()
	f := &fakeS3{backend: s3mem.New()}
	srv := httptest.NewTLSServer(gofakes3.New(f.backend).Server())
	t.Cleanup(srv.Close)
	f.endpoint, f.transport = srv.URL, srv.Client().Transport
	f.createBuckets(t, buckets)
	return f
}

func (f *fakeS3) createBuckets(t testing.TB, buckets []string) {
	t.Helper()
	for _, b := range buckets {
		if err := f.backend.CreateBucket(b); err != nil {
			t.Fatal(err)
		}
	}
}

// env is an environment as a worker pod would have it.
func (f *fakeS3) env(name string) string {
	return map[string]string{
		EnvEndpoint:  f.endpoint,
		EnvAccessKey: "AKIATESTKEY",
		EnvSecretKey: "s3cr3t-never-shown",
		EnvRegion:    "us-east-1",
	}[name]
}

func (f *fakeS3) open(t testing.TB, url string) Store {
	t.Helper()
	s, err := Open(context.Background(), url, Options{Getenv: f.env, TempDir: t.TempDir(), Transport: f.transport})
	if err != nil {
		t.Fatalf("Open(%q): %v", url, err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestS3StoreSuite(t *testing.T) {
	t.Parallel()
	for _, url := range []string{"s3://hars", "s3://hars/crawls/2026-12"} {
		t.Run(url, func(t *testing.T) {
			t.Parallel()
			f := startFakeS3(t, "hars", "other")
			runSuite(t, suiteCase{
				open: func(t testing.TB) Store { return f.open(t, url) },
				opts: Options{Getenv: f.env},
				outside: []string{
					"s3://other/crawls/2026-12/x.har.gz", "s3://hars/elsewhere/../x.har.gz",
					"s3://key:secret@hars/x.har.gz", "file:///tmp/x.har.gz",
				},
			})
		})
	}
}

func TestS3StoresGzipObjects(t *testing.T) {
	t.Parallel()
	f := startFakeS3(t, "hars")
	s := f.open(t, "s3://hars/run-1")
	ref := put(t, s, "example.com.har", bytes.Repeat([]byte(`{"entries":[]}`), 1000))
	if ref != "s3://hars/run-1/example.com.har.gz" {
		t.Errorf("ref = %q", ref)
	}
	obj, err := f.backend.GetObject("hars", "run-1/example.com.har.gz", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer obj.Contents.Close()
	raw, _ := io.ReadAll(obj.Contents)
	if !bytes.HasPrefix(raw, gzipMagic) || len(raw) > 1000 {
		t.Errorf("stored object: %d bytes starting % x, want a small gzip stream", len(raw), raw[:min(len(raw), 4)])
	}
	if ct := obj.Metadata["Content-Type"]; ct != "application/gzip" {
		t.Errorf("Content-Type = %q", ct)
	}
	// Another process, opening the same URL, reads the ref.
	other := f.open(t, "s3://hars/run-1")
	if got := get(t, other, ref); len(got) != 14000 {
		t.Errorf("another store read %d bytes, want 14000", len(got))
	}
}

func TestS3OpenErrors(t *testing.T) {
	t.Parallel()
	f := startFakeS3(t, "hars")
	env := func(over map[string]string) func(string) string {
		return func(k string) string {
			if v, ok := over[k]; ok {
				return v
			}
			return f.env(k)
		}
	}
	for _, tc := range []struct {
		name, url string
		env       map[string]string
		want      string
	}{
		{"missing bucket", "s3://nosuch/x", nil, "s3://nosuch at 127.0.0.1"},
		{"endpoint with credentials", "s3://hars", map[string]string{EnvEndpoint: "http://AKIA:s3cr3t-never-shown@" + strings.TrimPrefix(f.endpoint, "http://")}, "credentials in the endpoint are refused"},
		{"endpoint with a path", "s3://hars", map[string]string{EnvEndpoint: f.endpoint + "/hars"}, "a path or query is not allowed"},
		{"endpoint scheme", "s3://hars", map[string]string{EnvEndpoint: "ftp://host"}, "scheme must be http or https"},
		{"half the credentials", "s3://hars", map[string]string{EnvAccessKey: ""}, "give both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"},
		{"server down", "s3://hars", map[string]string{EnvEndpoint: "http://127.0.0.1:1"}, "s3://hars at 127.0.0.1:1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			s, err := Open(ctx, tc.url, Options{Getenv: env(tc.env)})
			if err == nil {
				_ = s.Close()
				t.Fatalf("Open(%q) succeeded", tc.url)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "s3cr3t") {
				t.Errorf("error shows the secret key: %v", err)
			}
		})
	}
}

func TestS3Options(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		opts      Options
		env       map[string]string
		endpoint  string
		secure    bool
		pathStyle bool
		region    string
	}{
		{"AWS default", Options{}, nil, "s3.amazonaws.com", true, false, ""},
		{"env endpoint http", Options{}, map[string]string{EnvEndpoint: "http://minio:9000", EnvRegion: "eu-west-1"}, "minio:9000", false, false, "eu-west-1"},
		{"bare host is https", Options{}, map[string]string{EnvEndpoint: "account.r2.cloudflarestorage.com"}, "account.r2.cloudflarestorage.com", true, false, ""},
		{"options win over env", Options{Endpoint: "https://s3.example:8443", Region: "auto", PathStyle: true}, map[string]string{EnvEndpoint: "http://minio:9000", EnvRegion: "x"}, "s3.example:8443", true, true, "auto"},
		{"path style from env", Options{}, map[string]string{EnvPathStyle: "true"}, "s3.amazonaws.com", true, true, ""},
		{"default region env", Options{}, map[string]string{"AWS_DEFAULT_REGION": "us-west-2"}, "s3.amazonaws.com", true, false, "us-west-2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.opts.Getenv = func(k string) string { return tc.env[k] }
			c, err := s3Options(tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if c.endpoint != tc.endpoint || c.Secure != tc.secure || c.Region != tc.region {
				t.Errorf("got %s secure=%v region=%q, want %s secure=%v region=%q", c.endpoint, c.Secure, c.Region, tc.endpoint, tc.secure, tc.region)
			}
			if (c.BucketLookup == minio.BucketLookupPath) != tc.pathStyle {
				t.Errorf("bucket lookup = %v, want path style %v", c.BucketLookup, tc.pathStyle)
			}
		})
	}
}

// TestS3LargeObject sends an incompressible 40 MB object, which minio-go
// uploads in parts, over HTTPS (see startFakeS3TLS), and reads it back.
func TestS3LargeObject(t *testing.T) {
	if testing.Short() {
		t.Skip("40 MB upload: not in -short")
	}
	t.Parallel()
	f := startFakeS3TLS(t, "hars")
	s := f.open(t, "s3://hars/big")
	data := make([]byte, 40<<20)
	_, _ = rand.NewChaCha8([32]byte{1}).Read(data)
	ref := put(t, s, "big.har", data)
	if got := get(t, s, ref); !bytes.Equal(got, data) {
		t.Fatalf("read back %d bytes, not the %d put", len(got), len(data))
	}
}
