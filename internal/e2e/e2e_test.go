package e2e

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/audit"
	"github.com/leakwatch/leakwatch/internal/leak"
	"github.com/leakwatch/leakwatch/internal/party"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// fields are the persona's values by persona key.
func fields(v visitor) [][2]string {
	return [][2]string{{"email", v.Email}, {"phone", v.Phone}, {"first_name", v.FirstName},
		{"last_name", v.LastName}, {"street", v.Street}, {"city", v.City}, {"state", v.State}, {"zip", v.Zip}}
}

func persona(name string, v visitor) leak.Persona {
	return leak.Persona{Name: name, Email: v.Email, Phone: v.Phone, FirstName: v.FirstName, LastName: v.LastName,
		Street: v.Street, City: v.City, State: v.State, Zip: v.Zip}
}

// sent is one persona value in one request, as a receiver got it.
type sent struct {
	Field, Host string
	Index       int // of the request in the HAR
}

func (s sent) String() string { return fmt.Sprintf("request %d to %s: %s", s.Index, s.Host, s.Field) }

// evidence is where a collector request carries one persona value.
type evidence struct {
	hit    hit
	places []place
}

// groundTruth decodes every collector request and says which persona
// values each carries and where, keyed by the request's index in the HAR.
func groundTruth(t *testing.T, v *visit, who visitor) map[sent]*evidence {
	t.Helper()
	truth := map[sent]*evidence{}
	used := map[int]bool{}
	for _, h := range v.hits {
		if h.Host == shopHost {
			continue
		}
		idx := requestIndex(v.capture, h, used)
		if idx < 0 {
			t.Errorf("collector got %s %s, which the HAR lacks", h.Method, h.URL())
			continue
		}
		ps, err := places(h)
		if err != nil {
			t.Errorf("decode request %d: %v", idx, err)
			continue
		}
		for _, p := range ps {
			for _, c := range carried(p.Text, who) {
				k := sent{Field: c.Field, Host: h.Host, Index: idx}
				if truth[k] == nil {
					truth[k] = &evidence{hit: h}
				}
				at := p
				if c.Hash != "" {
					at.Layers = append(slices.Clip(p.Layers), c.Hash)
				}
				truth[k].places = append(truth[k].places, at)
			}
		}
	}
	return truth
}

// requestIndex finds the HAR entry of a collector hit by method, URL and body.
func requestIndex(c *traffic.Capture, h hit, used map[int]bool) int {
	for i, r := range c.Requests {
		if !used[i] && r.Method == h.Method && r.URL == h.URL() && bytes.Equal(r.Body, h.Body) {
			used[i] = true
			return i
		}
	}
	return -1
}

var (
	classifierOnce sync.Once
	classifier     *party.Classifier
	classifierErr  error
)

// analyse runs the full audit over c with the personas.
func analyse(t testing.TB, c *traffic.Capture, opts audit.Options, personas ...leak.Persona) *audit.Report {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	classifierOnce.Do(func() { classifier, classifierErr = party.NewClassifier(ctx, party.Options{}) })
	if classifierErr != nil {
		t.Fatal(classifierErr)
	}
	pool, warnings := leak.NewPool(personas)
	if len(warnings) > 0 {
		t.Fatalf("persona warnings: %v", warnings)
	}
	opts.Classifier, opts.Pool = classifier, pool
	rep, err := audit.Run(ctx, opts, c)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// leaks groups the report's leak findings like the ground truth.
func leaks(rep *audit.Report) map[sent][]audit.Finding {
	out := map[sent][]audit.Finding{}
	for _, f := range rep.Findings {
		if f.Type == audit.TypeLeak {
			k := sent{Field: f.Field, Host: f.Receiver.Host, Index: f.Request.Index}
			out[k] = append(out[k], f)
		}
	}
	return out
}

func sortedKeys[V any](m map[sent]V) []sent {
	out := make([]sent, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Index != b.Index {
			return a.Index < b.Index
		}
		return a.Field < b.Field
	})
	return out
}

var arrayIndex = regexp.MustCompile(`\.\d+(\.|$)|\[\]`)

// sameLocation compares a finding's location ("data[].ue_pr > data.value")
// with a decoded place's JSON path ("data.0.ue_pr.data.value"): decoding
// steps (" > ") and array positions do not count.
func sameLocation(finding, path string) bool {
	return normPath(finding) == normPath(path)
}

// normPath drops decoding steps and array positions from a location.
func normPath(s string) string {
	s = strings.ReplaceAll(s, " > ", ".")
	for arrayIndex.MatchString(s) {
		s = arrayIndex.ReplaceAllString(s, "$1")
	}
	return s
}

// sameEncoding reports whether a finding's encoding starts with the steps
// the client applied: "base64" also covers "base64url"; a gzip that a
// Content-Encoding header declared is transport and may be left out.
func sameEncoding(got, want []string, declaredGzip bool) bool {
	if declaredGzip && len(want) > 0 && want[0] == "gzip" && (len(got) == 0 || got[0] != "gzip") {
		want = want[1:]
	}
	if len(got) < len(want) {
		return false
	}
	for i, w := range want {
		if !strings.HasPrefix(got[i], w) {
			return false
		}
	}
	return true
}

// describe lists findings for failure messages.
func describe(fs []audit.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "\n\t%s %q %v", f.Channel, f.Location, f.Encoding)
	}
	return b.String()
}

// leakReadsRawGzip reports whether internal/leak searches a body that is
// gzip without a Content-Encoding header, as PostHog's gzip-js sends it.
func leakReadsRawGzip() bool {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write([]byte(`{"batch":[{"properties":{"distinct_id":"` + shopper.Email + `"}}]}`))
	_ = zw.Close()
	pool, _ := leak.NewPool([]leak.Persona{{Email: shopper.Email}})
	r := &traffic.Request{URL: "https://eu.i.posthog.com/e/", Method: "POST", Body: buf.Bytes(),
		Headers: traffic.Headers{{Name: "Content-Type", Value: "text/plain"}}, BodyMIME: "text/plain"}
	return len(pool.Scan(r, leak.ScanOptions{}).Matches) > 0
}
