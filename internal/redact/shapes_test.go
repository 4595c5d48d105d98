package redact

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// keyShapeREs define the shapes the hand scan finds (test only): a prefix
// after no word character, the body, and no alphanumeric after it.
var keyShapeREs = []string{
	`AKIA[0-9A-Z]{16}`, `ASIA[0-9A-Z]{16}`, `AIza[0-9A-Za-z_-]{35}`,
	`sk_live_[0-9A-Za-z]{16,}`, `sk_test_[0-9A-Za-z]{16,}`, `rk_live_[0-9A-Za-z]{16,}`, `rk_test_[0-9A-Za-z]{16,}`,
	`ghp_[0-9A-Za-z]{36}`, `gho_[0-9A-Za-z]{36}`, `ghu_[0-9A-Za-z]{36}`, `ghs_[0-9A-Za-z]{36}`, `ghr_[0-9A-Za-z]{36}`,
	`github_pat_[0-9A-Za-z_]{22,}`, `xoxb-[0-9A-Za-z-]{10,}`, `xoxp-[0-9A-Za-z-]{10,}`, `xoxa-[0-9A-Za-z-]{10,}`, `xoxr-[0-9A-Za-z-]{10,}`,
}

const (
	awsKey    = "AKIAIOSFODNN7EXAMPLE"
	googleKey = "AIzaSyA1b2C3d4E5f6G7h8I9j0K_lMnOpQrStUv"
	stripeKey = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"
	ghToken   = "ghp_16C7e42F292c6912E7710c838347Ae178B4a"
	slackTok  = "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"
	ghPAT     = "github_pat_11ABCDEFG0123456789abc_defGHIJKLmnopQRSTuvwxYZ0123456789abcdefghijKLMNOPqrstuv"
)

func TestProviderKeys(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string
	}{
		{"https://maps.example/js?key=" + googleKey + "&v=3", []string{googleKey}},
		{"api_key=" + stripeKey, []string{stripeKey}},
		{"rk_live_0123456789abcdefXYZ", []string{"rk_live_0123456789abcdefXYZ"}},
		{"sk_test_0123456789abcdefXYZ;", []string{"sk_test_0123456789abcdefXYZ"}},
		{`{"aws":"` + awsKey + `"}`, []string{awsKey}},
		{"ASIAIOSFODNN7EXAMPLE", []string{"ASIAIOSFODNN7EXAMPLE"}},
		{"token " + ghToken + ".", []string{ghToken}},
		{"gho_" + ghToken[4:] + " ghs_" + ghToken[4:], []string{"gho_" + ghToken[4:], "ghs_" + ghToken[4:]}},
		{"pat=" + ghPAT, []string{ghPAT}},
		{"hook " + slackTok + " end", []string{slackTok}},
		{"xoxp-1234567890-abc", []string{"xoxp-1234567890-abc"}},
		{"dl=https%3A%2F%2Fa.example%2F%3Fkey%3D" + googleKey + "%26x%3D1", []string{googleKey}}, // after %3D
		{"both " + awsKey + " and " + stripeKey, []string{awsKey, stripeKey}},
		// Not credentials: wrong length, inside a word, a publishable key, lowercase.
		{"AKIAIOSFODNN7EXAMPL", nil},
		{"AKIAIOSFODNN7EXAMPLEX", nil},
		{"AKIAIOSFODNN7EXAMPLEx", nil},
		{"XAKIAIOSFODNN7EXAMPLE", nil},
		{"akiaiosfodnn7example", nil},
		{googleKey + "x", nil},
		{"AIzaShort", nil},
		{"pk_live_51HxYzPublishableKey0123456789", nil},
		{"sk_live_short", nil},
		{"ghp_tooShort123", nil},
		{ghToken + "0", nil},
		{"xoxb-123", nil},
		{"mysk_live_0123456789abcdefXYZ", nil},
		{"", nil},
	}
	for _, tc := range tests {
		got := providerKeys(tc.in)
		if len(got) == 0 {
			got = nil
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("providerKeys(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if want := regexpKeys(tc.in); !reflect.DeepEqual(got, want) {
			t.Errorf("providerKeys(%q) = %q, the expressions find %q", tc.in, got, want)
		}
		blank := blankKeys(tc.in)
		for _, k := range tc.want {
			if strings.Contains(blank, k) {
				t.Errorf("blankKeys(%q) kept %q", tc.in, k)
			}
		}
		if len(tc.want) == 0 && blank != tc.in {
			t.Errorf("blankKeys(%q) = %q", tc.in, blank)
		}
	}
}

// regexpKeys finds what keySpans should, with the shapes' expressions and
// the boundaries checked by hand (the fuzz corpus keeps inputs where a
// body runs past its fixed length).
func regexpKeys(s string) []string {
	var spans [][2]int
	for i, expr := range keyShapeREs {
		body := keyShapes[i].body // a body is the whole run of its class
		for _, loc := range regexp.MustCompile(expr).FindAllStringIndex(s, -1) {
			if keyStart(s, loc[0]) && (loc[1] == len(s) || !isAlnum(s[loc[1]]) && !body(s[loc[1]])) {
				spans = append(spans, [2]int{loc[0], loc[1]})
			}
		}
	}
	var out []string
	for _, sp := range mergeSpans(spans) {
		out = append(out, s[sp[0]:sp[1]])
	}
	return out
}

func TestKeyShapesTable(t *testing.T) {
	t.Parallel()
	if len(keyShapes) != len(keyShapeREs) {
		t.Fatalf("%d shapes, %d expressions", len(keyShapes), len(keyShapeREs))
	}
	for i, k := range keyShapes {
		if !strings.HasPrefix(keyShapeREs[i], regexp.QuoteMeta(k.prefix)) {
			t.Errorf("shape %s: expression %s", k.provider, keyShapeREs[i])
		}
	}
}

