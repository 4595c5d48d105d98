package redact

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"io"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// secrets planted in the sample capture; none may survive redaction.
var secrets = []string{
	"s3cr3tSessionValue123", "CsrfTok987654", "100004567890123", "44:abcDEF:2",
	"HttpOnlyPrefValue77", "RememberTok55555", "HostCookieVal999", "Hunter2Secret!",
	"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlMTIz", "apikey-ABCDEF123456",
	"JsonPass!9", "UrlToken5555", "MultiPartPwd77", "GzipBodyToken42", "WsSessTok321", "StorageTok888",
	"TypedPassw0rd", "BasicPass77", "Ym9iOkJhc2ljUGFzczc3", "eyJhbGciOiJub25lIn0.eyJ1c2VyIjoiYWxpY2UifQ.",
	"RespTokenABC123", "zz9TokenInJsonString", "UserInfoPw42", "WidgetSess00042", "OtpCode777999",
	// Provider credentials, found by shape under any name or none.
	"AIzaSyA1b2C3d4E5f6G7h8I9j0K_lMnOpQrStUv", "sk_live_4eC39HqLyjWDarjtT1zdp7dc", "AKIAIOSFODNN7EXAMPLE",
	"ghp_16C7e42F292c6912E7710c838347Ae178B4a", "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
	"sk-proj-Abc123Def456Ghi789",
}

// kept are values redaction must leave alone: the evidence of leaks.
var kept = []string{
	"_ga=GA1.2.111.222", "fr=FrCookie0123abc", "alice%40example.com", "ud[em]=ff8d9819fc0e12bf0d24892e45987e249a28dce836a85cad60e28eaaa8c6d976",
	"Path=/; HttpOnly", "ev=PageView", `"email":"alice@example.com"`, "dl=https%3A%2F%2Fshop.example%2Fcb%3Faccess_token%3D",
	"name=\"username\"", "theme=dark",
	"_pin_unauth=dWlkPU5qZzRNVGMzTkRjdE9E", "pk_live_51HxYzPublishableKey", "token=3f4b2c1d9e8a7b6c5d4e3f2a1b0c9d8e",
}

var t0 = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

func gz(s string) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.Bytes()
}

