package redact

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/har"
	"github.com/leakwatch/leakwatch/internal/har/hargen"
	"github.com/leakwatch/leakwatch/internal/sharedtest"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// learned is a digest of the secrets a redactor learns from c: their
// number and a hash of them sorted, so the golden holds no secret.
func learned(c *traffic.Capture) string {
	r := newRedactor(Options{})
	for _, q := range c.Requests {
		r.harvestRequest(q)
	}
	keys := make([]string, 0, len(r.secrets))
	for k := range r.secrets {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	h := sha256.New()
	for _, k := range keys {
		fmt.Fprintf(h, "%d:%s\n", len(k), k)
	}
	return fmt.Sprintf("%d %x", len(keys), h.Sum(nil)[:12])
}

// TestHarvestLearnsTheSame holds what the harvest learns from the real
// captures and the generator's shapes: a faster harvest must learn
// exactly the same secrets. -update rewrites testdata/harvest.golden.
func TestHarvestLearnsTheSame(t *testing.T) {
	t.Parallel()
	var lines []string
	for _, sub := range []string{"har", "realworld"} {
		files, err := filepath.Glob(filepath.Join(sharedtest.Path(t, sub), "*.har*"))
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(files)
		for _, f := range files {
			c, err := har.ReadFile(context.Background(), f, har.Options{})
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			lines = append(lines, sub+"/"+filepath.Base(f)+" "+learned(c))
		}
	}
	for _, name := range []string{"secrets.har"} {
		c, err := har.ReadFile(context.Background(), filepath.Join("testdata", name), har.Options{})
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, "testdata/"+name+" "+learned(c))
	}
	lines = append(lines, "layered "+learned(layeredCapture()))
	for _, name := range generated() {
		var buf bytes.Buffer
		if err := generate(name, &buf); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		c, err := har.Read(context.Background(), &buf, har.Options{Name: name})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		lines = append(lines, "hargen/"+name+" "+learned(c))
	}
	got := []byte(strings.Join(lines, "\n") + "\n")
	sharedtest.Golden(t, filepath.Join("testdata", "harvest.golden"), got, *update)
}

// generated names the hargen captures the golden covers, at test sizes.
func generated() []string {
	return append([]string{"shop", "tracker-dense"}, hargen.ShapeNames()...)
}

func generate(name string, w *bytes.Buffer) error {
	switch name {
	case "shop":
		return hargen.Generate(w, hargen.Options{TargetBytes: 2 << 20, Seed: 1})
	case "tracker-dense":
		_, err := hargen.TrackerDense(w, hargen.DenseOptions{Requests: 500, Seed: 1, PlantOneIn: 3})
		return err
	}
	for _, s := range hargen.Shapes() {
		if s.Name == name {
			n := min(s.Test, 2000)
			if strings.Contains(s.Unit, "bytes") {
				n = min(s.Test, 4<<20)
			}
			return hargen.Adversarial(w, name, hargen.AdversarialOptions{N: n, Seed: 1})
		}
	}
	return fmt.Errorf("no shape %q", name)
}

// layeredCapture hides secrets of every kind the harvest learns in every
// layer it opens, between long random runs of base64's alphabet (the
// huge-body shape's filler, in which the scans' anchors also turn up).
func layeredCapture() *traffic.Capture {
	rng := rand.New(rand.NewPCG(7, 9))
	filler := func(n int) string {
		const alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
		b := make([]byte, n)
		for i := range b {
			b[i] = alpha[rng.IntN(len(alpha))]
		}
		return string(b)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write([]byte("session_token=gzSess1on0000&x=1"))
	_ = zw.Close()
	pieces := []string{
		"&pw=" + base64.StdEncoding.EncodeToString([]byte(`{"password":"Hunter2!b64x"}`)),
		"&h=" + hex.EncodeToString([]byte(`{"access_token":"hexTok3n000000"}`)),
		`&j={"data":"{\"api_key\":\"sk_live_abcdefghijklmnop1234\"}"}`,
		"&g=" + base64.RawURLEncoding.EncodeToString(gz.Bytes()),
		"&u=" + url.QueryEscape("https://u:urlPassw0rd@h.example/?csrf_token=csrfT0ken00000"),
		" Authorization: Bearer bearerTok3n000000 ",
		"&t=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl",
		"\r\nContent-Disposition: form-data; name=\"passwd\"\r\n\r\nmultiPassw0rd\r\n--b",
		`&k="key": "AKIAABCDEFGHIJKLMNOP"`,
	}
	c := &traffic.Capture{}
	for i, p := range pieces {
		body := "data=" + filler(40<<10) + p + "&rest=" + filler(40<<10)
		c.Requests = append(c.Requests, &traffic.Request{Index: i, Method: "POST", URL: "https://t.example/c?i=1" + p,
			Body: []byte(body)})
	}
	return c
}
