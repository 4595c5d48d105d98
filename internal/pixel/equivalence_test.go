package pixel_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/har"
	"github.com/leakwatch/leakwatch/internal/har/hargen"
	"github.com/leakwatch/leakwatch/internal/party"
	"github.com/leakwatch/leakwatch/internal/pixel"
	"github.com/leakwatch/leakwatch/internal/sharedtest"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// The equivalence test holds the Analyzer's whole output — every hit of
// every request, the findings, the warnings and the Identifier answers
// for every token run of every cookie and query value — to a digest per
// capture, taken with the code before the pixel speed-up (see
// testdata/equivalence.golden). A faster Analyzer must answer the same,
// byte for byte, over the shared real captures, hargen's tracker-dense
// files and the adversarial shapes that reach the cookie-sync state.
//
// LEAKWATCH_PIXEL_DUMP=dir writes each capture's full output there, so
// that two versions can be diffed when a digest differs.

// equivCapture is one capture of the equivalence set.
type equivCapture struct {
	name string
	load func(tb testing.TB) *traffic.Capture
	opts pixel.AnalyzerOptions
}

func equivCaptures(tb testing.TB) []equivCapture {
	tb.Helper()
	var out []equivCapture
	for _, f := range sharedtest.Captures(tb) {
		load := func(tb testing.TB) *traffic.Capture { return readCapture(tb, f) }
		out = append(out, equivCapture{name: filepath.Base(f), load: load})
	}
	for _, o := range []hargen.DenseOptions{
		{Requests: 1500, Seed: 1}, {Requests: 1500, Seed: 7, PlantOneIn: 3},
	} {
		name := fmt.Sprintf("dense-%d-seed%d-plant%d", o.Requests, o.Seed, o.PlantOneIn)
		load := func(tb testing.TB) *traffic.Capture { return denseCapture(tb, o) }
		out = append(out, equivCapture{name: name, load: load})
		// The same file under small budgets reaches every limit's path.
		small := pixel.AnalyzerOptions{MaxKeptURLBytes: 256 << 10, MaxIdentifiers: 3000}
		out = append(out, equivCapture{name: name + "-small", load: load, opts: small})
	}
	for _, s := range []struct {
		shape string
		n     int64
	}{{"cookie-prefixes", 600}, {"amplify", 300}, {"many-hosts", 3000}, {"tiny-entries", 3000}} {
		load := func(tb testing.TB) *traffic.Capture { return adversarialCapture(tb, s.shape, s.n) }
		out = append(out, equivCapture{name: fmt.Sprintf("%s-%d", s.shape, s.n), load: load})
	}
	return out
}