func sampleCapture() *traffic.Capture {
	page := "https://shop.example/cb?access_token=UrlToken5555"
	fbCookies := "c_user=100004567890123; xs=44%3AabcDEF%3A2; fr=FrCookie0123abc"
	multipartBody := "--XyZ\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\nalice\r\n" +
		"--XyZ\r\nContent-Disposition: form-data; name=\"new_password\"\r\nContent-Type: text/plain\r\n\r\nMultiPartPwd77\r\n--XyZ--\r\n"
	return &traffic.Capture{
		Source: "scan of https://shop.example/", Creator: "leakwatch",
		Pages: []*traffic.Page{
			{ID: "p1", URL: page, Title: "Reset for TypedPassw0rd", Started: t0},
			{ID: "p2", URL: "https://shop.example/search?q=TypedPassw0rd"},
			{ID: "p3", URL: "https://admin:UserInfoPw42@staging.shop.example/", Title: "see https://admin:UserInfoPw42@staging.shop.example/"},
		},
		Cookies: []traffic.Cookie{
			{Name: "sessionid", Value: "s3cr3tSessionValue123", Domain: "shop.example", HTTPOnly: true},
			{Name: "_ga", Value: "GA1.2.111.222", Domain: ".shop.example"},
			{Name: "prefs_h", Value: "HttpOnlyPrefValue77", Domain: "shop.example", HTTPOnly: true},
			{Name: "theme", Value: "dark", Domain: "shop.example"},
			{Name: "c_user", Value: "100004567890123", Domain: ".facebook.com", HTTPOnly: false},
		},
		Storage: []traffic.StorageItem{
			{Origin: "https://shop.example", Kind: "local", Key: "auth_token", Value: "StorageTok888"},
			{Origin: "https://shop.example", Kind: "local", Key: "state", Value: `{"jwt":"eyJhbGciOiJub25lIn0.eyJ1c2VyIjoiYWxpY2UifQ."}`},
		},
		Requests: []*traffic.Request{
			{Index: 0, URL: page, Method: "GET", ResourceType: "document",
				Headers: traffic.Headers{{Name: ":authority", Value: "shop.example"},
					{Name: "Cookie", Value: "sessionid=s3cr3tSessionValue123; _ga=GA1.2.111.222; csrftoken=CsrfTok987654; prefs_h=HttpOnlyPrefValue77; theme=dark"}},
				Response: &traffic.Response{Status: 200, Headers: traffic.Headers{
					{Name: "Set-Cookie", Value: "remember_me=RememberTok55555; Path=/; HttpOnly"},
					{Name: "set-cookie", Value: "__Host-id=HostCookieVal999; Secure; Path=/"}},
					Cookies: []traffic.Cookie{{Name: "remember_me", Value: "RememberTok55555", HTTPOnly: true}},
					Body:    []byte(`<script>var cfg={"api_token":"RespTokenABC123"};</script>`)}},
			{Index: 1, URL: "https://shop.example/login", Method: "POST", BodyMIME: "application/x-www-form-urlencoded",
				Headers: traffic.Headers{{Name: "Content-Type", Value: "application/x-www-form-urlencoded"}},
				Body:    []byte("username=alice%40example.com&password=Hunter2Secret%21&csrf_token=CsrfTok987654")},
			{Index: 2, URL: "https://api.shop.example/me", Method: "POST",
				Headers: traffic.Headers{
					{Name: "Authorization", Value: "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlMTIz"},
					{Name: "X-Api-Key", Value: "apikey-ABCDEF123456"},
					{Name: "Proxy-Authorization", Value: "Basic " + base64.StdEncoding.EncodeToString([]byte("bob:BasicPass77"))}},
				Body: []byte(`{"user":{"password":"JsonPass!9"},"email":"alice@example.com","blob":"{\"refresh_token\":\"zz9TokenInJsonString\"}"}`)},
			{Index: 3, URL: "https://www.facebook.com/tr?id=1&ev=PageView&ud[em]=ff8d9819fc0e12bf0d24892e45987e249a28dce836a85cad60e28eaaa8c6d976",
				Method: "GET", Headers: traffic.Headers{{Name: "Cookie", Value: fbCookies}, {Name: "Referer", Value: page},
					{Name: "X-Debug", Value: "user=alice; otp_code=OtpCode777999"}},
				Cookies:   []traffic.Cookie{{Name: "c_user", Value: "100004567890123"}, {Name: "xs", Value: "44%3AabcDEF%3A2"}, {Name: "fr", Value: "FrCookie0123abc"}},
				Initiator: traffic.Initiator{Type: "script", URL: page, Stack: []traffic.StackFrame{{URL: page}}}},
			{Index: 4, URL: "https://region1.google-analytics.com/g/collect?v=2&dl=" + url.QueryEscape(page), Method: "POST",
				Body: []byte("en=page_view&ep.note=BasicPass77&dl=" + url.QueryEscape(page))},
			{Index: 5, URL: "https://shop.example/account/password", Method: "POST", BodyMIME: "multipart/form-data; boundary=XyZ",
				Body: []byte(multipartBody)},
			{Index: 6, URL: "https://shop.example/api", Method: "POST",
				Headers: traffic.Headers{{Name: "Content-Encoding", Value: "gzip"}, {Name: "Content-Type", Value: "application/json"}},
				Body:    gz(`{"auth_token":"GzipBodyToken42","theme":"dark"}`)},
			{Index: 7, URL: "wss://rs.replay.example/ws", Method: "GET", ResourceType: "websocket",
				WebSocket: []traffic.WebSocketFrame{
					{Sent: true, Opcode: 1, Data: []byte(`{"session_token":"WsSessTok321","dom":"<input value=s3cr3tSessionValue123>"}`)},
					{Sent: false, Opcode: 1, Data: []byte(`{"ok":true}`)}}},
			{Index: 8, URL: "https://shop.example/login", Method: "POST", Params: []traffic.Param{
				{Name: "username", Value: "alice"}, {Name: "pwd", Value: "Hunter2Secret!"}}},
			{Index: 9, URL: "https://api.chatwidget.example/v1/identify", Method: "POST", BodyMIME: "application/json",
				Headers: traffic.Headers{{Name: "Authorization", Value: "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlMTIz"},
					{Name: "Cookie", Value: "widget_session=WidgetSess00042; theme=dark"}, {Name: "Content-Type", Value: "application/json"}},
				Body: []byte(`{"email":"alice@example.com","name":"Alice"}`)},
			{Index: 10, URL: "https://maps.example/js?key=AIzaSyA1b2C3d4E5f6G7h8I9j0K_lMnOpQrStUv&api_key=sk_live_4eC39HqLyjWDarjtT1zdp7dc" +
				"&pk=pk_live_51HxYzPublishableKey&token=3f4b2c1d9e8a7b6c5d4e3f2a1b0c9d8e&apikey=sk-proj-Abc123Def456Ghi789",
				Method: "POST", Headers: traffic.Headers{{Name: "Cookie", Value: "_pin_unauth=dWlkPU5qZzRNVGMzTkRjdE9E; fr=FrCookie0123abc"},
					{Name: "X-Debug", Value: "gh=ghp_16C7e42F292c6912E7710c838347Ae178B4a"}},
				Body: []byte(`{"aws":"AKIAIOSFODNN7EXAMPLE","hook":"xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"}`)},
		},
	}
}

