package crawl_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/audit"
	"github.com/leakwatch/leakwatch/internal/crawl"
	"github.com/leakwatch/leakwatch/internal/leak"
	"github.com/leakwatch/leakwatch/internal/party"
)

// A page that sends a field on every key leaks the value before it is
// complete: the scan types key by key, the analysis reports a keystroke
// finding, and what it says was sent is what the third party's server got.
func TestKeystrokeCaptureAgainstServer(t *testing.T) {
	t.Parallel()
	values := crawl.DefaultFormValues()
	email := values["email"]
	c, err := runErr(t, crawl.Options{Start: []string{site("/keys.html")}, FillForms: true, FormValues: values})
	if err != nil {
		t.Fatal(err)
	}
	// What the tracker's server received: every prefix, the longest last.
	longest := ""
	for _, h := range env.Server.Hits("/collect") {
		if h.Host != "keys-tracker.test" || !strings.Contains(h.Query, "from=keyup") {
			continue
		}
		var got struct{ Value string }
		if json.Unmarshal(h.Body, &got) == nil && len(got.Value) > len(longest) && strings.HasPrefix(email, got.Value) {
			longest = got.Value
		}
	}
	if len(longest) < 5 {
		t.Fatalf("the tracker's server received no typed prefix (longest %q)", longest)
	}
	cl, err := party.NewClassifier(context.Background(), party.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pool, _ := leak.NewPool([]leak.Persona{{Email: email}})
	rep, err := audit.Run(context.Background(), audit.Options{Classifier: cl, Pool: pool, NoPatterns: true}, c)
	if err != nil {
		t.Fatal(err)
	}
	var keys, whole int
	for _, f := range rep.Findings {
		switch {
		case f.Type == audit.TypeKeystroke && f.Receiver.Host == "keys-tracker.test":
			keys++
			if !strings.HasPrefix(email, f.Evidence) {
				t.Errorf("keystroke evidence %q is no prefix of %q", f.Evidence, email)
			}
		case f.Type == audit.TypeLeak && f.Receiver.Host == "keys-tracker.test":
			whole++
		}
	}
	// The last keyup carries the whole value: a leak; every earlier one a
	// keystroke finding (one per request, the longest prefix in it).
	if keys == 0 || (longest == email) != (whole > 0) {
		t.Errorf("%d keystroke and %d whole-value findings to the tracker; its server's longest value %q", keys, whole, longest)
	}
}
