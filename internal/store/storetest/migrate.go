package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/leakwatch/leakwatch/internal/store"
)

func testMigrations(t *testing.T, tg Target) {
	ctx := context.Background()
	dsn := tg.NewDSN(t)
	s := open(t, dsn, store.Config{Key: testKey})
	site := mkSite(t, s, "https://a.example/")
	sc := doneScan(t, s, site.ID, `{"kept":true}`)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	again := open(t, dsn, store.Config{Key: testKey})
	if got := must(again.Report(ctx, sc.ID))(t); string(got) != `{"kept":true}` {
		t.Errorf("report after reopening: %s", got)
	}
	must(again.CreateSite(ctx, store.Site{URL: "https://b.example/"}))(t)

	tg.Exec(t, dsn, fmt.Sprintf("INSERT INTO leakwatch_migrations (version, name, applied_at) VALUES (%d, 'from_the_future', 0)", store.SchemaVersion()+1))
	_, err := store.Open(ctx, dsn, store.Config{})
	wantErr(t, "open a newer database", err, store.ErrSchemaNewer)
}

// testMigrateConcurrent opens one new database from several goroutines at
// once, as workers starting together do: every one succeeds.
func testMigrateConcurrent(t *testing.T, tg Target) {
	dsn := tg.NewDSN(t)
	var (
		wg   sync.WaitGroup
		errs = make([]error, 4)
	)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := store.Open(context.Background(), dsn, store.Config{})
			if err == nil {
				err = s.Close()
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Error(err)
	}
}

func testCancelled(t *testing.T, tg Target) {
	s, _ := fresh(t, tg)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := s.CreateSite(ctx, store.Site{URL: "https://a.example/"})
	wantErr(t, "cancelled context", err, context.Canceled)
	if got := must(s.ListSites(context.Background(), store.Page{}))(t); len(got) != 0 {
		t.Errorf("a cancelled call stored %v", got)
	}
}
