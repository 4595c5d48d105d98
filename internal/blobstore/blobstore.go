package blobstore

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Environment variables an s3:// store reads when Options leaves a field empty.
const (
	EnvEndpoint  = "LEAKWATCH_S3_ENDPOINT"   // host[:port] or http(s)://host[:port]
	EnvPathStyle = "LEAKWATCH_S3_PATH_STYLE" // "true" forces path-style bucket addressing
	EnvAccessKey = "AWS_ACCESS_KEY_ID"
	EnvSecretKey = "AWS_SECRET_ACCESS_KEY"
	EnvSession   = "AWS_SESSION_TOKEN"
	EnvRegion    = "AWS_REGION"
)

// Store keeps compressed HARs under keys.
type Store interface {
	// Put stores r (size bytes, or -1 when unknown) gzip-compressed under
	// key (see CheckKey; ".gz" is appended when missing), replacing what
	// the key held: a retried site overwrites its earlier attempt. A reader
	// that is gzip already is stored as it is. The object appears whole or
	// not at all. ref is a URL that Get of a store opened on the same URL
	// reads back.
	Put(ctx context.Context, key string, r io.Reader, size int64) (ref string, err error)
	// Get opens the object ref names, decompressed. ref must name an object
	// inside this store. The caller closes the reader.
	Get(ctx context.Context, ref string) (io.ReadCloser, error)
	// Close releases the store's connections.
	Close() error
}

// Options configure Open. The zero value works: S3 settings come from the
// environment.
type Options struct {
	// Endpoint of an S3-compatible server: host[:port] (HTTPS) or a URL
	// with http:// or https://. Empty: $LEAKWATCH_S3_ENDPOINT, then AWS
	// (s3.amazonaws.com).
	Endpoint string
	// Region of the bucket. Empty: $AWS_REGION, then asked of the server.
	Region string
	// AccessKeyID, SecretAccessKey and SessionToken sign requests. Empty:
	// $AWS_ACCESS_KEY_ID, $AWS_SECRET_ACCESS_KEY and $AWS_SESSION_TOKEN,
	// then ~/.aws/credentials, then the instance's or pod's IAM role.
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	// PathStyle addresses the bucket in the path (endpoint/bucket/key), as
	// MinIO and most self-hosted servers want; otherwise the client picks
	// virtual-host style for AWS and path style elsewhere. Also set by
	// $LEAKWATCH_S3_PATH_STYLE=true.
	PathStyle bool
	// Transport carries S3 requests (tests, proxies). Nil: a default one.
	Transport http.RoundTripper
	// TempDir holds the compressed upload before it is sent to S3. Empty:
	// the system's temporary folder.
	TempDir string
	// Getenv reads the environment. Nil: os.Getenv.
	Getenv func(string) string
}

func (o Options) getenv(name string) string {
	if o.Getenv != nil {
		return o.Getenv(name)
	}
	return os.Getenv(name)
}

// Open opens the store rawURL names: file:///dir or a bare path for a
// directory (created when missing), s3://bucket/prefix for a bucket (which
// must exist). rawURL carries no credentials: they come from opts or the
// environment.
func Open(ctx context.Context, rawURL string, opts Options) (Store, error) {
	scheme, _, found := strings.Cut(rawURL, "://")
	if !found {
		if rawURL == "" {
			return nil, fmt.Errorf("open blob store: empty URL: want file:///dir, a path, or s3://bucket/prefix")
		}
		return asStore(openFile(rawURL))
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("open blob store %s: not a URL", redactURL(rawURL))
	}
	if u.User != nil {
		return nil, fmt.Errorf("open blob store %s://%s: credentials in the URL are refused; use the environment (%s, %s)",
			scheme, u.Host, EnvAccessKey, EnvSecretKey)
	}
	switch strings.ToLower(u.Scheme) {
	case "file":
		if u.Host != "" && u.Host != "localhost" {
			return nil, fmt.Errorf("open blob store %s: file URLs name a local path (file:///dir), not host %q", rawURL, u.Host)
		}
		return asStore(openFile(u.Path))
	case "s3":
		return asStore(openS3(ctx, u, opts))
	}
	return nil, fmt.Errorf("open blob store: scheme %q: want file:///dir, a path, or s3://bucket/prefix", scheme)
}

// asStore keeps a failed open from returning a non-nil Store holding a nil
// pointer.
func asStore[S Store](s S, err error) (Store, error) {
	if err != nil {
		return nil, err
	}
	return s, nil
}

// redactURL keeps a URL's scheme and nothing after it, for messages about
// URLs that could not be parsed and may carry a secret.
func redactURL(raw string) string {
	scheme, _, _ := strings.Cut(raw, "://")
	return scheme + "://…"
}

// fileRoot turns a directory into the absolute, cleaned root of a file store.
func fileRoot(dir string) (string, error) {
	if dir == "" {
		return "", fmt.Errorf("open blob store: empty directory")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("open blob store %s: %w", dir, err)
	}
	return abs, nil
}

// StoreURL is the URL of a store that can Get ref, for a process that has a
// ref (from a crawl's results) but not the URL it was put with: the bucket
// of an s3:// ref, the folder of a file:// ref.
func StoreURL(ref string) (string, error) {
	u, err := url.Parse(ref)
	if err != nil || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("store of ref %q: %w: not a blob ref", ref, ErrBadKey)
	}
	switch {
	case u.Scheme == "s3" && u.Host != "" && len(u.Path) > 1:
		return "s3://" + u.Host, nil
	case u.Scheme == "file" && (u.Host == "" || u.Host == "localhost") && strings.HasSuffix(u.Path, gzSuffix):
		return (&url.URL{Scheme: "file", Path: path.Dir(u.Path)}).String(), nil
	}
	return "", fmt.Errorf("store of ref %q: %w: want s3://bucket/key.gz or file:///path.gz", ref, ErrBadKey)
}
