package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// servingProcess is a running 'leakwatch serve' and what it printed.
type servingProcess struct {
	cmd       *exec.Cmd
	url       string
	firstLine chan string // the first-start admin token, when printed
	tokens    chan string // the last line of standard output, once it closes
	done      chan error

	mu     sync.Mutex
	stderr []string // the last lines of standard error, for failure messages
}

// logTail returns the last lines serve logged.
func (p *servingProcess) logTail() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.stderr, "\n")
}

// startServe runs the leakwatch binary's serve on a free port with data
// in dir, and waits until it listens.
func startServe(t *testing.T, dir string, args ...string) *servingProcess {
	t.Helper()
	return startServeEnv(t, dir, nil, args...)
}

// startServeEnv is startServe with more environment variables; an empty
// dir passes no --data (args name --database).
func startServeEnv(t *testing.T, dir string, env []string, args ...string) *servingProcess {
	t.Helper()
	base := []string{"serve", "--log-format", "json", "--addr", "127.0.0.1:0", "--drain", "5s"}
	if dir != "" {
		base = append(base, "--data", dir)
	}
	cmd := exec.Command(leakwatchBinary(t), append(base, args...)...)
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	outR, outW := io.Pipe()
	errR, errW := io.Pipe()
	cmd.Stdout, cmd.Stderr = outW, errW
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &servingProcess{cmd: cmd, done: make(chan error, 1), firstLine: make(chan string, 1), tokens: make(chan string, 1)}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	go p.readStdout(outR)
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(errR)
		for sc.Scan() {
			p.mu.Lock()
			if p.stderr = append(p.stderr, sc.Text()); len(p.stderr) > 20 {
				p.stderr = p.stderr[1:]
			}
			p.mu.Unlock()
			var rec map[string]any
			if json.Unmarshal(sc.Bytes(), &rec) == nil && rec["url"] != nil {
				urls <- rec["url"].(string)
			}
		}
	}()
	go func() {
		err := cmd.Wait()
		outW.Close()
		errW.Close()
		p.done <- err
	}()
	select {
	case p.url = <-urls:
	case err := <-p.done:
		t.Fatalf("serve exited: %v\n%s", err, p.logTail())
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not start listening")
	}
	return p
}

func (p *servingProcess) readStdout(r io.Reader) {
	sc := bufio.NewScanner(r)
	last, header := "", false
	for sc.Scan() {
		last = sc.Text()
		if header {
			p.firstLine <- last
		}
		header = strings.HasPrefix(last, "Admin API token")
	}
	p.tokens <- last
}

func (p *servingProcess) get(t *testing.T, path, token string) (int, string) {
	t.Helper()
	return p.send(t, "GET", path, token, "")
}

func (p *servingProcess) send(t *testing.T, method, path, token, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, strings.TrimSuffix(p.url, "/")+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// waitToken reads the first-start admin token. Standard output stays open
// while the process runs, so it is read line by line.
func waitToken(t *testing.T, p *servingProcess) string {
	t.Helper()
	select {
	case tok := <-p.firstLine:
		return tok
	case <-time.After(30 * time.Second):
		t.Fatal("no admin token printed")
	}
	return ""
}

// stop sends SIGTERM and waits for a clean exit.
func (p *servingProcess) stop(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-p.done:
		if err != nil {
			t.Fatalf("serve after SIGTERM: %v\n%s", err, p.logTail())
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("serve did not stop after SIGTERM\n%s", p.logTail())
	}
}

// TestServeProcess runs the real binary on a SQLite data directory: the
// first start prints an admin token that works, SIGTERM stops it cleanly,
// the second start prints none and keeps what was stored, and 'serve token
// create' makes a token the service accepts.
func TestServeProcess(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := startServe(t, dir)
	for _, path := range []string{"/healthz", "/readyz", "/api/openapi.json", "/"} {
		if code, body := p.get(t, path, ""); code != 200 {
			t.Fatalf("GET %s: %d %s", path, code, body)
		}
	}
	if code, _ := p.get(t, "/api/sites", ""); code != 401 {
		t.Fatalf("GET /api/sites without a token: %d", code)
	}
	p.stop(t)
	token := <-p.tokens
	if len(token) < 20 || strings.ContainsAny(token, " :") {
		t.Fatalf("first start printed %q, want a token", token)
	}

	out, err := exec.Command(leakwatchBinary(t), "serve", "token", "create", "--role", "read", "--name", "ci", "--data", dir).Output()
	if err != nil {
		t.Fatalf("serve token create: %v", err)
	}
	readToken := strings.TrimSpace(string(out))

	p2 := startServe(t, dir)
	for _, tok := range []string{token, readToken} {
		if code, body := p2.get(t, "/api/sites", tok); code != 200 {
			t.Fatalf("token after restart: %d %s", code, body)
		}
	}
	if code, _ := p2.get(t, "/api/tokens", readToken); code != 403 {
		t.Fatalf("read token listing tokens: %d, want 403", code)
	}
	p2.stop(t)
	if again := <-p2.tokens; again != "" {
		t.Fatalf("second start printed %q, want no new token", again)
	}
	if _, err := os.Stat(filepath.Join(dir, "leakwatch.db")); err != nil {
		t.Fatalf("no SQLite file in the data directory: %v", err)
	}
}

func TestStepTargets(t *testing.T) {
	t.Parallel()
	got, err := stepTargets("- goto: https://shop.example/login\n- click: '#go'\n- goto: http://10.0.0.1/admin\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != "https://shop.example/login" || got[1] != "http://10.0.0.1/admin" {
		t.Fatalf("targets %q", got)
	}
	if _, err := stepTargets("- nonsense: 1"); err == nil {
		t.Fatal("bad steps accepted")
	}
}
