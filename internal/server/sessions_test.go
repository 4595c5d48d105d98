package server

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestSessionCookie(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name   string
		tls    bool
		secure bool
	}{{"plain HTTP", false, false}, {"TLS", true, true}} {
		r := httptest.NewRequest("POST", "/api/session", nil)
		if c.tls {
			r.TLS = &tls.ConnectionState{}
		}
		ck := sessionCookieFor(r, &session{id: "abc"}, time.Hour)
		if ck.Secure != c.secure || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.MaxAge != 3600 {
			t.Errorf("%s: cookie %+v", c.name, ck)
		}
		if gone := sessionCookieFor(r, nil, 0); gone.MaxAge >= 0 || gone.Value != "" {
			t.Errorf("%s: logout cookie %+v", c.name, gone)
		}
	}
}

func TestSessionExpiry(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_800_000_000, 0)
	ss := newSessions(time.Hour, func() time.Time { return now })
	s := ss.create("secret")
	if s.csrf == s.id || len(s.id) < 40 {
		t.Fatalf("weak session %+v", s)
	}
	r := httptest.NewRequest("GET", "/", nil)
	r.AddCookie(&http.Cookie{Name: sessionCookie, Value: s.id})
	if ss.fromRequest(r) != s {
		t.Fatal("live session not found")
	}
	now = now.Add(61 * time.Minute)
	if ss.fromRequest(r) != nil {
		t.Fatal("expired session still accepted")
	}
	r2 := httptest.NewRequest("GET", "/", nil)
	r2.AddCookie(&http.Cookie{Name: sessionCookie, Value: strings.Repeat("A", 43)})
	if ss.fromRequest(r2) != nil {
		t.Fatal("made-up session accepted")
	}
}

func TestLimitersBounded(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_800_000_000, 0)
	ls := newLimiters(1, 2, func() time.Time { return now })
	first, second, third := ls.allow("a"), ls.allow("a"), ls.allow("a")
	if !first || !second || third {
		t.Fatal("bucket of 2 did not run out on the 3rd request")
	}
	now = now.Add(time.Second)
	if !ls.allow("a") {
		t.Fatal("bucket did not refill")
	}
	for i := range maxLimiters + 10 {
		ls.allow(string(rune(i + 1000)))
	}
	if n := len(ls.m); n > maxLimiters {
		t.Fatalf("%d buckets kept, bound %d", n, maxLimiters)
	}
}
