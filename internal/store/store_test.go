package store_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/leakwatch/leakwatch/internal/store"
	"github.com/leakwatch/leakwatch/internal/store/pgtest"
	"github.com/leakwatch/leakwatch/internal/store/storetest"
)

// sqliteTarget runs the suite on SQLite files in temporary directories.
var sqliteTarget = storetest.Target{
	NewDSN: func(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "data") + "/" },
	Dump: func(t *testing.T, dsn string) []byte {
		t.Helper()
		path, err := store.SQLitePath(dsn)
		if err != nil {
			t.Fatal(err)
		}
		var all []byte
		for _, p := range []string{path, path + "-wal"} {
			b, err := os.ReadFile(p)
			if err != nil && !errors.Is(err, os.ErrNotExist) {
				t.Fatal(err)
			}
			all = append(all, b...)
		}
		return all
	},
	Exec: func(t *testing.T, dsn, stmt string) {
		t.Helper()
		path, err := store.SQLitePath(dsn)
		if err != nil {
			t.Fatal(err)
		}
		db, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.ExecContext(context.Background(), stmt); err != nil {
			t.Fatal(err)
		}
	},
}

func TestSQLite(t *testing.T) {
	t.Parallel()
	storetest.Run(t, sqliteTarget)
}

func TestRoleAllows(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		have, need store.Role
		want       bool
	}{
		{store.RoleRead, store.RoleRead, true},
		{store.RoleRead, store.RoleScan, false},
		{store.RoleScan, store.RoleRead, true},
		{store.RoleScan, store.RoleAdmin, false},
		{store.RoleAdmin, store.RoleScan, true},
		{"", store.RoleRead, false},
		{store.RoleAdmin, "", false},
	} {
		if got := c.have.Allows(c.need); got != c.want {
			t.Errorf("%q.Allows(%q) = %v", c.have, c.need, got)
		}
	}
}

func TestParseKey(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in      string
		wantLen int
		wantErr bool
	}{
		{"", 0, false},
		{"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff", 32, false},
		{"ABEiM0RVZneImaq7zN3u/wARIjNEVWZ3iJmqu8zd7v8=", 32, false},
		{"ABEiM0RVZneImaq7zN3u_wARIjNEVWZ3iJmqu8zd7v8", 32, false},
		{"  ABEiM0RVZneImaq7zN3u/wARIjNEVWZ3iJmqu8zd7v8=\n", 32, false},
		{"0011", 0, true},
		{"correct horse battery staple", 0, true},
		{"AAAA", 0, true},
	} {
		k, err := store.ParseKey(c.in)
		if (err != nil) != c.wantErr || len(k) != c.wantLen {
			t.Errorf("ParseKey(%q) = %d bytes, %v", c.in, len(k), err)
		}
	}
}

func TestSQLitePath(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, c := range []struct {
		dsn, want string
		wantErr   bool
	}{
		{"sqlite:" + dir, filepath.Join(dir, store.DefaultFile), false},
		{dir + "/new/", filepath.Join(dir, "new", store.DefaultFile), false},
		{"sqlite:" + dir + "/x.db", dir + "/x.db", false},
		{dir + "/sub/y.db", dir + "/sub/y.db", false},
		{"sqlite:", "", true},
		{dir + "/z.db?mode=ro", "", true},
	} {
		got, err := store.SQLitePath(c.dsn)
		if (err != nil) != c.wantErr || got != c.want {
			t.Errorf("SQLitePath(%q) = %q, %v; want %q", c.dsn, got, err, c.want)
		}
	}
	if fi, err := os.Stat(dir + "/sub"); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("data directory not made private: %v %v", fi, err)
	}
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	_, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "a.db"), store.Config{Key: []byte("short")})
	if !errors.Is(err, store.ErrInvalid) {
		t.Errorf("short key: %v", err)
	}
	_, err = store.Open(context.Background(), "postgres://127.0.0.1:1/none?connect_timeout=2", store.Config{})
	if err == nil {
		t.Error("opening an unreachable PostgreSQL succeeded")
	}
}

func TestHandlesOf(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cases := []struct {
		name, dialect string
		dsn           func(t *testing.T) string
	}{
		{"sqlite", "sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "h.db") }},
		{"postgres", "postgres", func(t *testing.T) string {
			if pg == nil {
				pgtest.Skip(t, pgErr)
			}
			return pgTarget().NewDSN(t)
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s, err := store.Open(ctx, c.dsn(t), store.Config{})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			h, ok := store.HandlesOf(s)
			if !ok || h.Dialect != c.dialect || h.DB == nil || (h.Pool != nil) != (c.dialect == "postgres") {
				t.Fatalf("HandlesOf = %+v, %v", h, ok)
			}
			if err := h.DB.PingContext(ctx); err != nil {
				t.Error(err)
			}
		})
	}
}

func FuzzParseKey(f *testing.F) {
	for _, s := range []string{"", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
		"ABEiM0RVZneImaq7zN3u/wARIjNEVWZ3iJmqu8zd7v8=", "zz", "====", "\x00\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k, err := store.ParseKey(s)
		if err == nil && k != nil && len(k) != 32 {
			t.Fatalf("ParseKey(%q) = %d bytes without error", s, len(k))
		}
		if err != nil && !errors.Is(err, store.ErrInvalid) {
			t.Fatalf("ParseKey(%q): error %v is not ErrInvalid", s, err)
		}
	})
}

func TestSQLiteFileMode(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s, err := store.Open(context.Background(), dir, store.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.CreateSite(context.Background(), store.Site{URL: "https://a.example/"}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{store.DefaultFile, store.DefaultFile + "-wal"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %v: others can read the reports", name, fi.Mode().Perm())
		}
	}
}
