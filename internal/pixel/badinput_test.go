package pixel

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

func oneHit(t *testing.T, r *traffic.Request) Hit {
	t.Helper()
	hits := Decode(r)
	if len(hits) != 1 {
		t.Fatalf("got %d hits, want 1", len(hits))
	}
	return hits[0]
}

func TestBadInputKeptRaw(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		req  *traffic.Request
		want wantField
	}{
		{"malformed JSON parameter", get(`https://www.facebook.com/tr/?id=1&ev=X&cd[contents]=[{"id":"a",`),
			wantField{"cd[contents]", `[{"id":"a",`, CustomData}},
		{"malformed JSON in pinterest pd", get(`https://ct.pinterest.com/v3/?tid=1&event=x&pd={"em":`),
			wantField{"pd", `{"em":`, Raw}},
		{"base64 body that is not", post("https://px.ads.linkedin.com/wa/", "text/plain", "H4sI!!!not-base64"),
			wantField{"body", "H4sI!!!not-base64", Raw}},
		{"gzip-looking base64 that is not gzip", post("https://px.ads.linkedin.com/wa/", "text/plain", "H4sIAAAA"),
			wantField{"body", "H4sIAAAA", Raw}},
		{"mixpanel data not base64", get("https://api-js.mixpanel.com/track/?data=%%%notbase64"),
			wantField{"data", "%%%notbase64", Raw}},
		{"posthog lz64 that is not", post("https://us.i.posthog.com/e/", "application/x-www-form-urlencoded",
			"data=@@@@&compression=lz64"), wantField{"data", "@@@@", Raw}},
		{"tiktok body not JSON", post("https://analytics.tiktok.com/api/v2/pixel", "application/json", "{oops"),
			wantField{"body", "{oops", Raw}},
		{"snowplow ue_px not base64", get("https://c.example/i?e=ue&tv=js&ue_px=***"),
			wantField{"ue_px", "***", CustomData}},
		{"bad percent escape", get("https://www.facebook.com/tr/?id=1&ev=X&dl=%zz%41"),
			wantField{"dl", "%zz%41", PageURL}},
		{"multipart without boundary", post("https://www.facebook.com/tr/", "multipart/form-data",
			"--b\r\nContent-Disposition: form-data; name=\"id\"\r\n\r\n5\r\n--b--\r\n"), wantField{"id", "5", AccountID}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			h := oneHit(t, c.req)
			if !hasField(h.Fields, c.want) {
				t.Errorf("missing %s=%q (%s): %s", c.want.name, c.want.value, c.want.meaning, fieldList(h.Fields))
			}
		})
	}
}

func TestHugeContents(t *testing.T) {
	t.Parallel()
	var many, long strings.Builder
	many.WriteString("[")
	for i := 0; many.Len() < 100_000; i++ {
		if i > 0 {
			many.WriteString(",")
		}
		fmt.Fprintf(&many, `{"id":"sku%d","q":%d}`, i, i)
	}
	many.WriteString("]")
	long.WriteString(`[{"id":"`)
	long.WriteString(strings.Repeat("x", 100_000))
	long.WriteString(`"}]`)
	for _, contents := range []string{many.String(), long.String()} {
		r := get("https://www.facebook.com/tr/?id=1&ev=Purchase&cd[contents]=" + url.QueryEscape(contents))
		h := oneHit(t, r)
		total := 0
		for _, f := range h.Fields {
			if strings.HasPrefix(f.Name, "cd[contents]") {
				total += len(f.Value)
				if f.Meaning != CustomData {
					t.Errorf("%s meaning %q", f.Name, f.Meaning)
				}
			}
		}
		if total < 50_000 {
			t.Errorf("cd[contents] kept %d bytes of %d", total, len(contents))
		}
		if len(h.Fields) > maxJSONLeaves+10 {
			t.Errorf("%d fields", len(h.Fields))
		}
	}
}

func TestDuplicateAndCase(t *testing.T) {
	t.Parallel()
	h := oneHit(t, get("https://WWW.FACEBOOK.COM/TR/?ID=77&EV=PageView&ev=Purchase&UD[EM]="+testEmailHash+"&ud[em]=dup"))
	if h.Account != "77" || h.Event != "PageView" {
		t.Errorf("account %q event %q", h.Account, h.Event)
	}
	for _, w := range []wantField{{"ID", "77", AccountID}, {"EV", "PageView", EventName}, {"ev", "Purchase", EventName},
		{"UD[EM]", testEmailHash, HashedEmail}, {"ud[em]", "dup", HashedEmail}} {
		if !hasField(h.Fields, w) {
			t.Errorf("missing %+v in %s", w, fieldList(h.Fields))
		}
	}
}

func TestDecodeNeverPanicsOnOddRequests(t *testing.T) {
	t.Parallel()
	for _, r := range []*traffic.Request{
		nil, {}, {URL: "::"}, {URL: "https://"}, {URL: "/relative"},
		{URL: "https://www.facebook.com/tr", Body: []byte{0x1f, 0x8b, 0, 0}},
		{URL: "https://bat.bing.com/action/0", Headers: traffic.Headers{{Name: "Content-Encoding", Value: "br"}}, Body: []byte("xx")},
		{URL: "https://bat.bing.com/action/0", Headers: traffic.Headers{{Name: "Content-Encoding", Value: "zstd"}}, Body: []byte("xx")},
		{URL: "https://k.clarity.ms/collect"},
		{URL: "https://api.segment.io/v1/batch", Body: []byte(`{"batch":{}}`)},
		{URL: "https://api.amplitude.com/", Body: []byte("e=[1,2,[3]]"), BodyMIME: "application/x-www-form-urlencoded"},
	} {
		_ = Decode(r)
		_ = NewAnalyzer().Request(r, testParty(testPage, "https://x.example/"), testPage)
	}
}
