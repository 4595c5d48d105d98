package leak_test

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/har"
	"github.com/leakwatch/leakwatch/internal/leak"
	"github.com/leakwatch/leakwatch/internal/sharedtest"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// realworldTruth is the part of realworld/truth.json these tests read.
type realworldTruth struct {
	FirstParty map[string]string `json:"first_party"`
	// Typed is false, or a sentence saying what was typed.
	Typed map[string]any `json:"personal_data_typed"`
}

// TestRealWorldNoHighPatternWithoutTyping: on real captures where nobody
// typed personal data, no third-party request may carry a high-confidence
// pattern finding; every one would be a false alarm.
func TestRealWorldNoHighPatternWithoutTyping(t *testing.T) {
	t.Parallel()
	dir := sharedtest.Path(t, "realworld")
	data, err := os.ReadFile(filepath.Join(dir, "truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	var truth realworldTruth
	if err := json.Unmarshal(data, &truth); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.har.gz"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no captures in %s: %v", dir, err)
	}
	pool, _ := leak.NewPool(nil)
	checked := 0
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".har.gz")
		if typed, ok := truth.Typed[name]; !ok || typed != false {
			continue
		}
		checked++
		t.Run(name, func(t *testing.T) {
			c, err := har.ReadFile(context.Background(), f, har.Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range thirdPartyPatterns(pool, c, truth.FirstParty[name]) {
				if m.Confidence == leak.ConfidenceHigh {
					t.Errorf("high-confidence %s %q at %s %s: %s", m.Rule, m.Value, m.Channel, m.Location, m.Reason)
				}
			}
		})
	}
	if checked < 20 {
		t.Errorf("only %d captures without typing were checked", checked)
	}
}

// thirdPartyPatterns scans the requests not sent to the first party.
func thirdPartyPatterns(pool *leak.Pool, c *traffic.Capture, firstParty string) []leak.PatternMatch {
	var out []leak.PatternMatch
	for _, r := range c.Requests {
		u, err := url.Parse(r.URL)
		if err != nil {
			continue
		}
		host := u.Hostname()
		if host == firstParty || strings.HasSuffix(host, "."+firstParty) {
			continue
		}
		out = append(out, pool.Scan(r, leak.ScanOptions{Patterns: true}).Patterns...)
	}
	return out
}
