package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// dialect is what differs between the SQL databases; the queries are
// written once with ? placeholders.
type dialect struct {
	name      string
	dollar    bool   // placeholders are $1, $2…
	forUpdate string // row lock suffix for a SELECT inside a transaction
	lock      string // statement serialising migrations, if needed
	classify  func(error) error
}

func (d *dialect) q(query string) string {
	if !d.dollar {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// sqlStore is the Store over database/sql, shared by both backends.
type sqlStore struct {
	db    *sql.DB
	pool  *pgxpool.Pool // PostgreSQL: the pool db runs on
	d     *dialect
	key   []byte
	now   func() time.Time
	blobs *blobCodec
}

func (s *sqlStore) Close() error {
	s.blobs.close()
	err := s.db.Close()
	if s.pool != nil {
		s.pool.Close()
	}
	return err
}

// querier is what a *sql.DB and a *sql.Tx share.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// tx runs fn in a transaction, committing when it returns nil.
func (s *sqlStore) tx(ctx context.Context, op string, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return s.wrap(op, err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return s.wrap(op, err)
	}
	if err := tx.Commit(); err != nil {
		return s.wrap(op, err)
	}
	return nil
}

// wrap names the operation and maps driver errors to this package's.
func (s *sqlStore) wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		// Keep what the caller said about the missing row, drop the
		// driver's words.
		if msg := strings.TrimSuffix(err.Error(), sql.ErrNoRows.Error()); msg != "" {
			return fmt.Errorf("%s: %s%w", op, msg, ErrNotFound)
		}
		return fmt.Errorf("%s: %w", op, ErrNotFound)
	}
	return fmt.Errorf("%s: %w", op, s.d.classify(err))
}

func (s *sqlStore) stamp() int64 { return micros(s.now()) }

func micros(t time.Time) int64 { return t.UnixMicro() }

func fromMicros(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMicro(v.Int64).UTC()
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

func jsonText(b []byte) string {
	if len(b) == 0 {
		return "{}"
	}
	return string(b)
}
