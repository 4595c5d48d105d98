package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// KeyEnv is the environment variable the service reads the persona key from.
const KeyEnv = "LEAKWATCH_STORE_KEY"

// DefaultFile is the database file made inside a data directory.
const DefaultFile = "leakwatch.db"

// Config tunes a store. The zero value works: personas are refused until
// a key is given.
type Config struct {
	// Key encrypts personas (AES-256-GCM): 32 bytes, see ParseKey.
	Key []byte
	// MaxConns bounds open connections; 0 means 8.
	MaxConns int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Validate reports a malformed config.
func (c Config) Validate() error {
	if c.Key != nil && len(c.Key) != 32 {
		return fmt.Errorf("%w: store key is %d bytes, want 32", ErrInvalid, len(c.Key))
	}
	if c.MaxConns < 0 {
		return fmt.Errorf("%w: MaxConns %d is negative", ErrInvalid, c.MaxConns)
	}
	return nil
}

// ParseKey reads a 32-byte key written as 64 hex digits or as base64
// (standard or URL alphabet, padded or not), as KeyEnv holds it. An empty
// string is no key (nil, nil).
func ParseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	if len(s) == 64 {
		if k, err := hex.DecodeString(s); err == nil {
			return k, nil
		}
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if k, err := enc.DecodeString(s); err == nil && len(k) == 32 {
			return k, nil
		}
	}
	return nil, fmt.Errorf("%w: %s must be 32 bytes as 64 hex digits or base64 (e.g. `openssl rand -hex 32`)", ErrInvalid, KeyEnv)
}

// Open opens (creating and migrating when needed) the store a DSN names:
// postgres://… or postgresql://… is PostgreSQL; sqlite:PATH or a plain
// PATH is SQLite, where a directory (existing, or written with a trailing
// slash) holds DefaultFile.
func Open(ctx context.Context, dsn string, cfg Config) (Store, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	db, pool, d, err := connect(ctx, dsn, cfg.MaxConns)
	if err != nil {
		return nil, err
	}
	blobs, err := newBlobCodec()
	if err != nil {
		db.Close()
		if pool != nil {
			pool.Close()
		}
		return nil, err
	}
	s := &sqlStore{db: db, pool: pool, d: d, key: cfg.Key, now: cfg.Now, blobs: blobs}
	if s.now == nil {
		s.now = time.Now
	}
	if err := migrateRetrying(ctx, db, d, s.stamp()); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// migrateRetrying is migrate, tried again while SQLite answers busy: a new
// database file opened by several processes at once must switch to WAL and
// be migrated by one of them, and SQLite refuses the others at once rather
// than waiting out its busy timeout for that switch.
func migrateRetrying(ctx context.Context, db *sql.DB, d *dialect, now int64) error {
	wait := 10 * time.Millisecond
	deadline := time.Now().Add(busyTimeoutMS * time.Millisecond)
	for {
		err := migrate(ctx, db, d, now)
		if err == nil || !sqliteBusy(err) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
		wait = min(2*wait, 500*time.Millisecond)
	}
}

// connect opens the database a DSN names with at most conns connections
// (0 means 8).
func connect(ctx context.Context, dsn string, conns int) (*sql.DB, *pgxpool.Pool, *dialect, error) {
	if conns == 0 {
		conns = 8
	}
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		pool, db, err := openPostgres(ctx, dsn, conns)
		return db, pool, postgresDialect, err
	}
	path, err := SQLitePath(dsn)
	if err != nil {
		return nil, nil, nil, err
	}
	db, err := openSQLite(path)
	if err != nil {
		return nil, nil, nil, err
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	return db, nil, sqliteDialect, nil
}

// SQLitePath resolves a SQLite DSN to the database file, creating its
// directory (mode 0700) when missing.
func SQLitePath(dsn string) (string, error) {
	path := strings.TrimPrefix(dsn, "sqlite:")
	if path == "" {
		return "", fmt.Errorf("%w: empty SQLite path", ErrInvalid)
	}
	if strings.ContainsAny(path, "?#") {
		return "", fmt.Errorf("%w: SQLite path %q has query characters; name a file or directory", ErrInvalid, path)
	}
	dir := filepath.Dir(path)
	if fi, err := os.Stat(path); (err == nil && fi.IsDir()) || strings.HasSuffix(path, "/") {
		dir, path = path, filepath.Join(path, DefaultFile)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("create data directory %s: %w", dir, err)
	}
	return path, nil
}

// Handles are the database handles behind a store, for a job queue that
// keeps its tables in the same database: River's riversqlite driver takes
// DB, riverpgxv5 takes Pool.
type Handles struct {
	Dialect string        // "sqlite" or "postgres"
	DB      *sql.DB       // both backends
	Pool    *pgxpool.Pool // PostgreSQL only, nil on SQLite
}

// HandlesOf returns the handles of a store Open made; false for another
// implementation. They stay owned by the store: do not close them.
func HandlesOf(s Store) (Handles, bool) {
	ss, ok := s.(*sqlStore)
	if !ok {
		return Handles{}, false
	}
	return Handles{Dialect: ss.d.name, DB: ss.db, Pool: ss.pool}, true
}
