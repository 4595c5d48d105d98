package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/rivermigrate"
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
