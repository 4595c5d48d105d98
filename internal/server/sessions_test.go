package server

import (
	"context"
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/store"
)

func TestSessionCookie(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name          string
		tls           bool
		proto         string
		secure, trust bool
		want          bool
	}{
		{name: "plain HTTP"},
		{name: "TLS", tls: true, want: true},
		{name: "forwarded https, proxy not trusted", proto: "https"},
		{name: "forwarded https, proxy trusted", proto: "https", trust: true, want: true},
		{name: "forwarded list, proxy trusted", proto: "HTTPS, http", trust: true, want: true},
		{name: "forwarded http, proxy trusted", proto: "http", trust: true},
		{name: "--secure-cookies", secure: true, want: true},
	} {
		s := &Server{cfg: Config{SecureCookies: c.secure, TrustProxyHeaders: c.trust}}
		r := httptest.NewRequest("POST", "/api/session", nil)
		if c.tls {
			r.TLS = &tls.ConnectionState{}
		}
		if c.proto != "" {
			r.Header.Set("X-Forwarded-Proto", c.proto)
		}
		ck := sessionCookieFor(&session{id: "abc"}, time.Hour, s.secureRequest(r))
		if ck.Secure != c.want || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.MaxAge != 3600 {
			t.Errorf("%s: cookie %+v", c.name, ck)
		}
		if gone := sessionCookieFor(nil, 0, c.want); gone.MaxAge >= 0 || gone.Value != "" {
			t.Errorf("%s: logout cookie %+v", c.name, gone)
		}
	}
}

// TestSessionExpiry: sessions live in the store, expire, survive a new
// Server on the same store (a restart), and expired ones are pruned.
func TestSessionExpiry(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "lw.db"), store.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	_, tok, err := st.CreateToken(ctx, "ui", store.RoleRead)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1_800_000_000, 0)
	clock := func() time.Time { return now }
	ss := newSessions(st, time.Hour, clock)
	s, err := ss.create(ctx, tok.ID)
	if err != nil {
		t.Fatal(err)
	}
	if s.csrf == s.id || len(s.id) < 40 {
		t.Fatalf("weak session %+v", s)
	}
	r := httptest.NewRequest("GET", "/", nil)
	r.AddCookie(&http.Cookie{Name: sessionCookie, Value: s.id})
	restarted := newSessions(st, time.Hour, clock)
	if got, gotTok, err := restarted.fromRequest(r); err != nil || got == nil || got.csrf != s.csrf || gotTok.ID != tok.ID {
		t.Fatalf("live session after a restart: %+v %v", got, err)
	}
	now = now.Add(61 * time.Minute)
	if got, _, _ := ss.fromRequest(r); got != nil {
		t.Fatal("expired session still accepted")
	}
	r2 := httptest.NewRequest("GET", "/", nil)
	r2.AddCookie(&http.Cookie{Name: sessionCookie, Value: strings.Repeat("A", 43)})
	if got, _, _ := ss.fromRequest(r2); got != nil {
		t.Fatal("made-up session accepted")
	}
	now = now.Add(pruneEvery) // the next login prunes the expired one
	if _, err := ss.create(ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	if n, err := st.PruneSessions(ctx, now.Add(-time.Minute)); err != nil || n != 0 {
		t.Errorf("an expired session was left for the next prune: %d %v", n, err)
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
