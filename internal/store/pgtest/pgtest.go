// Package pgtest starts a throwaway PostgreSQL server for tests: initdb in
// a temporary directory, pg_ctl on a free loopback port, removed at Stop.
package pgtest

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
)

// ErrNotInstalled says no PostgreSQL server binaries were found.
var ErrNotInstalled = errors.New("PostgreSQL is not installed: no initdb in PATH or /usr/lib/postgresql/*/bin (Debian: apt-get install postgresql)")

// Server is a running throwaway PostgreSQL. Its superuser is "postgres",
// trusted on 127.0.0.1 only.
type Server struct {
	bin  string // directory of initdb, pg_ctl, postgres
	dir  string // temporary directory: data/, socket, log
	port int
	run  []string // prefix running a command as the server's user

	mu   sync.Mutex
	next int // databases made
}

// Start makes and starts a server. When running as root it runs as the
// "postgres" system user, or "nobody" when there is none.
func Start(ctx context.Context) (*Server, error) {
	bin, err := findBin()
	if err != nil {
		return nil, err
	}
	// initdb writes to /dev/null through sh as the server's user.
	if fi, err := os.Stat(os.DevNull); err == nil && fi.Mode()&os.ModeCharDevice == 0 {
		return nil, fmt.Errorf("pgtest: %s is a %v file, not the null device (a process replaced it): initdb cannot run; restore it with mknod -m 666 %s c 1 3", os.DevNull, fi.Mode(), os.DevNull)
	}
	dir, err := os.MkdirTemp("", "leakwatch-pg-")
	if err != nil {
		return nil, fmt.Errorf("pgtest: %w", err)
	}
	s := &Server{bin: bin, dir: dir}
	if err := s.asUser(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if err := s.cmd(ctx, "initdb", "-D", s.data(), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	for range 5 { // a free port can be taken between asking and binding
		if err = s.start(ctx); err == nil {
			return s, nil
		}
	}
	os.RemoveAll(dir)
	return nil, err
}

func (s *Server) data() string { return filepath.Join(s.dir, "data") }

func (s *Server) start(ctx context.Context) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	s.port = port
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200", port, s.dir)
	return s.cmd(ctx, "pg_ctl", "-D", s.data(), "-l", filepath.Join(s.dir, "log"), "-w", "-t", "60", "-o", opts, "start")
}

// Stop stops the server at once and removes its files.
func (s *Server) Stop(ctx context.Context) error {
	err := s.cmd(ctx, "pg_ctl", "-D", s.data(), "-m", "immediate", "-w", "stop")
	if rerr := os.RemoveAll(s.dir); err == nil {
		err = rerr
	}
	return err
}

// DSN is the URL of database db on the server.
func (s *Server) DSN(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", s.port, db)
}

// NewDatabase creates an empty database and returns its DSN.
func (s *Server) NewDatabase(ctx context.Context) (string, error) {
	s.mu.Lock()
	s.next++
	name := "t" + strconv.Itoa(s.next)
	s.mu.Unlock()
	conn, err := pgx.Connect(ctx, s.DSN("postgres"))
	if err != nil {
		return "", fmt.Errorf("pgtest: connect: %w", err)
	}
	defer conn.Close(ctx)
	// A language's collation, as most real servers have, where the server
	// was built with ICU: code that relies on byte order shows up.
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name+" TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US'"); err != nil {
		if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
			return "", fmt.Errorf("pgtest: create database %s: %w", name, err)
		}
	}
	return s.DSN(name), nil
}

// Skip ends a test that needs a server that could not start: skipped with
// the reason, or failed under CI=true so CI never skips silently.
func Skip(tb testing.TB, err error) {
	tb.Helper()
	if errors.Is(err, ErrShort) {
		tb.Skip(err)
	}
	if os.Getenv("CI") == "true" {
		tb.Fatalf("PostgreSQL tests cannot run: %v", err)
	}
	tb.Skipf("PostgreSQL tests skipped: %v", err)
}

// ErrShort is StartUnlessShort's answer under -short.
var ErrShort = errors.New("PostgreSQL tests skipped with -short")

// StartUnlessShort is Start, except under go test -short, where it starts
// nothing and returns ErrShort (Skip then skips, in CI too). Call it from
// TestMain: it parses the test flags.
func StartUnlessShort(ctx context.Context) (*Server, error) {
	flag.Parse()
	if testing.Short() {
		return nil, ErrShort
	}
	return Start(ctx)
}

// Main runs a package's tests around one throwaway server: it starts it
// (StartUnlessShort) into *srv, or the reason it did not into *startErr,
// runs the tests, stops the server and exits with the tests' code. Call it
// from TestMain.
func Main(m *testing.M, srv **Server, startErr *error) {
	ctx := context.Background()
	*srv, *startErr = StartUnlessShort(ctx)
	code := m.Run()
	if *srv != nil {
		if err := (*srv).Stop(ctx); err != nil {
			fmt.Fprintln(os.Stderr, "stop PostgreSQL:", err)
		}
	}
	os.Exit(code)
}

func (s *Server) cmd(ctx context.Context, name string, args ...string) error {
	argv := append(append(append([]string{}, s.run...), filepath.Join(s.bin, name)), args...)
	out, err := exec.CommandContext(ctx, argv[0], argv[1:]...).CombinedOutput()
	if err != nil {
		log, _ := os.ReadFile(filepath.Join(s.dir, "log"))
		return fmt.Errorf("pgtest: %s: %w\n%s\n%s", name, err, out, log)
	}
	return nil
}

// asUser arranges for commands to run as an unprivileged user when this
// process is root (PostgreSQL refuses to run as root).
func (s *Server) asUser() error {
	if os.Geteuid() != 0 {
		return nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		if u, err = user.Lookup("nobody"); err != nil {
			return fmt.Errorf("pgtest: running as root and found neither a postgres nor a nobody user: %w", err)
		}
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(s.dir, uid, gid); err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	if p, err := exec.LookPath("runuser"); err == nil {
		s.run = []string{p, "-u", u.Username, "--"}
		return nil
	}
	p, err := exec.LookPath("setpriv")
	if err != nil {
		return fmt.Errorf("pgtest: running as root needs runuser or setpriv to drop to %s: %w", u.Username, err)
	}
	s.run = []string{p, "--reuid=" + u.Uid, "--regid=" + u.Gid, "--clear-groups"}
	return nil
}

// findBin finds the directory of initdb: on PATH (following a symlink to
// the directory that also holds pg_ctl and postgres), else the newest
// /usr/lib/postgresql/*/bin.
func findBin() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		dir := filepath.Dir(p)
		if _, err := os.Stat(filepath.Join(dir, "pg_ctl")); err == nil {
			return dir, nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	return "", ErrNotInstalled
}

func version(binDir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return v
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("pgtest: find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
