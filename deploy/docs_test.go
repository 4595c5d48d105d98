package deploy

import (
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/blobstore"
)

// TestDocs: docs/deploy.md documents every S3 setting the code reads, and
// the README links it.
func TestDocs(t *testing.T) {
	t.Parallel()
	doc := string(readFile(t, "docs", "deploy.md"))
	for _, env := range []string{blobstore.EnvEndpoint, blobstore.EnvPathStyle, blobstore.EnvAccessKey,
		blobstore.EnvSecretKey, blobstore.EnvSession, blobstore.EnvRegion, "LEAKWATCH_STORE_KEY", envDatabase} {
		if !strings.Contains(doc, "`"+env+"`") {
			t.Errorf("docs/deploy.md does not document %s", env)
		}
	}
	if !strings.Contains(string(readFile(t, "README.md")), "(docs/deploy.md)") {
		t.Error("README.md does not link docs/deploy.md")
	}
}
