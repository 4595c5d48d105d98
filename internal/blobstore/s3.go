package blobstore

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"github.com/minio/minio-go/v7/pkg/s3utils"
)

// s3Store keeps objects in bucket under prefix.
type s3Store struct {
	client    *minio.Client
	transport http.RoundTripper
	bucket    string
	prefix    string // "" or a checked key without trailing slash
	tempDir   string
}

func openS3(ctx context.Context, u *url.URL, opts Options) (*s3Store, error) {
	bucket := u.Host
	name := "s3://" + bucket
	if err := s3utils.CheckValidBucketNameStrict(bucket); err != nil {
		return nil, fmt.Errorf("open blob store %s: bucket name: %w", name, err)
	}
	prefix := strings.Trim(u.Path, "/")
	if prefix != "" {
		if err := CheckKey(prefix); err != nil {
			return nil, fmt.Errorf("open blob store %s: prefix: %w", name, err)
		}
	}
	mo, err := s3Options(opts)
	if err != nil {
		return nil, fmt.Errorf("open blob store %s: %w", name, err)
	}
	client, err := minio.New(mo.endpoint, &mo.Options)
	if err != nil {
		return nil, fmt.Errorf("open blob store %s at %s: %w", name, mo.endpoint, err)
	}
	s := &s3Store{client: client, transport: mo.Transport, bucket: bucket, prefix: prefix, tempDir: opts.TempDir}
	ok, err := client.BucketExists(ctx, bucket)
	if err != nil {
		return nil, fmt.Errorf("open blob store %s at %s: %w", name, mo.endpoint, err)
	}
	if !ok {
		return nil, fmt.Errorf("open blob store %s at %s: the bucket does not exist: create it first", name, mo.endpoint)
	}
	return s, nil
}

// s3Config is minio's options and the endpoint they go with.
type s3Config struct {
	minio.Options
	endpoint string
}

// s3Options resolves opts and the environment into the client's settings.
func s3Options(opts Options) (s3Config, error) {
	c := s3Config{endpoint: "s3.amazonaws.com"}
	c.Secure = true
	raw := firstOf(opts.Endpoint, opts.getenv(EnvEndpoint))
	if raw != "" {
		host, secure, err := parseEndpoint(raw)
		if err != nil {
			return c, err
		}
		c.endpoint, c.Secure = host, secure
	}
	c.Region = firstOf(opts.Region, opts.getenv(EnvRegion), opts.getenv("AWS_DEFAULT_REGION"))
	if opts.PathStyle || isTrue(opts.getenv(EnvPathStyle)) {
		c.BucketLookup = minio.BucketLookupPath
	}
	creds, err := s3Credentials(opts)
	if err != nil {
		return c, err
	}
	c.Creds = creds
	c.Transport = opts.Transport
	if c.Transport == nil {
		t, err := minio.DefaultTransport(c.Secure)
		if err != nil {
			return c, fmt.Errorf("transport: %w", err)
		}
		c.Transport = t
	}
	return c, nil
}

// parseEndpoint reads host[:port] (HTTPS) or an http(s):// URL without
// credentials or a path.
func parseEndpoint(raw string) (host string, secure bool, err error) {
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, perr := url.Parse(raw)
	if perr != nil || u.Host == "" {
		return "", false, fmt.Errorf("endpoint %s: want host[:port] or http(s)://host[:port]", redactURL(raw))
	}
	if u.User != nil {
		return "", false, fmt.Errorf("endpoint %s://%s: credentials in the endpoint are refused; use %s and %s",
			u.Scheme, u.Host, EnvAccessKey, EnvSecretKey)
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
		return "", false, fmt.Errorf("endpoint %s://%s: a path or query is not allowed: the bucket goes in the s3:// URL", u.Scheme, u.Host)
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return u.Host, true, nil
	case "http":
		return u.Host, false, nil
	}
	return "", false, fmt.Errorf("endpoint %s://%s: scheme must be http or https", u.Scheme, u.Host)
}

// s3Credentials takes keys from opts, then the environment, then the AWS
// credentials file and the IAM role of the machine or pod.
func s3Credentials(opts Options) (*credentials.Credentials, error) {
	id := firstOf(opts.AccessKeyID, opts.getenv(EnvAccessKey))
	secret := firstOf(opts.SecretAccessKey, opts.getenv(EnvSecretKey))
	token := firstOf(opts.SessionToken, opts.getenv(EnvSession))
	switch {
	case id != "" && secret != "":
		return credentials.NewStaticV4(id, secret, token), nil
	case id != "" || secret != "":
		return nil, fmt.Errorf("credentials: give both %s and %s, or neither", EnvAccessKey, EnvSecretKey)
	}
	return credentials.NewChainCredentials([]credentials.Provider{
		&credentials.FileAWSCredentials{},
		&credentials.IAM{},
	}), nil
}

