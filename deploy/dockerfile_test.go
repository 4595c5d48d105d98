package deploy

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// dockerfile is what the tests read from the Dockerfile: its stages, the
// runtime's user, environment, ports, entrypoint and command.
type dockerfile struct {
	from       []string // images of each FROM, in order
	runs       []string // RUN instructions, continuation lines joined
	env        map[string]string
	expose     []string
	user       string
	entrypoint []string
	cmd        []string
}

var dockerEnvPair = regexp.MustCompile(`([A-Z_][A-Z0-9_]*)=(\S+)`)

func loadDockerfile(t *testing.T) dockerfile {
	t.Helper()
	d := dockerfile{env: map[string]string{}}
	text := strings.ReplaceAll(string(readFile(t, "Dockerfile")), "\\\n", " ")
	for line := range strings.SplitSeq(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		instr, rest, _ := strings.Cut(line, " ")
		rest = strings.TrimSpace(rest)
		switch strings.ToUpper(instr) {
		case "FROM":
			d.from = append(d.from, strings.Fields(rest)[0])
		case "RUN":
			d.runs = append(d.runs, rest)
		case "ENV":
			for _, m := range dockerEnvPair.FindAllStringSubmatch(rest, -1) {
				d.env[m[1]] = m[2]
			}
		case "EXPOSE":
			d.expose = append(d.expose, strings.Fields(rest)...)
		case "USER":
			d.user = rest
		case "ENTRYPOINT":
			d.entrypoint = execForm(t, rest)
		case "CMD":
			d.cmd = execForm(t, rest)
		}
	}
	return d
}

func execForm(t *testing.T, s string) []string {
	t.Helper()
	var args []string
	if err := json.Unmarshal([]byte(s), &args); err != nil {
		t.Fatalf("Dockerfile: %q is not the exec form (a JSON array): signals would go to a shell", s)
	}
	return args
}

func TestDockerfile(t *testing.T) {
	t.Parallel()
	d := loadDockerfile(t)
	if len(d.from) != 2 || !strings.HasPrefix(d.from[0], "golang:") || d.from[1] != "debian:stable-slim" {
		t.Errorf("stages %v, want a golang builder and debian:stable-slim", d.from)
	}
	build := strings.Join(d.runs, "\n")
	if !strings.Contains(build, "CGO_ENABLED=0 go build") || !strings.Contains(build, "./cmd/leakwatch") {
		t.Error("the builder does not build ./cmd/leakwatch with CGO_ENABLED=0")
	}
	for _, pkg := range []string{"chromium", "ca-certificates", "fonts-liberation", "tini"} {
		if !regexp.MustCompile(`apt-get install[^&]*\s` + regexp.QuoteMeta(pkg) + `\s`).MatchString(build + " ") {
			t.Errorf("the runtime does not install %s", pkg)
		}
	}
	if d.user == "" || strings.HasPrefix(d.user, "0") || strings.HasPrefix(d.user, "root") {
		t.Errorf("USER %q: the image must run as a non-root user", d.user)
	}
	if uid, _, _ := strings.Cut(d.user, ":"); !regexp.MustCompile(`^[1-9][0-9]*$`).MatchString(uid) {
		t.Errorf("USER %q: numeric, so Kubernetes' runAsNonRoot can check it", d.user)
	}
	if d.env["LEAKWATCH_CHROME"] != "/usr/bin/chromium" {
		t.Errorf("LEAKWATCH_CHROME = %q, want Debian's /usr/bin/chromium", d.env["LEAKWATCH_CHROME"])
	}
	for name := range d.env {
		checkEnvName(t, "Dockerfile", name)
	}
	if len(d.entrypoint) == 0 || d.entrypoint[len(d.entrypoint)-1] != "leakwatch" {
		t.Errorf("ENTRYPOINT %v, want it to run leakwatch", d.entrypoint)
	}
	leakwatch(t).check(t, invocation{where: "Dockerfile CMD", args: d.cmd})
}

func TestDockerignore(t *testing.T) {
	t.Parallel()
	lines := strings.Split(string(readFile(t, ".dockerignore")), "\n")
	for _, want := range []string{".git", ".env", "*.env", "*.har", "*.har.gz"} {
		if !slices.Contains(lines, want) {
			t.Errorf(".dockerignore lacks %q: secrets and captures would reach the build context", want)
		}
	}
}
