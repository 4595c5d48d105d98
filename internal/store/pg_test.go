package store_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/leakwatch/leakwatch/internal/store/pgtest"
	"github.com/leakwatch/leakwatch/internal/store/storetest"
)

// pg is the test binary's throwaway PostgreSQL (nil with pgErr when it
// could not start); TestMain owns it.
var (
	pg    *pgtest.Server
	pgErr error
)

func TestMain(m *testing.M) { pgtest.Main(m, &pg, &pgErr) }

func pgTarget() storetest.Target {
	return storetest.Target{
		NewDSN: func(t *testing.T) string {
			t.Helper()
			dsn, err := pg.NewDatabase(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			return dsn
		},
		Dump: pgDump,
		Exec: func(t *testing.T, dsn, stmt string) {
			t.Helper()
			withConn(t, dsn, func(ctx context.Context, c *pgx.Conn) error {
				_, err := c.Exec(ctx, stmt)
				return err
			})
		},
	}
}

// pgDump is every row of every table of the public schema as text, bytea
// in hex (the suite looks for secrets both plain and in hex).
func pgDump(t *testing.T, dsn string) []byte {
	t.Helper()
	var out bytes.Buffer
	withConn(t, dsn, func(ctx context.Context, c *pgx.Conn) error {
		rows, err := c.Query(ctx, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
		if err != nil {
			return err
		}
		tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		for _, tbl := range tables {
			rows, err := c.Query(ctx, fmt.Sprintf("SELECT t::text FROM %s t", pgx.Identifier{tbl}.Sanitize()))
			if err != nil {
				return err
			}
			lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil {
				return err
			}
			for _, l := range lines {
				out.WriteString(tbl + ": " + l + "\n")
			}
		}
		return nil
	})
	return out.Bytes()
}

func withConn(t *testing.T, dsn string, fn func(context.Context, *pgx.Conn) error) {
	t.Helper()
	ctx := context.Background()
	c, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	if err := fn(ctx, c); err != nil {
		t.Fatal(err)
	}
}

func TestPostgres(t *testing.T) {
	t.Parallel()
	if pg == nil {
		pgtest.Skip(t, pgErr)
	}
	storetest.Run(t, pgTarget())
}
