package deploy

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// repoRoot is the module root, one folder up from this package.
const repoRoot = ".."

// cli is the built leakwatch binary and what its --help says, by command.
type cli struct {
	bin  string
	mu   sync.Mutex
	help map[string]*cmdHelp
}

// cmdHelp is one command's --help: its flags with their value types, and
// the text (for the environment variables it names).
type cmdHelp struct {
	exists bool
	flags  map[string]string // "--name" or "-o" → value type ("" for a switch)
	text   string
}

var (
	cliOnce sync.Once
	theCLI  *cli
	cliErr  error
	cliDir  string // the built binary's folder, removed by TestMain
)

func TestMain(m *testing.M) {
	code := m.Run()
	if cliDir != "" {
		_ = os.RemoveAll(cliDir)
	}
	os.Exit(code)
}

// leakwatch builds the CLI once per test binary ($LEAKWATCH_BIN reuses one).
func leakwatch(t *testing.T) *cli {
	t.Helper()
	cliOnce.Do(func() {
		bin := os.Getenv("LEAKWATCH_BIN")
		if bin == "" {
			dir, err := os.MkdirTemp("", "leakwatch-deploy-test-")
			if err != nil {
				cliErr = err
				return
			}
			cliDir = dir
			bin = filepath.Join(dir, "leakwatch")
			build := exec.Command("go", "build", "-o", bin, "./cmd/leakwatch")
			build.Dir = repoRoot
			if out, err := build.CombinedOutput(); err != nil {
				cliErr = fmt.Errorf("go build ./cmd/leakwatch: %w\n%s", err, out)
				return
			}
		}
		theCLI = &cli{bin: bin, help: map[string]*cmdHelp{}}
	})
	if cliErr != nil {
		t.Fatal(cliErr)
	}
	return theCLI
}

// usageLine is cobra's first usage line: "  leakwatch crawl enqueue [flags]".
var usageLine = regexp.MustCompile(`(?m)^Usage:\n\s+(leakwatch(?: [a-z][a-z0-9-]*)*)`)

// flagLine is one flag of cobra's help: "  -o, --output string   ...".
var flagLine = regexp.MustCompile(`(?m)^\s+(?:(-[A-Za-z0-9]), )?(--[a-z0-9][a-z0-9-]*)(?: ([a-zA-Z]+))?\s`)

// command runs `leakwatch PATH... --help` once and parses it. A command
// that does not exist is reported with exists false, not as an error:
// cobra answers an unknown subcommand with its parent's help or an error.
func (c *cli) command(t *testing.T, path []string) *cmdHelp {
	t.Helper()
	key := strings.Join(path, " ")
	c.mu.Lock()
	defer c.mu.Unlock()
	if h, ok := c.help[key]; ok {
		return h
	}
	cmd := exec.Command(c.bin, append(append([]string{}, path...), "--help")...)
	cmd.Env = []string{"HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH")}
	out, _ := cmd.CombinedOutput()
	h := &cmdHelp{flags: map[string]string{}, text: string(out)}
	if m := usageLine.FindStringSubmatch(h.text); m != nil && m[1] == strings.TrimSpace("leakwatch "+key) {
		h.exists = true
		for _, f := range flagLine.FindAllStringSubmatch(h.text, -1) {
			h.flags[f[2]] = f[3]
			if f[1] != "" {
				h.flags[f[1]] = f[3]
			}
		}
	}
	c.help[key] = h
	return h
}

// invocation is one leakwatch command line a deployment file runs.
type invocation struct {
	where string   // "compose.yaml service worker"
	args  []string // after the entrypoint: ["worker", "--concurrency", "2"]
}

// check reports every command, flag and flag value of inv that the CLI
// does not have, naming the file that uses it.
func (c *cli) check(t *testing.T, inv invocation) {
	t.Helper()
	for _, p := range c.problems(t, inv) {
		t.Error(p)
	}
}

