package deploy

import (
	"slices"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/blobstore"
	"github.com/leakwatch/leakwatch/internal/browser"
	"github.com/leakwatch/leakwatch/internal/store"
)

// envDatabase is the variable behind every command's --database.
const envDatabase = "LEAKWATCH_DATABASE"

// knownEnv are the environment variables a deployment file may set: each
// one is read by leakwatch (the constants of the packages that read it), by
// the Go runtime, or by the postgres image.
var knownEnv = []string{
	envDatabase, store.KeyEnv, browser.EnvChrome,
	blobstore.EnvEndpoint, blobstore.EnvPathStyle, blobstore.EnvAccessKey, blobstore.EnvSecretKey,
	blobstore.EnvSession, blobstore.EnvRegion,
	"GOMEMLIMIT", "XDG_DATA_HOME", "HOME",
	"POSTGRES_USER", "POSTGRES_DB", "POSTGRES_PASSWORD",
}

func checkEnvName(t *testing.T, where, name string) {
	t.Helper()
	if !slices.Contains(knownEnv, name) {
		t.Errorf("%s sets %s, which nothing reads (a typo?)", where, name)
	}
}

// TestHelpNamesTheEnvironment: the files pass the database, the store key
// and S3 settings through the environment; the commands must read them.
func TestHelpNamesTheEnvironment(t *testing.T) {
	t.Parallel()
	lw := leakwatch(t)
	for _, tc := range []struct {
		path []string
		envs []string
	}{
		{[]string{"serve"}, []string{envDatabase, store.KeyEnv}},
		{[]string{"worker"}, []string{envDatabase}},
		{[]string{"crawl", "enqueue"}, []string{envDatabase}},
	} {
		h := lw.command(t, tc.path)
		name := "leakwatch " + strings.Join(tc.path, " ")
		if !h.exists {
			t.Errorf("`%s` is no command of this CLI (see issue 16's CLI contract)", name)
			continue
		}
		for _, env := range tc.envs {
			if !strings.Contains(h.text, env) {
				t.Errorf("`%s --help` does not name %s, which the deployment files rely on", name, env)
			}
		}
	}
}
