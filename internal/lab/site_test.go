package lab

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func TestLoginSession(t *testing.T) {
	t.Parallel()
	s := startLab(t)
	c := s.Client()
	base := "https://" + SiteHost

	if resp, _ := get(t, c, base+"/account"); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
		t.Fatalf("account without session: %d -> %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	tests := []struct {
		name, email, password string
		status                int
	}{
		{"wrong password", demoAccount.Email, "nope", http.StatusUnauthorized},
		{"unknown email", "someone@example.com", demoAccount.Password, http.StatusUnauthorized},
		{"empty", "", "", http.StatusUnauthorized},
		{"right, email case-insensitive", " " + strings.ToUpper(demoAccount.Email) + " ", demoAccount.Password, http.StatusSeeOther},
	}
	var session *http.Cookie
	for _, tt := range tests {
		resp, body := postForm(t, c, base+"/login", url.Values{"email": {tt.email}, "password": {tt.password}})
		if resp.StatusCode != tt.status {
			t.Fatalf("%s: status %d, want %d", tt.name, resp.StatusCode, tt.status)
		}
		if tt.status == http.StatusUnauthorized && !strings.Contains(body, "do not match") {
			t.Errorf("%s: no error shown", tt.name)
		}
		for _, ck := range resp.Cookies() {
			if ck.Name == sessionCookie {
				session = ck
			}
		}
		if tt.status == http.StatusUnauthorized && session != nil {
			t.Fatalf("%s: a failed login set a session", tt.name)
		}
	}
	if session == nil || !session.HttpOnly || !session.Secure || session.SameSite != http.SameSiteLaxMode {
		t.Fatalf("session cookie %+v, want HttpOnly Secure SameSite=Lax", session)
	}
	resp, body := get(t, c, base+"/account", session)
	if resp.StatusCode != 200 {
		t.Fatalf("account with session: %d", resp.StatusCode)
	}
	for _, want := range []string{"Dana", "Whitfield", demoAccount.Email, demoAccount.Street, demoAccount.City,
		`itemprop="addressRegion">IL<`, `itemprop="postalCode">62704<`, `autocomplete="postal-code" value="62704"`,
		`<title>Your account | ParcelPost</title>`} {
		if !strings.Contains(body, want) {
			t.Errorf("account page lacks %q", want)
		}
	}
	if strings.Contains(body, demoAccount.Password) || strings.Contains(body, session.Value) {
		t.Error("account page shows a secret")
	}
	secrets := strings.Join(s.Secrets(), " ")
	if !strings.Contains(secrets, demoAccount.Password) || !strings.Contains(secrets, session.Value) {
		t.Errorf("Secrets() = %q lacks the password or the session", secrets)
	}

	req, _ := http.NewRequest(http.MethodPost, base+"/logout", nil)
	req.AddCookie(session)
	do(t, c, req)
	if resp, _ := get(t, c, base+"/account", session); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("session still valid after logout: %d", resp.StatusCode)
	}
	if !strings.Contains(strings.Join(s.Secrets(), " "), session.Value) {
		t.Error("a logged-out session value must stay in Secrets()")
	}
}

func postForm(t *testing.T, c *http.Client, u string, form url.Values) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return do(t, c, req)
}

func login(t *testing.T, s *Site) *http.Cookie {
	t.Helper()
	resp, _ := postForm(t, s.Client(), "https://"+SiteHost+"/login", url.Values{"email": {demoAccount.Email}, "password": {demoAccount.Password}})
	for _, ck := range resp.Cookies() {
		if ck.Name == sessionCookie {
			return ck
		}
	}
	t.Fatalf("login failed: %d", resp.StatusCode)
	return nil
}

func TestTrackingPage(t *testing.T) {
	t.Parallel()
	s := startLab(t)
	c := s.Client()
	session := login(t, s)
	tn := demoAccount.Parcel
	base := "https://" + SiteHost + "/track?tn="
	tests := []struct {
		name     string
		query    string
		loggedIn bool
		status   int
		want     []string
		not      []string
	}{
		{"known parcel, logged out", url.QueryEscape(tn), false, 200,
			[]string{"<title>Tracking " + tn + " | ParcelPost</title>", `id="tracking-status"`, "Out for Delivery", "SPRINGFIELD, IL 62704"},
			[]string{demoAccount.Street, "Delivering to"}},
		{"known parcel, logged in shows the address", url.QueryEscape(tn), true, 200,
			[]string{"<title>Tracking " + tn + " | ParcelPost</title>", "Delivering to", demoAccount.Street, `itemprop="postalCode">62704<`},
			nil},
		{"spaces and lower case are normalized", url.QueryEscape("9400 1118 9956 1482 0377 27"), false, 200,
			[]string{"<title>Tracking " + tn + " | ParcelPost</title>"}, nil},
		{"unknown number", "EC123456785US", false, 200,
			[]string{"<title>Tracking EC123456785US | ParcelPost</title>", "could not find"}, nil},
		{"markup is refused", url.QueryEscape("<script>alert(1)</script>"), false, 400,
			[]string{"Invalid tracking number"}, []string{"<script>alert(1)"}},
		{"too long", strings.Repeat("9", 40), false, 400, []string{"up to 34"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var cookies []*http.Cookie
			if tt.loggedIn {
				cookies = append(cookies, session)
			}
			resp, body := get(t, c, base+tt.query, cookies...)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(body, w) {
					t.Errorf("page shows %q", w)
				}
			}
		})
	}
	if resp, _ := get(t, c, base); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("empty tracking number: %d, want a redirect home", resp.StatusCode)
	}
	// The home page's form is a GET to /track, so the number lands in the URL.
	_, home := get(t, c, "https://"+SiteHost+"/")
	if !regexp.MustCompile(`<form id="track-form" action="/track" method="get"`).MatchString(home) || !strings.Contains(home, `name="tn"`) {
		t.Error("home page lacks the GET tracking form")
	}
}
