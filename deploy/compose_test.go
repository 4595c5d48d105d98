package deploy

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// composeFile is the part of the Compose specification compose.yaml uses.
type composeFile struct {
	Services map[string]composeService `yaml:"services"`
	Volumes  map[string]any            `yaml:"volumes"`
}

type composeService struct {
	Image           string                  `yaml:"image"`
	Build           any                     `yaml:"build"`
	Command         []string                `yaml:"command"`
	Entrypoint      []string                `yaml:"entrypoint"`
	Environment     map[string]string       `yaml:"environment"`
	EnvFile         []struct{ Path string } `yaml:"env_file"`
	Ports           []string                `yaml:"ports"`
	Profiles        []string                `yaml:"profiles"`
	Volumes         []string                `yaml:"volumes"`
	StopGracePeriod string                  `yaml:"stop_grace_period"`
	Healthcheck     *struct {
		Test []string `yaml:"test"`
	} `yaml:"healthcheck"`
	DependsOn map[string]struct {
		Condition string `yaml:"condition"`
	} `yaml:"depends_on"`
}

func loadCompose(t *testing.T) composeFile {
	t.Helper()
	var c composeFile
	if err := yaml.Unmarshal(readFile(t, "compose.yaml"), &c); err != nil {
		t.Fatalf("compose.yaml: %v", err)
	}
	return c
}

