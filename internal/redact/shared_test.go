package redact

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/har"
	"github.com/leakwatch/leakwatch/internal/sharedtest"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// TestSharedHARs redacts the real captures: the session values they carry
// must go, and the tracking evidence (pixel IDs, analytics identifiers, SDK
// project keys) must stay exactly as recorded.
func TestSharedHARs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file         string
		gone, kept   []string
		minUnchanged float64 // share of request URLs left exactly as recorded
	}{
		{"harviewer-no-pages.har", []string{"ntk20l55nhr11v45vbrmqo45", "190ea21e-9769-47f9-b069-40c44c16a7c5",
			"W98AI8p_nGwKEwiInfmzhPGpAhWaB9oKHSsbZW8YAyAAMPnqhRBQ-eqFEFDlltwc"}, []string{"VisitorID=6618c6c1-643b-47a4-8d34-222c5c39a9e3"}, 1},
		{"pagexray-ferguson.har", []string{"6BjnsN6uNVGO9bcGWVWfWJlwJ0844jwugXPL5e7L"}, []string{"px.ads.linkedin.com", "DYN_USER_ID=[REDACTED]", "atgid=2419437849"}, 1},
		{"pagexray-verizon.har", []string{"aaaunTprWpuHohxYo6qfw"}, nil, 0.99},
		{"pagexray-wikipedia-webpagetest.har", []string{"3ab4ce5bb4a6dd15"}, nil, 1},
		{"health-shop-personalabs.har", []string{"eyJ0eXAiOiJKV1QiLCJhbGciOiJFUzI1NiIsImtpZCI6IjIwMTgwNDI2MTYtcHJvZHVjdGlvbiIs"}, nil, 0.97},
		{"health-shop-mylabbox.har", []string{"AIzaSyBcL0tAxXGz17Dt4EFb8lvUL-RMg9UzaS8"}, []string{"company_id=UsRnv6", `"token":"UsRnv6"`, "sid=2aa4eca0056a11ee956e99dc020c447c",
			"facebook.com/tr/?id=1790176861228431&ev=PageView", "apiKey]=pk_live_fB1ASHQ6Vdci8Aa2LDXXOhkG"}, 0.97},
		// Google API keys (translate, maps) go by shape: the URLs carrying them change.
		{"health-shop-oraquick.har", []string{"AIzaSyBWDj0QJvVIx8XOhRegXX5_SrRWxhT5Hs4"}, []string{"tid=G-"}, 0.93},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			c, err := har.ReadFile(context.Background(), sharedtest.Path(t, "har", tc.file), har.Options{})
			if err != nil {
				t.Fatal(err)
			}
			red := Capture(c, Options{})
			var before, after []string
			allText(reflect.ValueOf(c), &before)
			allText(reflect.ValueOf(red), &after)
			in, out := strings.Join(before, "\n"), strings.Join(after, "\n")
			for _, s := range tc.gone {
				if !strings.Contains(in, s) {
					t.Errorf("%q is not in the HAR", s)
				}
				if strings.Contains(out, s) {
					t.Errorf("secret %q survives", s)
				}
			}
			for _, s := range tc.kept {
				if !strings.Contains(out, s) {
					t.Errorf("evidence %q was removed", s)
				}
			}
			if strings.Contains(out, "["+Placeholder+"]") || strings.Contains(out, "[[") && strings.Contains(out, "REDACTED]]") {
				t.Error("a placeholder was redacted again")
			}
			for _, q := range red.Requests {
				for _, ck := range q.Cookies {
					if sessionCookie(ck.Name) && ck.Value != Placeholder {
						t.Errorf("request %d: session cookie %s kept its value", q.Index, ck.Name)
					}
				}
			}
			if share := unchangedURLs(c, red); share < tc.minUnchanged {
				t.Errorf("only %.3f of request URLs unchanged, want >= %.3f", share, tc.minUnchanged)
			}
		})
	}
}

func unchangedURLs(a, b *traffic.Capture) float64 {
	same := 0
	for i, q := range a.Requests {
		if q.URL == b.Requests[i].URL {
			same++
		}
	}
	return float64(same) / float64(len(a.Requests))
}

