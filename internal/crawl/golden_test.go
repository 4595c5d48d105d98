package crawl_test

import (
	"fmt"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/crawl"
	"github.com/leakwatch/leakwatch/internal/sharedtest"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

var update = sharedtest.Update

// summary renders what a crawl captured without what varies between runs
// (ports, times, the browser's own favicon requests).
func summary(c *traffic.Capture) string {
	var b strings.Builder
	pageNo := map[string]int{}
	for i, p := range c.Pages {
		pageNo[p.ID] = i + 1
		u, _ := url.Parse(p.URL)
		fmt.Fprintf(&b, "page %d %s %q error=%t\n", i+1, u.Path, p.Title, p.Error != "")
	}
	var reqs []string
	for _, r := range c.Requests {
		u, err := url.Parse(r.URL)
		if err != nil || strings.HasSuffix(u.Path, "favicon.ico") {
			continue
		}
		status := 0
		if r.Response != nil {
			status = r.Response.Status
		}
		reqs = append(reqs, fmt.Sprintf("request page=%d %s %s://%s%s?%s target=%s type=%s status=%d body=%q",
			pageNo[r.PageID], r.Method, u.Scheme, u.Hostname(), u.Path, u.RawQuery, r.Target, r.ResourceType,
			status, r.Body))
	}
	sort.Strings(reqs)
	b.WriteString(strings.Join(reqs, "\n"))
	b.WriteString("\n")
	return b.String()
}

func TestCrawlGolden(t *testing.T) {
	t.Parallel()
	c := run(t, crawl.Options{Start: []string{site("/index.html")}, Depth: 1})
	got := summary(c)
	sharedtest.Golden(t, filepath.Join("testdata", "crawl-depth1.golden"), []byte(got), *update)
}