// allText returns every string and byte slice reachable from v, with
// gzip bodies also given decompressed.
func allText(v reflect.Value, out *[]string) {
	switch v.Kind() {
	case reflect.String:
		*out = append(*out, v.String())
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			b := v.Bytes()
			*out = append(*out, string(b))
			if r, err := gzip.NewReader(bytes.NewReader(b)); err == nil {
				if d, err := io.ReadAll(r); err == nil {
					*out = append(*out, string(d))
				}
			}
			return
		}
		for i := 0; i < v.Len(); i++ {
			allText(v.Index(i), out)
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			allText(v.Elem(), out)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				allText(v.Field(i), out)
			}
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			allText(v.MapIndex(k), out)
		}
	}
}

func assertNoSecrets(t *testing.T, v any, extra ...string) {
	t.Helper()
	var texts []string
	allText(reflect.ValueOf(v), &texts)
	for _, s := range append(append([]string{}, secrets...), extra...) {
		forms := []string{s, url.QueryEscape(s)}
		for _, text := range texts {
			for _, f := range forms {
				if strings.Contains(text, f) {
					t.Errorf("secret %q survives in %q", f, text)
				}
			}
		}
	}
}

func assertKept(t *testing.T, v any, want []string) {
	t.Helper()
	var texts []string
	allText(reflect.ValueOf(v), &texts)
	all := strings.Join(texts, "\n")
	for _, k := range want {
		if !strings.Contains(all, k) {
			t.Errorf("redaction removed %q", k)
		}
	}
}

func TestCaptureRemovesEverySecret(t *testing.T) {
	t.Parallel()
	orig := sampleCapture()
	red := Capture(orig, Options{Secrets: []string{"TypedPassw0rd"}})
	assertNoSecrets(t, red)
	assertKept(t, red, kept)
	if !reflect.DeepEqual(orig, sampleCapture()) {
		t.Error("Capture modified its input")
	}
	if n := strings.Count(strings.Join(func() []string { var s []string; allText(reflect.ValueOf(red), &s); return s }(), ""), Placeholder); n < len(secrets) {
		t.Errorf("only %d placeholders", n)
	}
}

func TestCaptureStructure(t *testing.T) {
	t.Parallel()
	red := Capture(sampleCapture(), Options{Secrets: []string{"TypedPassw0rd"}})
	tests := []struct {
		name, got, want string
	}{
		{"cookie header", red.Requests[0].Headers[1].Value,
			"sessionid=[REDACTED]; _ga=GA1.2.111.222; csrftoken=[REDACTED]; prefs_h=[REDACTED]; theme=dark"},
		{"authority untouched", red.Requests[0].Headers[0].Value, "shop.example"},
		{"set-cookie", red.Requests[0].Response.Headers[0].Value, "remember_me=[REDACTED]; Path=/; HttpOnly"},
		{"host cookie", red.Requests[0].Response.Headers[1].Value, "__Host-id=[REDACTED]; Secure; Path=/"},
		{"form body", string(red.Requests[1].Body), "username=alice%40example.com&password=[REDACTED]&csrf_token=[REDACTED]"},
		{"bearer", red.Requests[2].Headers[0].Value, "Bearer [REDACTED]"},
		{"api key", red.Requests[2].Headers[1].Value, "[REDACTED]"},
		{"basic", red.Requests[2].Headers[2].Value, "Basic [REDACTED]"},
		{"json body", string(red.Requests[2].Body), `{"user":{"password":"[REDACTED]"},"email":"alice@example.com","blob":"{\"refresh_token\":\"[REDACTED]\"}"}`},
		{"facebook cookies", red.Requests[3].Headers[0].Value, "c_user=[REDACTED]; xs=[REDACTED]; fr=FrCookie0123abc"},
		{"page url", red.Pages[0].URL, "https://shop.example/cb?access_token=[REDACTED]"},
		{"title", red.Pages[0].Title, "Reset for [REDACTED]"},
		{"search", red.Pages[1].URL, "https://shop.example/search?q=[REDACTED]"},
		{"userinfo", red.Pages[2].URL, "https://admin:[REDACTED]@staging.shop.example/"},
		{"storage", red.Storage[0].Value, "[REDACTED]"},
		{"storage jwt", red.Storage[1].Value, `{"jwt":"[REDACTED]"}`},
		{"jar session", red.Cookies[0].Value, "[REDACTED]"},
		{"jar ga", red.Cookies[1].Value, "GA1.2.111.222"},
		{"jar httponly first party", red.Cookies[2].Value, "[REDACTED]"},
		{"params", red.Requests[8].Params[1].Value, "[REDACTED]"},
		{"params kept", red.Requests[8].Params[0].Value, "alice"},
		{"ws", string(red.Requests[7].WebSocket[0].Data), `{"session_token":"[REDACTED]","dom":"<input value=[REDACTED]>"}`},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, tc.got, tc.want)
		}
	}
	r, err := gzip.NewReader(bytes.NewReader(red.Requests[6].Body))
	if err != nil {
		t.Fatalf("gzip body no longer gzip: %v", err)
	}
	body, _ := io.ReadAll(r)
	if string(body) != `{"auth_token":"[REDACTED]","theme":"dark"}` {
		t.Errorf("gzip body: %s", body)
	}
	if !strings.Contains(string(red.Requests[5].Body), "name=\"new_password\"\r\nContent-Type: text/plain\r\n\r\n[REDACTED]\r\n--XyZ--") {
		t.Errorf("multipart: %q", red.Requests[5].Body)
	}
}

