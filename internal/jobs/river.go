package jobs

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/leakwatch/leakwatch/internal/store"
)

// NewRiverClient brings River's tables up to date on d and returns a
// stopped client with cfg. River's migrator takes no lock: processes
// starting together on a new database can collide, and the loser finds
// the tables made on a retry (three tries, a second and two apart). The
// crawl fleet opens its River client with it too.
func NewRiverClient[TTx any](ctx context.Context, d riverdriver.Driver[TTx], cfg *river.Config) (*river.Client[TTx], error) {
	m, err := rivermigrate.New(d, &rivermigrate.Config{Logger: cfg.Logger})
	if err != nil {
		return nil, fmt.Errorf("river migrations: %w", err)
	}
	for try := 1; ; try++ {
		_, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil)
		if err == nil {
			break
		}
		if try == 3 {
			return nil, fmt.Errorf("migrate River tables: %w", err)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("migrate River tables: %w", err)
		case <-time.After(time.Duration(try) * time.Second):
		}
	}
	c, err := river.NewClient(d, cfg)
	if err != nil {
		return nil, fmt.Errorf("new river client: %w", err)
	}
	return c, nil
}

// RiverQueue is what leakwatch uses of a River client, whichever driver
// it runs on.
type RiverQueue interface {
	Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
	InsertMany(ctx context.Context, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error)
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	StopAndCancel(ctx context.Context) error
}

// OpenRiver connects River to the database dsn names (as store.Open reads
// it: postgres:// or a SQLite file shared with the store) and returns a
// stopped client with cfg (NewRiverClient) and what closes its
// connections. maxConns caps a PostgreSQL pool (0: pgxpool's default); a
// SQLite file is opened on one connection, as River's driver advises.
func OpenRiver(ctx context.Context, dsn string, maxConns int, cfg *river.Config) (RiverQueue, func(), error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		pc, err := pgxpool.ParseConfig(dsn)
		if err != nil {
			return nil, nil, fmt.Errorf("PostgreSQL DSN: %w", err)
		}
		if maxConns > 0 {
			pc.MaxConns = int32(maxConns)
		}
		pool, err := pgxpool.NewWithConfig(ctx, pc)
		if err != nil {
			return nil, nil, fmt.Errorf("connect PostgreSQL: %w", err)
		}
		q, err := NewRiverClient(ctx, riverpgxv5.New(pool), cfg)
		if err != nil {
			pool.Close()
			return nil, nil, err
		}
		return q, pool.Close, nil
	}
	db, err := store.OpenSQLiteConn(dsn)
	if err != nil {
		return nil, nil, err
	}
	q, err := NewRiverClient(ctx, riversqlite.New(db), cfg)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return q, func() { db.Close() }, nil
}
