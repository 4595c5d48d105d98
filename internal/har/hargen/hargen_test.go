package hargen

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/url"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/har"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

var planted = map[string]string{"email": " Jane.Doe@Example.com", "zip": "94107-1234", "tracking_number": "1Z999AA10123456784",
	"phone": "+1 (555) 010-0199", "name": "Jane O'Doe"}

func generate(t *testing.T, opts Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Generate(&buf, opts); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDeterministicAndSized(t *testing.T) {
	t.Parallel()
	for _, target := range []int64{4 << 20, 12 << 20} {
		a := generate(t, Options{TargetBytes: target, Seed: 7, Values: planted})
		b := generate(t, Options{TargetBytes: target, Seed: 7, Values: planted})
		if !bytes.Equal(a, b) {
			t.Errorf("target %d: same options gave different output", target)
		}
		if c := generate(t, Options{TargetBytes: target, Seed: 8}); bytes.Equal(a, c) {
			t.Errorf("target %d: different seeds gave the same output", target)
		}
		if n := int64(len(a)); n < target || n > target+target/5 {
			t.Errorf("target %d: wrote %d bytes", target, n)
		}
		if !json.Valid(a) {
			t.Fatalf("target %d: not valid JSON", target)
		}
	}
}

func TestReadsBack(t *testing.T) {
	t.Parallel()
	raw := generate(t, Options{TargetBytes: 3 << 20, Seed: 3, Values: planted})
	c, err := har.Read(context.Background(), bytes.NewReader(raw), har.Options{Name: "gen.har", MaxResponseBody: -1})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Warnings) > 0 || len(c.Pages) != len(pageKinds) || len(c.Requests) < 100 {
		t.Fatalf("%d pages, %d requests, warnings %q", len(c.Pages), len(c.Requests), c.Warnings)
	}
	types := map[string]int{}
	for i, r := range c.Requests {
		if r.Index != i || c.PageByID(r.PageID) == nil || r.Response == nil {
			t.Fatalf("request %d: %+v", i, r)
		}
		types[r.ResourceType]++
	}
	for _, typ := range []string{"document", "script", "image", "stylesheet", "fetch", "ping"} {
		if types[typ] == 0 {
			t.Errorf("no %s requests: %v", typ, types)
		}
	}
}

// TestPlanted finds each planted value in the form its vendor sends it.
func TestPlanted(t *testing.T) {
	t.Parallel()
	raw := generate(t, Options{TargetBytes: 3 << 20, Seed: 5, Values: planted})
	c, err := har.Read(context.Background(), bytes.NewReader(raw), har.Options{})
	if err != nil {
		t.Fatal(err)
	}
	emailHash := sha256Hex("jane.doe@example.com")
	found := map[string]bool{}
	for _, r := range c.Requests {
		u, _ := url.Parse(r.URL)
		q := u.Query()
		switch {
		case u.Host == "www.facebook.com" && r.Method == "GET":
			found["meta ud[em]"] = found["meta ud[em]"] || q.Get("ud[em]") == emailHash
			found["meta ud[zp]"] = found["meta ud[zp]"] || q.Get("ud[zp]") == sha256Hex("94107")
			found["meta ud[ph]"] = found["meta ud[ph]"] || q.Get("ud[ph]") == sha256Hex("15550100199")
			found["meta ud[ln]"] = found["meta ud[ln]"] || q.Get("ud[ln]") == sha256Hex("odoe")
		case u.Host == "www.facebook.com":
			found["meta beacon"] = found["meta beacon"] || strings.Contains(string(r.Body), emailHash)
		case strings.HasSuffix(u.Host, "google-analytics.com"):
			dl, _ := url.Parse(q.Get("dl"))
			found["ga dl email"] = found["ga dl email"] || dl.Query().Get("email") == planted["email"]
			found["ga tracking"] = found["ga tracking"] || strings.Contains(string(r.Body), "ep.tracking_number=1Z999AA10123456784")
		case u.Host == "px.ads.linkedin.com":
			found["linkedin pageTitle"] = found["linkedin pageTitle"] || strings.Contains(linkedInTitle(t, r), "1Z999AA10123456784")
		case u.Host == "analytics.tiktok.com" && r.Method == "POST":
			found["tiktok sha256_email"] = found["tiktok sha256_email"] || strings.Contains(string(r.Body), `"sha256_email":"`+emailHash+`"`)
			found["tiktok phone"] = found["tiktok phone"] || strings.Contains(string(r.Body), `"sha256_phone_number":"`+sha256Hex("+15550100199")+`"`)
		case u.Host == "ct.pinterest.com":
			found["pinterest pd.em"] = found["pinterest pd.em"] || strings.Contains(q.Get("pd"), `"em":"`+emailHash+`"`)
		case u.Host == "bat.bing.com":
			found["bing p"] = found["bing p"] || strings.Contains(q.Get("p"), "number=1Z999AA10123456784")
		case u.Host == "a.klaviyo.com":
			found["klaviyo $email"] = found["klaviyo $email"] || strings.Contains(string(r.Body), `"$email":" Jane.Doe@Example.com"`)
			found["klaviyo $phone_number"] = found["klaviyo $phone_number"] || strings.Contains(string(r.Body), `"$phone_number":"+1 (555) 010-0199"`)
		}
	}
	for _, want := range []string{"meta ud[em]", "meta ud[zp]", "meta beacon", "ga dl email", "ga tracking", "linkedin pageTitle", "tiktok sha256_email", "pinterest pd.em", "bing p", "klaviyo $email",
		"meta ud[ph]", "meta ud[ln]", "tiktok phone", "klaviyo $phone_number"} {
		if !found[want] {
			t.Errorf("planted value not found: %s", want)
		}
	}
	clean := generate(t, Options{TargetBytes: 1 << 20, Seed: 5})
	if bytes.Contains(clean, []byte(emailHash)) || bytes.Contains(clean, []byte("Jane.Doe")) {
		t.Error("values planted without Options.Values")
	}
}

func linkedInTitle(t *testing.T, r *traffic.Request) string {
	t.Helper()
	z, err := base64.StdEncoding.DecodeString(string(r.Body))
	if err != nil {
		t.Fatalf("linkedin body not base64: %v", err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(z))
	if err != nil {
		t.Fatal(err)
	}
	var v struct{ PageTitle string }
	b, _ := io.ReadAll(zr)
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v.PageTitle
}

func TestStreamsWithoutHoldingTheFile(t *testing.T) {
	t.Parallel()
	// Generating 64 MB allocates far less than 64 MB live: the writer
	// streams. Count bytes only.
	cw := &countWriter{}
	if err := Generate(cw, Options{TargetBytes: 64 << 20, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	if cw.n < 64<<20 {
		t.Errorf("wrote %d bytes", cw.n)
	}
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}
