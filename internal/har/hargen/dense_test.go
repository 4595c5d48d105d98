package hargen

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/har"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

func genDense(t *testing.T, opts DenseOptions) ([]byte, []Plant) {
	t.Helper()
	var buf bytes.Buffer
	plants, err := TrackerDense(&buf, opts)
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), plants
}

func TestTrackerDenseDeterministicAndSized(t *testing.T) {
	t.Parallel()
	a, pa := genDense(t, DenseOptions{Requests: 1500, Seed: 3})
	b, pb := genDense(t, DenseOptions{Requests: 1500, Seed: 3})
	if !bytes.Equal(a, b) || !slices.Equal(pa, pb) {
		t.Error("same options gave different output")
	}
	if c, _ := genDense(t, DenseOptions{Requests: 1500, Seed: 4}); bytes.Equal(a, c) {
		t.Error("different seeds gave the same output")
	}
	for _, target := range []int64{2 << 20, 9 << 20} {
		raw, _ := genDense(t, DenseOptions{TargetBytes: target, Seed: 1})
		if n := int64(len(raw)); n < target || n > target+target/20 {
			t.Errorf("target %d: wrote %d bytes", target, n)
		}
	}
	if _, err := TrackerDense(&bytes.Buffer{}, DenseOptions{}); err == nil {
		t.Error("no size: want an error")
	}
}

// TestTrackerDenseShape checks the traffic is what the issue describes.
func TestTrackerDenseShape(t *testing.T) {
	t.Parallel()
	raw, plants := genDense(t, DenseOptions{Requests: 4000, Seed: 1})
	c, err := har.Read(context.Background(), bytes.NewReader(raw), har.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Warnings) > 0 || len(c.Requests) != 4000 {
		t.Fatalf("%d requests, warnings %q", len(c.Requests), c.Warnings)
	}
	var gets, posts int
	for _, r := range c.Requests {
		if r.ResourceType == "document" {
			continue
		}
		u, _ := url.Parse(r.URL)
		if strings.HasSuffix(u.Host, DenseSite) {
			t.Fatalf("request %d is first party: %s", r.Index, r.URL)
		}
		cookie := r.Headers.Get("cookie")
		if n := strings.Count(cookie, "; ") + 1; n < 8 || n > 40 || len(cookie) < 400 || len(cookie) > 3500 {
			t.Errorf("request %d: %d cookies in %d bytes", r.Index, n, len(cookie))
		}
		switch r.Method {
		case "GET":
			gets++
			if n := len(u.Query()); n < 15 || n > 40 {
				t.Errorf("request %d: %d parameters", r.Index, n)
			}
		case "POST":
			posts++
			if len(r.Body) < 1<<10 || len(r.Body) > 13<<10 {
				t.Errorf("request %d: body of %d bytes", r.Index, len(r.Body))
			}
		}
	}
	if share := float64(posts) / float64(gets+posts); share < 0.2 || share > 0.3 {
		t.Errorf("POST share %.2f, want about a quarter", share)
	}
	if n := len(plants); n < 20 || n > 60 {
		t.Errorf("%d plants in 4000 requests, want about 1%%", n)
	}
}

// TestTrackerDensePlants finds every plant where the truth list says, in
// the encoding it names.
func TestTrackerDensePlants(t *testing.T) {
	t.Parallel()
	raw, plants := genDense(t, DenseOptions{Requests: 3000, Seed: 2, PlantOneIn: 5})
	c, err := har.Read(context.Background(), bytes.NewReader(raw), har.Options{})
	if err != nil {
		t.Fatal(err)
	}
	keys, encs := map[string]bool{}, map[string]bool{}
	for _, p := range plants {
		keys[p.Key], encs[p.Encoding] = true, true
		i := slices.IndexFunc(plantEncodings, func(e plantEncoding) bool { return e.name == p.Encoding })
		if i < 0 {
			t.Fatalf("plant %+v: unknown encoding", p)
		}
		v := plantEncodings[i].encode(p.Key, DensePersona()[p.Key])
		if p.Encoding == "base64(gzip(json))" {
			v = v[:12] // gzip output is deterministic, but keep the check to its header
		}
		if !strings.Contains(surface(c.Requests[p.Request], p.Where), v) {
			t.Errorf("plant %+v: %q not in %s", p, v, p.Where)
		}
	}
	if len(keys) != 5 || len(encs) != len(plantEncodings) {
		t.Errorf("plants cover keys %v and encodings %v", keys, encs)
	}
}

// surface returns the decoded text of the channel a plant names.
func surface(r *traffic.Request, where string) string {
	ch, name, _ := strings.Cut(where, ":")
	switch ch {
	case "query":
		u, _ := url.Parse(r.URL)
		return u.Query().Get(name)
	case "cookie":
		for part := range strings.SplitSeq(r.Headers.Get("cookie"), "; ") {
			if k, v, _ := strings.Cut(part, "="); k == name {
				s, _ := url.QueryUnescape(v)
				return s
			}
		}
	case "body":
		if strings.HasPrefix(name, "form:") {
			q, _ := url.ParseQuery(string(r.Body))
			return q.Get(strings.TrimPrefix(name, "form:"))
		}
		var v struct{ User map[string]string }
		json.Unmarshal(r.Body, &v)
		return v.User[strings.TrimPrefix(name, "json:user.")]
	}
	return ""
}