func TestSecretPair(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, value string
		want        bool
	}{
		{"key", googleKey, true},
		{"api_key", stripeKey, true},
		{"apiKey", "sk-proj-Abc123Def456Ghi789", true},
		{"access_token", "anything", true}, // by name
		{"token", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2ln", true},
		{"token", "3f4b2c1d9e8a7b6c5d4e3f2a1b0c9d8e", false},         // Mixpanel project token
		{"api_key", "pk_live_51HxYzPublishableKey0123", false},       // publishable
		{"authentication[apiKey]", "pk_live_fB1ASHQ6Vdci8Aa", false}, // Stripe.js
		{"key", "value", false},
		{"key", "sk_", false},    // too short to be a key
		{"id", stripeKey, false}, // still caught by shape elsewhere, not by field
		{"password", "", true},
	}
	for _, tc := range tests {
		if got := secretPair(tc.name, tc.value); got != tc.want {
			t.Errorf("secretPair(%q, %q) = %v", tc.name, tc.value, got)
		}
	}
}

func TestCookieWords(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		want []string
	}{
		{"_pin_unauth", []string{"pin", "unauth"}},
		{"authToken", []string{"auth", "Token"}},
		{"auth0.is.authenticated", []string{"auth0", "is", "authenticated"}},
		{"XSRF-TOKEN", []string{"XSRF", "TOKEN"}},
		{"__Secure-3PSID", []string{"Secure", "3PSID"}},
		{"", nil},
	}
	for _, tc := range tests {
		if got := nameWords(tc.name); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("nameWords(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
	for _, name := range append(trackerCookies, "_ga_XYZ123", "_hjSessionUser_42", "_pk_id.1.abcd", "_uetsid", "_Pin_Unauth", "FR") {
		if sessionCookie(name) {
			t.Errorf("tracker cookie %q taken for a session", name)
		}
	}
	for _, name := range []string{"auth", "Auth_Token", "accessToken", "oauth_state", "my.auth", "jwt", "wp_auth", "id_token"} {
		if !sessionCookie(name) {
			t.Errorf("session cookie %q missed", name)
		}
	}
}

// TestProviderKeysLinear: runs of anchors that never complete a shape are
// read in linear time (each fixed-length candidate reads a bounded window).
func TestProviderKeysLinear(t *testing.T) {
	t.Parallel()
	for _, unit := range []string{"AIza", "AKIA", "ghp_", "sk_live_", "xoxb-", "github_pat_", "AI"} {
		s := strings.Repeat(unit, 1<<20/len(unit))
		start := time.Now()
		keySpans(s)
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%q repeated: %v", unit, d)
		}
	}
}

// FuzzProviderKeys: the hand scan finds what the shapes' expressions find.
func FuzzProviderKeys(f *testing.F) {
	for _, s := range []string{"key=" + googleKey, awsKey + "x", "%3D" + stripeKey, slackTok, ghPAT, "AIzaAIza" + ghToken} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, want := providerKeys(s), regexpKeys(s)
		if len(got) == 0 {
			got = nil
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("providerKeys(%q) = %q, expressions %q", s, got, want)
		}
	})
}

// TestTrackerCookiesKept: vendor identifier cookies keep their values in
// cookie headers and in the pixel URLs that repeat them, so a redacted
// capture still shows the identifier a finding rests on.
func TestTrackerCookiesKept(t *testing.T) {
	t.Parallel()
	pin, fr := "dWlkPU5qZzRNVGMzTkRjdE9EUXhOakF6", "1Pq0AbCdEfGhIjKl.AWX-abcdefghijkl.Bk"
	pixel := "https://ct.pinterest.com/v3/?tid=2612345678901&event=init&pin_unauth=" + pin
	c := &traffic.Capture{
		Cookies: []traffic.Cookie{{Name: "_pin_unauth", Value: pin, Domain: ".shop.example"}, {Name: "fr", Value: fr, Domain: ".facebook.com", HTTPOnly: true}},
		Requests: []*traffic.Request{
			{URL: pixel, Method: "GET", Headers: traffic.Headers{{Name: "Cookie", Value: "_pin_unauth=" + pin + "; _auth=1"}}},
			{URL: "https://www.facebook.com/tr?id=1&ev=PageView", Method: "GET",
				Headers:  traffic.Headers{{Name: "Cookie", Value: "fr=" + fr + "; _fbp=fb.1.1686170368751.123"}},
				Cookies:  []traffic.Cookie{{Name: "fr", Value: fr}},
				Response: &traffic.Response{Status: 200, Headers: traffic.Headers{{Name: "Set-Cookie", Value: "fr=" + fr + "; Domain=.facebook.com; HttpOnly"}}}},
		},
	}
	red := Capture(c, Options{})
	if red.Requests[0].URL != pixel {
		t.Errorf("pixel URL rewritten: %s", red.Requests[0].URL)
	}
	for _, want := range []string{"_pin_unauth=" + pin, "fr=" + fr} {
		found := false
		for _, q := range red.Requests {
			for _, h := range q.Headers {
				found = found || strings.Contains(h.Value, want)
			}
		}
		if !found {
			t.Errorf("%q not kept in any cookie header", want)
		}
	}
	if red.Cookies[0].Value != pin || red.Requests[1].Cookies[0].Value != fr {
		t.Errorf("cookie values changed: %+v %+v", red.Cookies, red.Requests[1].Cookies)
	}
}
