package crawl_test

import (
	"sync"
	"testing"

	"github.com/leakwatch/leakwatch/internal/crawl"
)

// Progress counts pages done and queued and ends with a final report.
func TestRunProgress(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var seen []crawl.Progress
	c, err := runErr(t, crawl.Options{Start: []string{site("/index.html")}, Depth: 1, Tabs: 2,
		Progress: func(p crawl.Progress) {
			mu.Lock()
			seen = append(seen, p)
			mu.Unlock()
		}})
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) == 0 {
		t.Fatal("no progress reported")
	}
	last := seen[len(seen)-1]
	if !last.Final || last.Done != len(c.Pages) || last.Queued != 0 || last.Requests != len(c.Requests) {
		t.Errorf("last progress %+v; capture has %d pages, %d requests", last, len(c.Pages), len(c.Requests))
	}
	for i := 1; i < len(seen); i++ {
		if seen[i].Done < seen[i-1].Done || seen[i].Elapsed < seen[i-1].Elapsed {
			t.Errorf("progress went back: %+v after %+v", seen[i], seen[i-1])
		}
	}
}