// problems finds the command (the longest run of leading words that is
// one; a further word is an argument, unless the command has subcommands),
// then checks each flag and its value against the command's --help.
func (c *cli) problems(t *testing.T, inv invocation) []string {
	t.Helper()
	args := inv.args
	words := 0
	for words < len(args) && !strings.HasPrefix(args[words], "-") {
		words++
	}
	var h *cmdHelp
	k := words
	for ; k >= 0; k-- {
		if h = c.command(t, args[:k]); h.exists {
			break
		}
	}
	if k < 0 || (k < words && strings.Contains(h.text, "Available Commands:")) {
		missing := "leakwatch " + strings.Join(args[:min(words, max(k, 0)+1)], " ")
		return []string{fmt.Sprintf("%s runs `leakwatch %s`: `%s` is no command of this CLI (see issue 16's CLI contract)",
			inv.where, strings.Join(args[:words], " "), missing)}
	}
	name := "leakwatch " + strings.Join(args[:k], " ")
	var out []string
	for i := k; i < len(args); i++ {
		flag, val, hasVal := strings.Cut(args[i], "=")
		if !strings.HasPrefix(flag, "-") {
			continue // an argument
		}
		typ, ok := h.flags[flag]
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("%s runs `%s %s`: the command has no flag %s", inv.where, name, flag, flag))
			continue
		case typ != "" && !hasVal && i+1 == len(args):
			out = append(out, fmt.Sprintf("%s: `%s %s` lacks its value", inv.where, name, flag))
			continue
		case typ != "" && !hasVal:
			i++
			val = args[i]
		}
		if err := checkValue(typ, val); err != nil {
			out = append(out, fmt.Sprintf("%s: `%s %s %s`: %v", inv.where, name, flag, val, err))
		}
	}
	return out
}

// checkValue parses a flag's value as the type cobra's help names.
func checkValue(typ, val string) error {
	var err error
	switch typ {
	case "duration":
		_, err = time.ParseDuration(val)
	case "int", "int64", "uint":
		_, err = strconv.Atoi(val)
	case "":
		if val != "" && val != "true" && val != "false" {
			err = fmt.Errorf("a switch takes no value, got %q", val)
		}
	}
	if err != nil {
		return fmt.Errorf("want a value of type %s: %w", typ, err)
	}
	return nil
}

// flagValue is the value of flag in args ("" when absent).
func flagValue(args []string, flag string) string {
	for i, a := range args {
		if v, ok := strings.CutPrefix(a, flag+"="); ok {
			return v
		}
		if a == flag && i+1 < len(args) {
			return args[i+1]
		}
	}
	return ""
}

func readFile(t *testing.T, elem ...string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(append([]string{repoRoot}, elem...)...))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestCheckFindsMistakes: the checker itself tells a missing command, a
// missing flag and a bad value from a good command line.
func TestCheckFindsMistakes(t *testing.T) {
	t.Parallel()
	lw := leakwatch(t)
	for _, tc := range []struct {
		args []string
		want string // "" when the line is good
	}{
		{[]string{"serve", "--addr", ":8080", "--max-sessions", "2", "--log-format=json"}, ""},
		{[]string{"serve", "token", "create", "--role", "read"}, ""},
		{[]string{"analyze", "-o", "out.json"}, ""},
		{[]string{"no-such-command", "--x"}, "`leakwatch no-such-command` is no command"},
		{[]string{"serve", "no-such-sub", "x"}, "`leakwatch serve no-such-sub` is no command"},
		{[]string{"serve", "--no-such-flag", "1"}, "has no flag --no-such-flag"},
		{[]string{"serve", "--drain", "soon"}, "type duration"},
		{[]string{"serve", "--max-sessions", "two"}, "type int"},
		{[]string{"serve", "--allow-private-targets=maybe"}, "a switch takes no value"},
		{[]string{"serve", "--addr"}, "lacks its value"},
		{[]string{"analyze", "--persona", "p.yaml", "session.har", "-o", "r.json"}, ""},
		{[]string{"analyze", "session.har"}, ""},
	} {
		got := strings.Join(lw.problems(t, invocation{where: "test", args: tc.args}), "; ")
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%v: problems %q, want %q", tc.args, got, tc.want)
		}
	}
}
