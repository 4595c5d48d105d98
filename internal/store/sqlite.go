package store

import (
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// SQLite runs in WAL mode (readers never wait for the writer), waits up to
// busyTimeout for a lock, and begins every transaction IMMEDIATE so two
// writers queue instead of failing when one upgrades a read lock.
const busyTimeoutMS = 15000

var sqliteDialect = &dialect{
	name:     "sqlite",
	classify: classifySQLite,
}

func openSQLite(path string) (*sql.DB, error) {
	// Reports and HARs hold personal data: the file is the owner's only,
	// and SQLite gives its -wal and -shm files the same mode.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open SQLite %s: %w", path, err)
	}
	f.Close()
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeoutMS))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open SQLite %s: %w", path, err)
	}
	return db, nil
}

func classifySQLite(err error) error {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return err
	}
	switch se.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return fmt.Errorf("%w: %w", ErrConflict, err)
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return fmt.Errorf("%w: %w", ErrNotFound, err)
	case sqlite3.SQLITE_CONSTRAINT_CHECK:
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return err
}

// sqliteBusy reports SQLite's "database is locked" (SQLITE_BUSY and its
// extended codes).
func sqliteBusy(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY
}

// OpenSQLiteConn opens the SQLite file dsn names (as Open reads it) with
// the store's settings on a single connection: for a job queue sharing the
// store's file (River's SQLite driver wants one connection).
func OpenSQLiteConn(dsn string) (*sql.DB, error) {
	path, err := SQLitePath(dsn)
	if err != nil {
		return nil, err
	}
	db, err := openSQLite(path)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, nil
}
