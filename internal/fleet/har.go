package fleet

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strconv"
	"strings"

	"github.com/leakwatch/leakwatch/internal/blobstore"
)

// HARSink keeps the HAR of a site's capture and returns where it went
// (stored as the result's HARRef).
type HARSink interface {
	PutHAR(ctx context.Context, runID int64, site string, har []byte) (ref string, err error)
}

// BlobSink puts HARs in a blob store (a directory or an S3-compatible
// bucket), one folder per run: run-<id>/<host>-<hash>.har(.gz), the hash
// telling apart the URLs of one host. The store compresses and writes
// atomically, so a reader never sees half a HAR and a retried site simply
// replaces its earlier one.
type BlobSink struct{ Store blobstore.Store }

// PutHAR stores the HAR under the site's key.
func (s BlobSink) PutHAR(ctx context.Context, runID int64, site string, har []byte) (string, error) {
	return s.Store.Put(ctx, harKey(runID, site), bytes.NewReader(har), int64(len(har)))
}

// harKey is run-<id>/<host>-<first 8 hex of the site's SHA-256>.har.
func harKey(runID int64, site string) string {
	host := "site"
	if u, err := url.Parse(site); err == nil && u.Hostname() != "" {
		host = strings.ToLower(u.Hostname())
	}
	sum := sha256.Sum256([]byte(site))
	return blobstore.Key("run-"+strconv.FormatInt(runID, 10), host+"-"+hex.EncodeToString(sum[:4])+".har")
}
