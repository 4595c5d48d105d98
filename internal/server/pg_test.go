package server

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/leakwatch/leakwatch/internal/store"
	"github.com/leakwatch/leakwatch/internal/store/pgtest"
)

// pg is the test binary's throwaway PostgreSQL, started by the first test
// that needs it; TestMain stops it.
var pg struct {
	once sync.Once
	srv  *pgtest.Server
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if pg.srv != nil {
		if err := pg.srv.Stop(context.Background()); err != nil {
			fmt.Fprintln(os.Stderr, "stop PostgreSQL:", err)
		}
	}
	os.Exit(code)
}

func postgresDSN(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("starts PostgreSQL: skipped with -short")
	}
	pg.once.Do(func() { pg.srv, pg.err = pgtest.Start(context.Background()) })
	if pg.err != nil {
		pgtest.Skip(t, pg.err)
	}
	dsn, err := pg.srv.NewDatabase(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return dsn
}

// TestPostgres runs a scan through the API on PostgreSQL: submit, stream,
// report, readiness.
func TestPostgres(t *testing.T) {
	t.Parallel()
	e := newEnvDSN(t, postgresDSN(t))
	e.must(200, "GET", "/readyz", "", nil, nil)
	var sc scanView
	e.must(202, "POST", "/api/scans", store.RoleScan, ScanRequest{URLs: []string{harURL("health-shop-personalabs.har")}}, &sc)
	if states := readEvents(t, e, sc.ID); states[len(states)-1] != "done" {
		t.Fatalf("states %v", states)
	}
	e.must(200, "GET", fmt.Sprintf("/api/scans/%d/report.html", sc.ID), store.RoleRead, nil, nil)
	var hist list[scanView]
	e.must(200, "GET", fmt.Sprintf("/api/sites/%d/scans", sc.SiteID), store.RoleRead, nil, &hist)
	if len(hist.Items) != 1 {
		t.Fatalf("history %+v", hist)
	}
}