func readCapture(tb testing.TB, path string) *traffic.Capture {
	tb.Helper()
	c, err := har.ReadFile(context.Background(), path, har.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func denseCapture(tb testing.TB, o hargen.DenseOptions) *traffic.Capture {
	tb.Helper()
	var buf bytes.Buffer
	if _, err := hargen.TrackerDense(&buf, o); err != nil {
		tb.Fatal(err)
	}
	return readBytes(tb, buf.Bytes())
}

func adversarialCapture(tb testing.TB, shape string, n int64) *traffic.Capture {
	tb.Helper()
	var buf bytes.Buffer
	if err := hargen.Adversarial(&buf, shape, hargen.AdversarialOptions{N: n, Seed: 1}); err != nil {
		tb.Fatal(err)
	}
	return readBytes(tb, buf.Bytes())
}

func readBytes(tb testing.TB, b []byte) *traffic.Capture {
	tb.Helper()
	c, err := har.Read(context.Background(), bytes.NewReader(b), har.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// equivOutput runs an Analyzer over c as the audit does and writes all it
// answers to w, one fact a line.
func equivOutput(w *bytes.Buffer, c *traffic.Capture, cls *party.Classifier, opts pixel.AnalyzerOptions) {
	a := pixel.NewAnalyzerWith(opts)
	pages := capturePages(c)
	first := ""
	for _, r := range c.Requests {
		if first == "" {
			first = r.URL
		}
		page := pages[r.PageID]
		if page == "" {
			page = first
		}
		for _, h := range a.Request(r, cls.Classify(page, r.URL, r.ResourceType), page) {
			writeJSON(w, "hit", r.Index, h)
		}
	}
	writeJSON(w, "findings-before-finish", -1, a.Findings())
	a.Finish()
	writeJSON(w, "findings", -1, a.Findings())
	writeJSON(w, "warnings", -1, a.Warnings())
	seen := map[string]bool{}
	for _, r := range c.Requests {
		for _, v := range probeValues(r) {
			for _, run := range tokenRuns(v) {
				if seen[run] {
					continue
				}
				seen[run] = true
				if cookie, owner, ok := a.Identifier(run); ok {
					fmt.Fprintf(w, "id %q %q %q\n", run, cookie, owner)
				}
			}
		}
	}
}

func capturePages(c *traffic.Capture) map[string]string {
	pages := map[string]string{}
	for _, p := range c.Pages {
		if strings.HasPrefix(p.URL, "http") {
			pages[p.ID] = p.URL
		}
	}
	return pages
}

func writeJSON(w *bytes.Buffer, kind string, index int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		b = []byte(err.Error())
	}
	fmt.Fprintf(w, "%s %d %s\n", kind, index, b)
}

// probeValues are the texts whose token runs are asked of Identifier: the
// request's cookie values (as sent and as set) and its URL's query values.
func probeValues(r *traffic.Request) []string {
	var out []string
	for _, h := range r.Headers.Values("Cookie") {
		for _, kv := range strings.Split(h, ";") {
			_, v, _ := strings.Cut(kv, "=")
			out = append(out, v)
		}
	}
	for _, ck := range r.Cookies {
		out = append(out, ck.Value)
	}
	if r.Response != nil {
		for _, ck := range r.Response.Cookies {
			out = append(out, ck.Value)
		}
		for _, h := range r.Response.Headers.Values("Set-Cookie") {
			first, _, _ := strings.Cut(h, ";")
			_, v, _ := strings.Cut(first, "=")
			out = append(out, v)
		}
	}
	if _, q, ok := strings.Cut(r.URL, "?"); ok {
		if len(q) > 1<<14 {
			q = q[:1<<14]
		}
		for _, kv := range strings.Split(q, "&") {
			_, v, _ := strings.Cut(kv, "=")
			out = append(out, v)
		}
	}
	return out
}

// tokenRuns returns the runs of up to 6 alphanumeric tokens of v that are
// 8 bytes or longer, and v itself.
func tokenRuns(v string) []string {
	if len(v) > 1024 {
		v = v[:1024]
	}
	type span struct{ s, e int }
	var toks []span
	start := -1
	for i := 0; i <= len(v); i++ {
		alnum := i < len(v) && (v[i] >= '0' && v[i] <= '9' || v[i]|0x20 >= 'a' && v[i]|0x20 <= 'z')
		if alnum && start < 0 {
			start = i
		}
		if !alnum && start >= 0 {
			toks = append(toks, span{start, i})
			start = -1
		}
	}
	out := []string{v}
	for i := range toks {
		for j := i; j < len(toks) && j < i+6; j++ {
			if s := v[toks[i].s:toks[j].e]; len(s) >= 8 {
				out = append(out, s)
			}
		}
	}
	return out
}

// TestAnalyzerEquivalence compares the Analyzer's output over every
// capture of the equivalence set with the digests the code before the
// speed-up gave.
func TestAnalyzerEquivalence(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("equivalence over all captures is long")
	}
	cls, err := party.NewClassifier(context.Background(), party.Options{})
	if err != nil {
		t.Fatal(err)
	}
	caps := equivCaptures(t)
	digests := make([]string, len(caps))
	dump := os.Getenv("LEAKWATCH_PIXEL_DUMP")
	t.Run("captures", func(t *testing.T) {
		for i, ec := range caps {
			t.Run(ec.name, func(t *testing.T) {
				t.Parallel()
				var out bytes.Buffer
				equivOutput(&out, ec.load(t), cls, ec.opts)
				sum := sha256.Sum256(out.Bytes())
				digests[i] = fmt.Sprintf("%s %d %s\n", ec.name, bytes.Count(out.Bytes(), []byte("\n")),
					hex.EncodeToString(sum[:12]))
				if dump != "" {
					if err := os.WriteFile(filepath.Join(dump, ec.name+".txt"), out.Bytes(), 0o644); err != nil {
						t.Error(err)
					}
				}
			})
		}
	})
	sharedtest.Golden(t, filepath.Join("testdata", "equivalence.golden"), []byte(strings.Join(digests, "")), *sharedtest.Update)
}
