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