// leakwatchServices are the services that run the leakwatch image.
func (c composeFile) leakwatchServices() []string {
	var names []string
	for name, s := range c.Services {
		if s.Build != nil || strings.HasPrefix(s.Image, "leakwatch") {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

func TestComposeCommandsExist(t *testing.T) {
	t.Parallel()
	c := loadCompose(t)
	lw := leakwatch(t)
	for _, name := range c.leakwatchServices() {
		s := c.Services[name]
		if len(s.Entrypoint) > 0 {
			t.Errorf("compose.yaml service %s overrides the image's entrypoint", name)
		}
		lw.check(t, invocation{where: "compose.yaml service " + name, args: s.Command})
	}
}

// TestComposeInterpolation: compose.yaml substitutes only the variables
// docs/deploy.md tells to put in .env, and fails when one is unset.
func TestComposeInterpolation(t *testing.T) {
	t.Parallel()
	raw := regexp.MustCompile(`(?m)^\s*#.*$`).ReplaceAllString(string(readFile(t, "compose.yaml")), "")
	for _, m := range regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)([^}]*)\}`).FindAllStringSubmatch(raw, -1) {
		if m[1] != "POSTGRES_PASSWORD" {
			t.Errorf("compose.yaml substitutes ${%s}, which docs/deploy.md does not put in .env", m[1])
		}
		if !strings.HasPrefix(m[2], ":?") {
			t.Errorf("compose.yaml: ${%s%s} must fail when unset (${%s:?message})", m[1], m[2], m[1])
		}
	}
}

func TestComposeConsistent(t *testing.T) {
	t.Parallel()
	c := loadCompose(t)
	img := loadDockerfile(t)
	pg, ok := c.Services["postgres"]
	if !ok || pg.Healthcheck == nil || len(pg.Healthcheck.Test) == 0 {
		t.Fatal("compose.yaml: no postgres service with a healthcheck")
	}
	if !slices.ContainsFunc(pg.Volumes, func(v string) bool { return strings.HasSuffix(v, ":/var/lib/postgresql/data") }) {
		t.Error("postgres keeps its data in no volume")
	}
	names := c.leakwatchServices()
	if !slices.Contains(names, "serve") || !slices.Contains(names, "worker") {
		t.Fatalf("leakwatch services = %v, want serve and worker", names)
	}
	for _, name := range names {
		s := c.Services[name]
		where := "compose.yaml service " + name
		if s.Image != c.Services["serve"].Image {
			t.Errorf("%s: image %q, serve's is %q: one image for every leakwatch service", where, s.Image, c.Services["serve"].Image)
		}
		if s.DependsOn["postgres"].Condition != "service_healthy" {
			t.Errorf("%s: does not wait for postgres to be healthy", where)
		}
		if !slices.ContainsFunc(s.EnvFile, func(f struct{ Path string }) bool { return f.Path == "leakwatch.env" }) {
			t.Errorf("%s: LEAKWATCH_STORE_KEY must come from the env file leakwatch.env", where)
		}
		checkComposeDatabase(t, where, s.Environment["LEAKWATCH_DATABASE"], pg)
		checkVolumes(t, where, s.Volumes, c.Volumes)
		for env := range s.Environment {
			checkEnvName(t, where, env)
		}
	}
	for _, v := range pg.Volumes {
		checkVolumes(t, "compose.yaml service postgres", []string{v}, c.Volumes)
	}
	serve := c.Services["serve"]
	_, port, _ := strings.Cut(flagValue(serve.Command, "--addr"), ":")
	if !slices.Contains(serve.Ports, port+":"+port) || port != "8080" || !slices.Contains(img.expose, port) {
		t.Errorf("serve listens on :%s, publishes %v, the image exposes %v: want 8080 everywhere", port, serve.Ports, img.expose)
	}
	worker := c.Services["worker"]
	if !slices.Equal(worker.Profiles, []string{"worker"}) {
		t.Errorf("worker profiles = %v, want [worker] (optional)", worker.Profiles)
	}
	checkHarStoreMounted(t, worker)
	grace, err1 := time.ParseDuration(worker.StopGracePeriod)
	site, err2 := time.ParseDuration(flagValue(worker.Command, "--site-timeout"))
	if err1 != nil || err2 != nil || grace <= site {
		t.Errorf("worker stop_grace_period %q must be longer than its --site-timeout %q", worker.StopGracePeriod, flagValue(worker.Command, "--site-timeout"))
	}
}

// checkComposeDatabase: the URL reaches the postgres service as its user
// and database, with the password from .env, never written down.
func checkComposeDatabase(t *testing.T, where, dsn string, pg composeService) {
	t.Helper()
	u, err := url.Parse(strings.ReplaceAll(dsn, "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}", "PASSWORD"))
	if err != nil || u.Scheme != "postgres" {
		t.Errorf("%s: LEAKWATCH_DATABASE %q is not a postgres:// URL", where, dsn)
		return
	}
	pass, _ := u.User.Password()
	if u.Hostname() != "postgres" || u.Port() != "5432" || u.User.Username() != pg.Environment["POSTGRES_USER"] ||
		strings.TrimPrefix(u.Path, "/") != pg.Environment["POSTGRES_DB"] || pass != "PASSWORD" {
		t.Errorf("%s: LEAKWATCH_DATABASE %q does not match the postgres service (user %s, db %s, password from .env)",
			where, dsn, pg.Environment["POSTGRES_USER"], pg.Environment["POSTGRES_DB"])
	}
	if !strings.Contains(pg.Environment["POSTGRES_PASSWORD"], "${POSTGRES_PASSWORD") {
		t.Errorf("postgres: POSTGRES_PASSWORD must come from .env, not compose.yaml")
	}
}

func checkVolumes(t *testing.T, where string, mounts []string, declared map[string]any) {
	t.Helper()
	for _, m := range mounts {
		src, _, _ := strings.Cut(m, ":")
		if strings.HasPrefix(src, ".") || strings.HasPrefix(src, "/") {
			continue // a bind mount
		}
		if _, ok := declared[src]; !ok {
			t.Errorf("%s mounts volume %q that compose.yaml does not declare", where, src)
		}
	}
}

// checkHarStoreMounted: a file:// HAR store lies in a volume, or the HARs
// vanish with the container.
func checkHarStoreMounted(t *testing.T, s composeService) {
	t.Helper()
	store := flagValue(s.Command, "--har-store")
	dir, ok := strings.CutPrefix(store, "file://")
	if !ok {
		return
	}
	for _, v := range s.Volumes {
		parts := strings.Split(v, ":")
		if len(parts) >= 2 && (dir == parts[1] || strings.HasPrefix(dir, strings.TrimSuffix(parts[1], "/")+"/")) {
			return
		}
	}
	t.Errorf("worker --har-store %s is in no volume: the HARs would vanish with the container", store)
}
