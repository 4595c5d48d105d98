package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
)

var postgresDialect = &dialect{
	name:      "postgres",
	dollar:    true,
	forUpdate: " FOR UPDATE",
	// One migrator at a time across every process opening the database.
	lock:     "SELECT pg_advisory_xact_lock(7508041913)",
	classify: classifyPostgres,
}

// openPostgres opens a pgx pool of at most conns connections and the
// database/sql handle over it that the queries use; River's riverpgxv5
// driver can share the pool (see Handles).
func openPostgres(ctx context.Context, dsn string, conns int) (*pgxpool.Pool, *sql.DB, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: PostgreSQL DSN: %w", ErrInvalid, err)
	}
	cfg.MaxConns = int32(conns)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, nil, fmt.Errorf("open PostgreSQL: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	return pool, stdlib.OpenDBFromPool(pool), nil
}

func classifyPostgres(err error) error {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return err
	}
	switch pe.Code {
	case "23505": // unique_violation
		return fmt.Errorf("%w: %w", ErrConflict, err)
	case "23503": // foreign_key_violation
		return fmt.Errorf("%w: %w", ErrNotFound, err)
	case "23514", "22P02", "22021": // check_violation, invalid text, bad UTF-8
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return err
}
