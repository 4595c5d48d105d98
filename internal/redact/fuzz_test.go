package redact

import (
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// FuzzCapture runs redaction over arbitrary cookie headers, Set-Cookie
// lines, URLs and bodies: it must never panic, and a session cookie's value
// must not survive anywhere in the output.
func FuzzCapture(f *testing.F) {
	f.Add("sessionid=abcdef123456; _ga=GA1.2.3", "remember=tok123456; Path=/; HttpOnly", "https://a.example/?token=zzzzzz&x=1",
		`{"password":"p4ssw0rd!","a":[1,{"api_key":"kkkkkkkk"}]}`, "abcdef123456")
	f.Add("a=b", "x", "%zz", "--b\r\nContent-Disposition: form-data; name=\"pwd\"\r\n\r\nsecretpw\r\n--b--", "secretpw")
	f.Add(";;==;", "=;=", "eyJabcdefgh.eyJabcdefgh.x", `\"token\":\"t0k3n0000\"`, "Bearer abcdefghijkl")
	f.Fuzz(func(t *testing.T, cookie, setCookie, rawURL, body, sess string) {
		c := &traffic.Capture{
			Pages: []*traffic.Page{{URL: rawURL}},
			Requests: []*traffic.Request{{
				URL:     rawURL,
				Headers: traffic.Headers{{Name: "Cookie", Value: cookie}, {Name: "Cookie", Value: "sid=" + sess}, {Name: "Authorization", Value: body}},
				Body:    []byte(body + " " + sess),
				Response: &traffic.Response{Headers: traffic.Headers{{Name: "Set-Cookie", Value: setCookie}},
					Body: []byte(body)},
				WebSocket: []traffic.WebSocketFrame{{Data: []byte(sess + body)}},
			}},
			Storage: []traffic.StorageItem{{Key: cookie, Value: body}},
		}
		out := Capture(c, Options{Secrets: []string{sess}})
		if len(out.Requests) != 1 || out.Requests[0].Headers[2].Value == body && strings.TrimSpace(body) != "" && body != Placeholder {
			t.Fatalf("authorization header kept: %q", out.Requests[0].Headers[2].Value)
		}
		s := strings.TrimSpace(sess)
		if len(s) < minHarvested || strings.ContainsAny(s, ";\r\n") || strings.Contains(strings.ToUpper(s), "REDACTED") || trivial[strings.ToLower(s)] {
			return
		}
		for _, text := range []string{out.Requests[0].Headers[1].Value, string(out.Requests[0].Body), string(out.Requests[0].WebSocket[0].Data)} {
			if strings.Contains(text, s) {
				t.Fatalf("session value %q survives in %q", s, text)
			}
		}
	})
}
