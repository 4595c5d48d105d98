package crawlstats_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/crawlstats"
	"github.com/leakwatch/leakwatch/internal/report"
	"github.com/leakwatch/leakwatch/internal/store"
)

func TestEncodingLabel(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		chain  []string
		want   string
		hashed bool
	}{
		{nil, "plain", false},
		{[]string{"meta-normalize"}, "plain", false},
		{[]string{"sha256", "meta-normalize"}, "sha256", true},
		{[]string{"url", "sha256", "google-normalize"}, "url > sha256", true},
		{[]string{"base64", "gzip"}, "base64 > gzip", false},
		{[]string{"md5", "trim"}, "md5", true},
		{[]string{"sha256-salted"}, "sha256-salted", true},
		{[]string{"lz-string"}, "lz-string", false},
		{[]string{"some-new-decoder"}, "some-new-decoder", false}, // shown, never hidden
	} {
		got, hashed := crawlstats.EncodingLabel(c.chain)
		if got != c.want || hashed != c.hashed {
			t.Errorf("EncodingLabel(%q) = %q, %v; want %q, %v", c.chain, got, hashed, c.want, c.hashed)
		}
	}
}

func TestErrorClass(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ msg, want string }{
		{"", "unknown"},
		{"navigate: net::ERR_NAME_NOT_RESOLVED", "dns"},
		{"dial tcp: lookup x.example: no such host", "dns"},
		{"net::ERR_CERT_DATE_INVALID", "tls"},
		{"net::ERR_CONNECTION_REFUSED", "refused"},
		{"net::ERR_CONNECTION_RESET", "reset"},
		{"net::ERR_TOO_MANY_REDIRECTS", "redirects"},
		{"site budget 2m0s: context deadline exceeded", "timeout"},
		{"net::ERR_TIMED_OUT", "timeout"},
		{"refused: private address 10.0.0.1", "blocked"},
		{"chromium exited: signal: killed", "browser"},
		{"worker stopped: context canceled", "cancelled"},
		{"something else entirely", "other"},
	} {
		if got := crawlstats.ErrorClass(c.msg); got != c.want {
			t.Errorf("ErrorClass(%q) = %q, want %q", c.msg, got, c.want)
		}
	}
}

// TestDecodeRoundTrip: a real report read back with DecodeReport renders
// to the same JSON, so nothing the report writes is lost or guessed.
func TestDecodeRoundTrip(t *testing.T) {
	t.Parallel()
	for _, r := range crawl(t) {
		if r.Report == nil {
			continue
		}
		rep, err := crawlstats.DecodeReport(r.Report)
		if err != nil {
			t.Fatalf("%s: %v", r.Site, err)
		}
		var b bytes.Buffer
		if err := report.Render(&b, rep, "json", report.Options{}); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b.Bytes(), r.Report) {
			t.Errorf("%s: the report does not round-trip", r.Site)
		}
	}
}

// TestReadResultDamaged: a stored report that cannot be read costs its
// site's flows, with the reason on the site row, never the export.
func TestReadResultDamaged(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, report, want string
	}{
		{"not JSON", `{"schema":`, "decode report"},
		{"other schema", `{"schema":"someone/else/v9"}`, "schema"},
		{"wrong types", `{"schema":"leakwatch/report/v1","findings":"many"}`, "decode report"},
		{"nothing stored", "", "no report"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := crawlstats.ReadResult(store.CrawlResult{Site: "a.example", State: store.Done, Report: []byte(c.report)})
			if !strings.Contains(s.Row.ReportError, c.want) || s.Report != nil || len(s.Flows) != 0 {
				t.Errorf("site %+v", s.Row)
			}
		})
	}
}

// TestHostileIndexes: companies whose finding indexes point anywhere are
// worked out again, never trusted.
func TestHostileIndexes(t *testing.T) {
	t.Parallel()
	rep := `{"schema":"leakwatch/report/v1","findings":[{"type":"leak","field":"email","channel":"query",
		"receiver":{"host":"t.example","domain":"t.example","company":"T"},"request":{"index":3,"url":"https://t.example/?e=x"}}],
		"companies":[{"name":"Evil","third_party":99,"findings":[-1,0,7,1000000]}]}`
	s := crawlstats.ReadResult(store.CrawlResult{Site: "a.example", State: store.Done, Report: []byte(rep)})
	if s.Row.ReportError != "" || len(s.Flows) != 1 || s.Flows[0].Company != "T" || s.Flows[0].Encoding != "plain" {
		t.Errorf("rows %+v %+v", s.Row, s.Flows)
	}
}
