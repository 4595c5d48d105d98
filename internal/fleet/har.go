package fleet

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
)

// HARSink keeps the HAR of a site's capture and returns where it went
// (stored as the result's HARRef). Object storage implements it too.
type HARSink interface {
	PutHAR(ctx context.Context, runID int64, site string, har []byte) (ref string, err error)
}

// DirSink writes HARs gzipped under a directory, one folder per run:
// DIR/run-<id>/<host>-<hash>.har.gz, the hash telling apart the URLs of
// one host.
type DirSink struct{ Dir string }

var unsafeName = regexp.MustCompile(`[^a-z0-9.-]+`)

// PutHAR writes the file atomically (a temporary file renamed), so a
// reader never sees half a HAR and a retry simply replaces it.
func (d DirSink) PutHAR(ctx context.Context, runID int64, site string, har []byte) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	host := "site"
	if u, err := url.Parse(site); err == nil && u.Hostname() != "" {
		host = unsafeName.ReplaceAllString(u.Hostname(), "_")
	}
	sum := sha256.Sum256([]byte(site))
	dir := filepath.Join(d.Dir, "run-"+strconv.FormatInt(runID, 10))
	path := filepath.Join(dir, host+"-"+hex.EncodeToString(sum[:4])+".har.gz")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("HAR directory: %w", err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(har); err != nil {
		return "", fmt.Errorf("compress HAR: %w", err)
	}
	if err := zw.Close(); err != nil {
		return "", fmt.Errorf("compress HAR: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".har-*")
	if err != nil {
		return "", fmt.Errorf("write HAR: %w", err)
	}
	_, werr := tmp.Write(buf.Bytes())
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), path)
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("write HAR %s: %w", path, werr)
	}
	return path, nil
}
