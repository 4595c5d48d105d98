package server

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/store"
)

// BenchmarkReadReport measures report reads through the API (auth, rate
// limit, store read and decompression, HTTP) of a real HAR's report.
func BenchmarkReadReport(b *testing.B) {
	for _, format := range []string{"json", "html"} {
		b.Run(format, func(b *testing.B) {
			e := newEnv(b, func(c *Config) { c.RateLimit, c.RateBurst = 1e9, 1e9 })
			var sc scanView
			e.must(202, "POST", "/api/scans", store.RoleScan, ScanRequest{URLs: []string{harURL("health-shop-mylabbox.har")}}, &sc)
			e.waitScan(sc.ID)
			url := fmt.Sprintf("%s/api/scans/%d/report.%s", e.ts.URL, sc.ID, format)
			c := e.ts.Client()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req, _ := http.NewRequest("GET", url, nil)
					req.Header.Set("Authorization", "Bearer "+e.tokens[store.RoleRead])
					res, err := c.Do(req)
					if err != nil || res.StatusCode != 200 {
						b.Errorf("read report: %v %v", err, res)
						return
					}
					_, _ = io.Copy(io.Discard, res.Body)
					res.Body.Close()
				}
			})
		})
	}
}

// BenchmarkScanThroughput submits scans of a real HAR through the API and
// waits for each: the service's overhead around the analysis (Chromium not
// included), and the database size each stored scan adds (report and HAR,
// compressed).
func BenchmarkScanThroughput(b *testing.B) {
	dir := b.TempDir()
	e := newEnvDSN(b, "sqlite:"+dir+"/", func(c *Config) { c.RateLimit, c.RateBurst = 1e9, 1e9 })
	before := dbSize(b, dir)
	b.ResetTimer()
	for range b.N {
		var sc scanView
		e.must(202, "POST", "/api/scans", store.RoleScan, ScanRequest{URLs: []string{harURL("health-shop-mylabbox.har")}}, &sc)
		if v := e.waitScan(sc.ID); v.State != store.Done {
			b.Fatalf("scan %+v", v)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Hours(), "scans/hour")
	b.ReportMetric(float64(dbSize(b, dir)-before)/float64(b.N), "db-bytes/scan")
}

// dbSize is the SQLite database's size with its write-ahead log.
func dbSize(tb testing.TB, dir string) int64 {
	tb.Helper()
	var n int64
	for _, name := range []string{store.DefaultFile, store.DefaultFile + "-wal"} {
		if fi, err := os.Stat(filepath.Join(dir, name)); err == nil {
			n += fi.Size()
		}
	}
	return n
}

// BenchmarkAuth measures a small authenticated request (GET /api/session)
// with a bearer token and with a login session (cookie looked up in the
// store, its token checked in the same query).
func BenchmarkAuth(b *testing.B) {
	for _, how := range []string{"bearer", "session"} {
		b.Run(how, func(b *testing.B) {
			e := newEnv(b, func(c *Config) { c.RateLimit, c.RateBurst = 1e9, 1e9 })
			res, err := e.ts.Client().Post(e.ts.URL+"/api/session", "application/json",
				strings.NewReader(`{"token":"`+e.tokens[store.RoleRead]+`"}`))
			if err != nil || res.StatusCode != 200 {
				b.Fatalf("login: %v %v", err, res)
			}
			res.Body.Close()
			cookie := res.Cookies()[0]
			c := e.ts.Client()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req, _ := http.NewRequest("GET", e.ts.URL+"/api/session", nil)
					if how == "bearer" {
						req.Header.Set("Authorization", "Bearer "+e.tokens[store.RoleRead])
					} else {
						req.AddCookie(cookie)
					}
					res, err := c.Do(req)
					if err != nil || res.StatusCode != 200 {
						b.Errorf("request: %v %v", err, res)
						return
					}
					_, _ = io.Copy(io.Discard, res.Body)
					res.Body.Close()
				}
			})
		})
	}
}