// BenchmarkCapture redacts the largest shared HAR (pagexray-expressen,
// ~2.3 MB, ~600 requests with response bodies).
func BenchmarkCapture(b *testing.B) {
	path := sharedtest.Path(b, "har", "pagexray-expressen.har")
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	c, err := har.ReadFile(context.Background(), path, har.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	b.ReportMetric(float64(len(c.Requests)), "requests")
	for b.Loop() {
		Capture(c, Options{Secrets: []string{"TypedPassw0rd"}})
	}
	_ = filepath.Base(path)
}

// TestStreamingRedactor redacts a real HAR in two streaming passes into a
// HAR writer, as `analyze --evidence` can for files too big to hold, and
// checks the result equals whole-capture redaction.
func TestStreamingRedactor(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := sharedtest.Path(t, "har", "harviewer-no-pages.har")
	stream := func(v traffic.Visitor) {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := har.Stream(ctx, f, har.Options{}, v); err != nil {
			t.Fatal(err)
		}
	}
	x := NewRedactor(Options{Secrets: []string{"TypedPassw0rd"}})
	stream(x.Learner())
	var buf bytes.Buffer
	stream(x.Filter(har.NewWriter(&buf, har.WriteOptions{})))
	got, err := har.Read(ctx, &buf, har.Options{})
	if err != nil {
		t.Fatal(err)
	}
	whole, err := har.ReadFile(ctx, path, har.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := Capture(whole, Options{Secrets: []string{"TypedPassw0rd"}})
	if len(got.Requests) != len(want.Requests) || len(got.Requests) == 0 {
		t.Fatalf("%d requests, want %d", len(got.Requests), len(want.Requests))
	}
	for i := range want.Requests {
		g, w := got.Requests[i], want.Requests[i]
		if g.URL != w.URL || !reflect.DeepEqual(g.Headers, w.Headers) || !bytes.Equal(g.Body, w.Body) {
			t.Errorf("request %d differs:\n%s %v\n%s %v", i, g.URL, g.Headers, w.URL, w.Headers)
		}
	}
	var texts []string
	allText(reflect.ValueOf(got), &texts)
	out := strings.Join(texts, "\n")
	for _, s := range []string{"ntk20l55nhr11v45vbrmqo45", "190ea21e-9769-47f9-b069-40c44c16a7c5"} {
		if strings.Contains(out, s) {
			t.Errorf("secret %q survives streaming", s)
		}
	}
}

// TestHARFile redacts a HAR file to a new HAR and through a pipe, as an
// evidence bundle takes it, and finds no session value in either.
func TestHARFile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := sharedtest.Path(t, "har", "harviewer-no-pages.har")
	var buf bytes.Buffer
	if err := HARFile(ctx, path, &buf, Options{}); err != nil {
		t.Fatal(err)
	}
	rc := HARReader(ctx, path, Options{})
	piped, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(piped, buf.Bytes()) {
		t.Error("HARReader and HARFile differ")
	}
	c, err := har.Read(ctx, &buf, har.Options{})
	if err != nil || len(c.Requests) == 0 {
		t.Fatalf("redacted HAR does not read back: %v", err)
	}
	for _, s := range []string{"ntk20l55nhr11v45vbrmqo45", "190ea21e-9769-47f9-b069-40c44c16a7c5"} {
		if bytes.Contains(piped, []byte(s)) {
			t.Errorf("secret %q in the redacted HAR", s)
		}
	}
	if !bytes.Contains(piped, []byte("ASP.NET_SessionId=[REDACTED]")) {
		t.Error("no placeholder where the session cookie was")
	}
	if err := HARFile(ctx, "-", io.Discard, Options{}); err == nil {
		t.Error("standard input accepted")
	}
	rc = HARReader(ctx, filepath.Join(t.TempDir(), "missing.har"), Options{})
	if _, err := io.ReadAll(rc); err == nil || !strings.Contains(err.Error(), "missing.har") {
		t.Errorf("missing file: %v", err)
	}
}

var update = sharedtest.Update

// TestSecretsHAR keeps testdata/secrets.har, the sample capture as a HAR,
// and testdata/secrets.txt, the secrets it holds, one a line: command tests
// analyze it (persona email alice@example.com, typed password TypedPassw0rd)
// in every output format and look for each secret. -update rewrites both.
func TestSecretsHAR(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := har.Write(&buf, sampleCapture(), har.WriteOptions{CreatorName: "leakwatch-test", CreatorVersion: "1"}); err != nil {
		t.Fatal(err)
	}
	list := []byte(strings.Join(secrets, "\n") + "\n")
	for name, data := range map[string][]byte{"secrets.har": buf.Bytes(), "secrets.txt": list} {
		sharedtest.Golden(t, filepath.Join("testdata", name), data, *update)
	}
	c, err := har.ReadFile(context.Background(), filepath.Join("testdata", "secrets.har"), har.Options{})
	if err != nil {
		t.Fatal(err)
	}
	assertNoSecrets(t, Capture(c, Options{Secrets: []string{"TypedPassw0rd"}}))
}