func TestCaptureWithoutSecrets(t *testing.T) {
	t.Parallel()
	c := &traffic.Capture{Requests: []*traffic.Request{{
		URL: "https://www.facebook.com/tr?id=1&ev=Purchase&cd[value]=12.50", Method: "GET",
		Headers: traffic.Headers{{Name: "Cookie", Value: "_fbp=fb.1.1686170368751.123; theme=1"}},
		Body:    []byte{0x1f, 0x8b, 0xff, 0x00}}}}
	red := Capture(c, Options{})
	if !reflect.DeepEqual(red, c) {
		t.Errorf("capture without secrets changed:\n%+v\n%+v", red.Requests[0], c.Requests[0])
	}
	if Capture(nil, Options{}) != nil {
		t.Error("nil capture")
	}
}

func TestSecretNames(t *testing.T) {
	t.Parallel()
	cookies := map[string]bool{"sessionid": true, "PHPSESSID": true, "__Host-x": true, "__Secure-y": true, "c_user": true, "xs": true,
		"fr": false, "_pin_unauth": false, "unauth": false, "authToken": true, "auth0.is.authenticated": true, "my_access_token": true,
		"_ga_ABC123": false, "_hjSessionUser_123": false, "datr": true, "sb": true, "XSRF-TOKEN": true, "remember_web": true, "wordpress_logged_in_ab": true, "auth": true,
		"connect.sid": true, "SID": true, "__Secure-3PSID": true, "_gh_sess": true, "ASP.NET_SessionId": true, "JSESSIONID": true,
		"_uetsid": false, "__stripe_sid": true, "BVSID": false, "rsid": false, "_ga": false, "_fbp": false, "_gcl_au": false, "theme": false, "frx": false, "": false,
		"svSession": false, "bSession": false, "da_sid": false, "invoca_session": false, "kampyleUserSession": false,
		"leadid_token-83C094F2-37E5-6427-C9D2-64282C4F5A96": false, "s_sess": false}
	for name, want := range cookies {
		if sessionCookie(name) != want {
			t.Errorf("sessionCookie(%q) = %v", name, !want)
		}
	}
	headers := map[string]bool{"Authorization": true, "proxy-authorization": true, "X-Api-Key": true, "X-CSRF-Token": true,
		"X-Auth-Token": true, "x-amz-security-token": true, ":authority": false, "Referer": false, "User-Agent": false, "Accept": false}
	for name, want := range headers {
		if credentialHeader(name) != want {
			t.Errorf("credentialHeader(%q) = %v", name, !want)
		}
	}
	fields := map[string]bool{"password": true, "user[password]": true, "pwd": true, "access_token": true, "client_secret": true,
		"email": false, "username": false, "dl": false, "ud[em]": false, "token": false, "apiKey": false, "refresh_token": true}
	for name, want := range fields {
		if secretField(name) != want {
			t.Errorf("secretField(%q) = %v", name, !want)
		}
	}
}

// TestSecretsPlanted proves the sample really carries every secret, so the
// no-secret assertions above can fail.
func TestSecretsPlanted(t *testing.T) {
	t.Parallel()
	var texts []string
	allText(reflect.ValueOf(sampleCapture()), &texts)
	all := strings.Join(texts, "\n")
	for _, s := range secrets {
		if !strings.Contains(all, s) && !strings.Contains(all, url.QueryEscape(s)) {
			t.Errorf("secret %q is not in the sample", s)
		}
	}
}

func TestContainsAnyFold(t *testing.T) {
	t.Parallel()
	parts := []string{"pass", "token", "x-auth"}
	for s, want := range map[string]bool{"": false, "PASSWORD": true, "my_Token=1": true, "X-AUTH-user": true, "pas": false,
		"tok": false, "compassion": true, "ünïcode tOkEn": true, "x-aut": false} {
		if got := containsAnyFold(s, parts); got != want || got != containsAny(strings.ToLower(s), parts) {
			t.Errorf("containsAnyFold(%q) = %v, want %v", s, got, want)
		}
	}
}