func firstOf(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

func isTrue(v string) bool {
	switch strings.ToLower(v) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

// Put compresses r into a temporary file first: S3 wants the length of an
// upload before it starts, and a failed read then sends nothing.
func (s *s3Store) Put(ctx context.Context, key string, r io.Reader, size int64) (string, error) {
	sk, err := storedKey(key)
	if err != nil {
		return "", fmt.Errorf("put s3://%s/%s: %w", s.bucket, s.prefix, err)
	}
	obj := path.Join(s.prefix, sk)
	name := "s3://" + s.bucket + "/" + obj
	spool, err := os.CreateTemp(s.tempDir, "leakwatch-blob-*")
	if err != nil {
		return "", fmt.Errorf("put %s: spool: %w", name, err)
	}
	defer func() {
		_ = spool.Close()
		_ = os.Remove(spool.Name())
	}()
	if _, err := writeGzip(ctx, spool, r, size); err != nil {
		return "", fmt.Errorf("put %s: %w", name, err)
	}
	n, err := spool.Seek(0, io.SeekCurrent)
	if err != nil {
		return "", fmt.Errorf("put %s: spool: %w", name, err)
	}
	if _, err := spool.Seek(0, io.SeekStart); err != nil {
		return "", fmt.Errorf("put %s: spool: %w", name, err)
	}
	_, err = s.client.PutObject(ctx, s.bucket, obj, spool, n, minio.PutObjectOptions{ContentType: "application/gzip"})
	if err != nil {
		return "", fmt.Errorf("put %s: %w", name, err)
	}
	return s.ref(obj), nil
}

func (s *s3Store) ref(obj string) string {
	return (&url.URL{Scheme: "s3", Host: s.bucket, Path: "/" + obj}).String()
}

// Get opens an s3:// ref in this store's bucket and prefix. A missing
// object's error wraps fs.ErrNotExist.
func (s *s3Store) Get(ctx context.Context, ref string) (io.ReadCloser, error) {
	obj, err := s.refKey(ref)
	if err != nil {
		return nil, err
	}
	name := "s3://" + s.bucket + "/" + obj
	o, err := s.client.GetObject(ctx, s.bucket, obj, minio.GetObjectOptions{})
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", name, err)
	}
	if _, err := o.Stat(); err != nil {
		_ = o.Close()
		if minio.ToErrorResponse(err).Code == minio.NoSuchKey {
			err = fmt.Errorf("%w (%w)", fs.ErrNotExist, err)
		}
		return nil, fmt.Errorf("get %s: %w", name, err)
	}
	rc, err := newGunzipReader(o)
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", name, err)
	}
	return rc, nil
}

// refKey is the object key a ref names, refused unless it is a stored key
// under this store's bucket and prefix.
func (s *s3Store) refKey(ref string) (string, error) {
	u, err := url.Parse(ref)
	if err != nil || u.Scheme != "s3" || u.User != nil {
		return "", fmt.Errorf("get %q: %w: not an s3:// ref", ref, ErrBadKey)
	}
	if u.Host != s.bucket {
		return "", fmt.Errorf("get %s: %w: not in bucket %s", ref, ErrBadKey, s.bucket)
	}
	obj := strings.TrimPrefix(u.Path, "/")
	rel := obj
	if s.prefix != "" {
		var ok bool
		if rel, ok = strings.CutPrefix(obj, s.prefix+"/"); !ok {
			return "", fmt.Errorf("get %s: %w: not under prefix %s", ref, ErrBadKey, s.prefix)
		}
	}
	if err := CheckKey(rel); err != nil {
		return "", fmt.Errorf("get %s: %w", ref, err)
	}
	if !strings.HasSuffix(rel, gzSuffix) {
		return "", fmt.Errorf("get %s: %w: not a stored object (no %s)", ref, ErrBadKey, gzSuffix)
	}
	return obj, nil
}

// Close drops the store's idle connections.
func (s *s3Store) Close() error {
	if t, ok := s.transport.(interface{ CloseIdleConnections() }); ok {
		t.CloseIdleConnections()
	}
	return nil
}
