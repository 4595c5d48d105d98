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
	"syscall"
	"testing"
	"time"
)

// servingProcess is a running 'leakwatch serve' and what it printed first.
type servingProcess struct {
	cmd    *exec.Cmd
	url    string
	tokens chan string // the last line of standard output, once it closes
	done   chan error
}

// startServe runs the leakwatch binary's serve on a free port with data
// in dir, and waits until it listens.
func startServe(t *testing.T, dir string) *servingProcess {
	t.Helper()
	cmd := exec.Command(leakwatchBinary(t), "serve", "--log-format", "json", "--addr", "127.0.0.1:0", "--data", dir, "--drain", "5s")
	stdout, _ := cmd.StdoutPipe()
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &servingProcess{cmd: cmd, done: make(chan error, 1)}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	tokens := make(chan string, 1)
	go func() {
		out, _ := io.ReadAll(stdout)
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		tokens <- lines[len(lines)-1]
	}()
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			var rec map[string]any
			if json.Unmarshal(sc.Bytes(), &rec) == nil && rec["url"] != nil {
				urls <- rec["url"].(string)
			}
		}
	}()
	go func() { p.done <- cmd.Wait() }()
	select {
	case p.url = <-urls:
	case err := <-p.done:
		t.Fatalf("serve exited: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not start listening")
	}
	p.tokens = tokens
	return p
}

func (p *servingProcess) get(t *testing.T, path, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", strings.TrimSuffix(p.url, "/")+path, nil)
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

// stop sends SIGTERM and waits for a clean exit.
func (p *servingProcess) stop(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-p.done:
		if err != nil {
			t.Fatalf("serve after SIGTERM: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop after SIGTERM")
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
