package redact

import (
	"strings"
	"testing"
	"unicode/utf8"

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

// FuzzMask: any value and kind gives a mask without panicking, and a value
// of more than 4 runes never comes back whole (countries excepted).
func FuzzMask(f *testing.F) {
	for _, s := range []string{"maria@gmail.com", "+1 (415) 555-0142", "1984-03-07", "9400111899223197428490", "Ñúñez", "@", "a@b@c", "\xff\xfe"} {
		for _, k := range []string{"email", "phone", "date_of_birth", "tracking_numbers", "first_name", "zip", "us-ssn", "custom.x"} {
			f.Add(s, k)
		}
	}
	f.Fuzz(func(t *testing.T, value, kind string) {
		m := Mask(value, kind)
		v := strings.TrimSpace(value)
		if strings.EqualFold(kind, "country") || utf8.RuneCountInString(v) <= 4 {
			return
		}
		if m == v {
			t.Fatalf("Mask(%q, %q) revealed the value", value, kind)
		}
	})
}

// FuzzLayers runs the layer walk over arbitrary text: it must never panic;
// a splice of a rewrite unescapes to that rewrite; and a typed secret of
// six or more characters that is in the text as it is never survives.
func FuzzLayers(f *testing.F) {
	f.Add("d=SHVudGVyMiFUeXBlZA%3D%3D&h=48756e74657232215479706564", "Hunter2!Typed")
	f.Add(`{"p":"{\"pw\":\"Hunter2!Typed\",\"e\":\"\u00e9\ud83d\ude00\"}"}`, "Hunter2!Typed")
	f.Add("%%%\\u12\\", "abcdef")
	f.Add("H4sIAAAAAAAA/6pWKlCyUjJKzdUrLS5JLcpNzMtzSK1IzC3ISdVLzs9V0lEqACoJKTIoTTJJyS9SM9bNyC8qTlWqBQBX7qVLPAAAAA==", "secret")
	f.Fuzz(func(t *testing.T, text, secret string) {
		for _, e := range escapings {
			d, ok := e.unescape(text)
			if !ok {
				continue
			}
			d2 := strings.Replace(d, d[:len(d)/2], "[x]", 1)
			spliced := e.splice(text, d, d2)
			got, ok := e.unescape(spliced)
			if !ok {
				got = spliced
			}
			if got != d2 {
				t.Fatalf("%s: splice of %q does not unescape to %q but %q", e.name, text, d2, got)
			}
		}
		out := Capture(&traffic.Capture{Requests: []*traffic.Request{{URL: "https://t.example/", Body: []byte(text)}}},
			Options{Secrets: []string{secret}})
		s := strings.TrimSpace(secret)
		if len(s) >= minPassword && strings.Contains(text, s) && !strings.Contains(strings.ToUpper(s), "REDACTED") &&
			!trivial[strings.ToLower(s)] && strings.Contains(string(out.Requests[0].Body), s) {
			t.Fatalf("secret %q survives in %q", s, out.Requests[0].Body)
		}
	})
}
