package pixel

import (
	"testing"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// FuzzDecode runs every decoder of the table (through decode, without the
// recover safety net of Decode) on arbitrary URL, body and content type.
func FuzzDecode(f *testing.F) {
	for _, c := range decodeCases(f) {
		f.Add(c.req.URL, string(c.req.Body), c.req.BodyMIME)
	}
	f.Add("https://www.facebook.com/tr/?id=1&cd[contents]=[{\"id\":", "", "")
	f.Add("https://www.facebook.com/tr/", "--x\r\nContent-Disposition: form-data; name=\"id\"\r\n\r\n1\r\n--x--", "multipart/form-data")
	f.Add("https://px.ads.linkedin.com/wa/", "H4sI!!!notbase64", "text/plain")
	f.Add("https://us.i.posthog.com/e/?compression=lz64", "data=%%%&compression=lz64", "application/x-www-form-urlencoded")
	f.Add("https://api-js.mixpanel.com/track?data=eyJldmVudCI6", "", "")
	f.Fuzz(func(t *testing.T, rawURL, body, mime string) {
		r := &traffic.Request{URL: rawURL, Method: "POST", Body: []byte(body), BodyMIME: mime}
		for _, h := range decode(r) {
			if h.Vendor == "" || h.Product == "" {
				t.Fatalf("hit without vendor/product: %+v", h)
			}
			if len(h.Fields) > maxFields {
				t.Fatalf("hit with %d fields", len(h.Fields))
			}
		}
		for _, d := range Decoders() {
			u, err := parseURL(rawURL)
			if err != nil {
				return
			}
			_ = d.Decode(r, u) // every decoder, matched or not, must survive any input
		}
	})
}

// FuzzAnalyzer feeds arbitrary requests with responses (config scripts,
// replay settings, cookies) through the Analyzer and its findings.
func FuzzAnalyzer(f *testing.F) {
	f.Add("https://connect.facebook.net/signals/config/1234?v=1", signalsConfigOn, "uid=Zx8kQ2mP9vL4tR7w", "t=Qm9vL4tR7wZx8kQ2; Path=/")
	f.Add("https://static.hotjar.com/c/hotjar-1.js", `{"recording_capture_keystrokes":true,"anonymize_emails":false}`, "", "")
	f.Add("https://sync.tracker.example/p?u=Zx8kQ2mP9vL4tR7w", "GIF89a\x01\x00\x01\x00", "a=b", "x")
	f.Add("https://connect.facebook.net/signals/config/1", `config.set("1", "automaticMatching", {"selectedMatchKeys":[`, "", "")
	f.Fuzz(func(t *testing.T, rawURL, respBody, cookie, setCookie string) {
		a := NewAnalyzer()
		for i, u := range []string{rawURL, "https://first.example/?c=" + cookie} {
			r := &traffic.Request{Index: i, URL: u, Method: "GET",
				Headers: traffic.Headers{{Name: "Cookie", Value: cookie}},
				Response: &traffic.Response{Status: 200, MIME: "image/gif", Body: []byte(respBody), BodySize: int64(len(respBody)),
					Headers: traffic.Headers{{Name: "Set-Cookie", Value: setCookie}}}}
			a.Request(r, testParty("https://first.example/", u), "https://first.example/")
		}
		for _, f := range a.Findings() {
			if f.Type == "" || f.Summary == "" {
				t.Fatalf("incomplete finding %+v", f)
			}
		}
	})
}
