package leak

import (
	"encoding/base64"
	"testing"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// TestChannelDetails covers the less common shapes of each channel.
func TestChannelDetails(t *testing.T) {
	t.Parallel()
	email := "alice.smith@example.com"
	withResp := func(resp *traffic.Response) *traffic.Request {
		r := get("https://t.example/sync")
		r.Response = resp
		return r
	}
	cases := []struct {
		name          string
		req           *traffic.Request
		ch, loc       string
		enc           []string
		absentChannel string // a channel that must stay silent
	}{
		{"criteo pN nested query", get("https://sslwidget.criteo.com/event?a=1&p0=" + q("e=ce&m=["+email+"]")), ChannelQuery, "p0 > m", []string{"lowercase"}, ""},
		{"floodlight u-param", get("https://ad.doubleclick.net/activity;src=1;type=a;u1=" + q(email) + ";ord=1?"), ChannelURLPath, ";u1", []string{"lowercase"}, ChannelQuery},
		{"set-cookie lines joined", withResp(&traffic.Response{Headers: traffic.Headers{{Name: "Set-Cookie", Value: "a=1; Path=/\nuid=" + email + "; Secure"}}}), ChannelCookie, "Set-Cookie: uid", []string{"lowercase"}, ""},
		{"response cookies only", withResp(&traffic.Response{Cookies: []traffic.Cookie{{Name: "e", Value: email}}}), ChannelCookie, "Set-Cookie: e", []string{"lowercase"}, ""},
		{"redirect url field", withResp(&traffic.Response{Status: 302, RedirectURL: "https://n.example/x/" + email}), ChannelRedirect, "/2", []string{"lowercase"}, ""},
		{"relative location", withResp(&traffic.Response{Status: 302, Headers: traffic.Headers{{Name: "Location", Value: "/cb?u=" + q(email)}}}), ChannelRedirect, "u", []string{"lowercase"}, ""},
		{"request cookies without header", &traffic.Request{URL: "https://t.example/", Cookies: []traffic.Cookie{{Name: "km_ni", Value: q(email)}}}, ChannelCookie, "km_ni", []string{"url", "lowercase"}, ""},
		{"origin-less referer path", get("https://t.example/", traffic.Header{Name: "Referer", Value: "https://shop.example/u/" + email + "/orders"}), ChannelHeader, "Referer", []string{"lowercase"}, ""},
		{"fragment without pairs", get("https://t.example/#" + q(email)), ChannelFragment, "#", []string{"lowercase"}, ""},
		{"pseudo header skipped, url still searched", get("https://t.example/p?e="+q(email), traffic.Header{Name: ":path", Value: "/p?e=" + email}), ChannelQuery, "e", []string{"lowercase"}, ChannelHeader},
		{"json number leaf", post("application/json", []byte(`{"user":{"phone":14155550134,"m":"`+email+`"}}`)), ChannelBody, "user.m", []string{"lowercase"}, ""},
		{"json in a form field", post("application/x-www-form-urlencoded", []byte("data="+q(`{"properties":{"$email":"`+email+`"}}`))), ChannelBody, "data > properties.$email", []string{"lowercase"}, ""},
		{"url in json in base64", get("https://t.example/p?ad=" + q(base64.StdEncoding.EncodeToString([]byte(`{"loc":"https://shop.example/acct?e=`+q(email)+`"}`)))), ChannelQuery, "ad > loc > e", []string{"base64", "lowercase"}, ""},
		{"multipart file part", post("multipart/form-data; boundary=B", []byte("--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.json\"\r\n"+
			"Content-Type: application/json\r\n\r\n{\"em\":\""+email+"\"}\r\n--B--\r\n")), ChannelBody, "f (a.json) > em", []string{"lowercase"}, ""},
		{"binary websocket frame", &traffic.Request{URL: "wss://x.example/", WebSocket: []traffic.WebSocketFrame{{Sent: true, Opcode: 2, Data: append([]byte{0, 1, 2, 0xff}, []byte(email+"\x00\x07")...)}}}, ChannelWebSocket, "sent", []string{"lowercase"}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			res := alicePool.Scan(c.req, ScanOptions{})
			expectMatch(t, res, "email", c.ch, c.loc, c.enc)
			if c.name == "json number leaf" {
				expectMatch(t, res, "phone", ChannelBody, "user.phone", []string{"digits"})
			}
			if c.absentChannel != "" {
				for _, m := range res.Matches {
					if m.Channel == c.absentChannel {
						t.Errorf("unexpected match in %s: %+v", c.absentChannel, m)
					}
				}
			}
		})
	}
}

// TestJSONKeys: a value used as an object key is found and named.
func TestJSONKeys(t *testing.T) {
	t.Parallel()
	body := `{"users":{"alice.smith@example.com":{"seen":1}},"h":{"` + hexSHA("alice.smith@example.com") + `":true},"plain":{"email":1}}`
	res := alicePool.Scan(post("application/json", []byte(body)), ScanOptions{})
	expectMatch(t, res, "email", ChannelBody, "users (key)", []string{"lowercase"})
	expectMatch(t, res, "email", ChannelBody, "h (key)", []string{"sha256", "lowercase"})
	if len(res.Matches) != 2 {
		t.Fatalf("want 2 matches:%s", describe(res))
	}
}

// TestTwoTrackingNumbersOneField: each value of a multi-valued persona key
// is its own finding.
func TestTwoTrackingNumbersOneField(t *testing.T) {
	t.Parallel()
	p, _ := NewPool([]Persona{{TrackingNumbers: []string{"9400111899223197428497", "EC123456785US"}}})
	res := p.Scan(get("https://t.example/track?tLabels=9400111899223197428497%2CEC123456785US"), ScanOptions{})
	if len(res.Matches) != 2 || res.Matches[0].Value == res.Matches[1].Value {
		t.Fatalf("want both numbers:%s", describe(res))
	}
}
