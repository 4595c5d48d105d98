package deploy

import (
	"fmt"
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

// TestDocsCommands checks the leakwatch command lines of docs/deploy.md's
// shell blocks (`docker run … leakwatch ARGS`, `docker compose run … serve
// ARGS`) against the CLI, as the deployment files are.
func TestDocsCommands(t *testing.T) {
	t.Parallel()
	lw := leakwatch(t)
	n := 0
	for i, line := range strings.Split(string(readFile(t, "docs", "deploy.md")), "\n") {
		args := docCommand(line)
		if args == nil {
			continue
		}
		n++
		lw.check(t, invocation{where: fmt.Sprintf("docs/deploy.md:%d", i+1), args: args})
	}
	if n < 3 {
		t.Errorf("found %d leakwatch command lines in docs/deploy.md, want at least 3", n)
	}
}

// docCommand is the leakwatch arguments of a `docker run` or `docker
// compose run` line, or nil.
func docCommand(line string) []string {
	line, _, _ = strings.Cut(line, " #")
	f := strings.Fields(line)
	var rest []string
	switch {
	case len(f) > 3 && f[0] == "docker" && f[1] == "run":
		rest = f[2:]
	case len(f) > 4 && f[0] == "docker" && f[1] == "compose" && f[2] == "run":
		rest = f[3:]
	default:
		return nil
	}
	for i := 0; i < len(rest); i++ {
		switch {
		case rest[i] == "-v" || rest[i] == "-e" || rest[i] == "--name":
			i++ // an option of docker's with its value
		case strings.HasPrefix(rest[i], "-"):
		default: // the image or the service
			return rest[i+1:]
		}
	}
	return nil
}
