package server

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"sync"
	"time"
)

const (
	sessionCookie = "leakwatch_session"
	csrfHeader    = "X-CSRF-Token"
	// maxSessions bounds the logins held in memory; the oldest goes first.
	maxSessions = 10000
)

// session is a UI login: the token it was opened with (re-checked on
// every request, so revoking the token ends it) and its CSRF token.
type session struct {
	id      string
	secret  string
	csrf    string
	expires time.Time
}

// sessions are the UI logins, in memory: a restart logs everyone out.
type sessions struct {
	mu  sync.Mutex
	m   map[string]*session
	ttl time.Duration
	now func() time.Time
}

func newSessions(ttl time.Duration, now func() time.Time) *sessions {
	return &sessions{m: map[string]*session{}, ttl: ttl, now: now}
}

func randomID() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b)
}

// create opens a session for a token's secret.
func (ss *sessions) create(secret string) *session {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	now := ss.now()
	if len(ss.m) >= maxSessions {
		ss.evict(now)
	}
	s := &session{id: randomID(), secret: secret, csrf: randomID(), expires: now.Add(ss.ttl)}
	ss.m[s.id] = s
	return s
}

// evict drops expired sessions, and the one closest to expiry when none
// has expired.
func (ss *sessions) evict(now time.Time) {
	var oldest *session
	for id, s := range ss.m {
		if now.After(s.expires) {
			delete(ss.m, id)
		} else if oldest == nil || s.expires.Before(oldest.expires) {
			oldest = s
		}
	}
	if len(ss.m) >= maxSessions && oldest != nil {
		delete(ss.m, oldest.id)
	}
}

// fromRequest returns the live session the request's cookie names.
func (ss *sessions) fromRequest(r *http.Request) *session {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil
	}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	s := ss.m[c.Value]
	if s == nil {
		return nil
	}
	if ss.now().After(s.expires) {
		delete(ss.m, s.id)
		return nil
	}
	return s
}

func (ss *sessions) drop(id string) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	delete(ss.m, id)
}

// cookie is the session's cookie: HttpOnly, SameSite=Lax, Secure when the
// request came over TLS; an empty session clears it.
func sessionCookieFor(r *http.Request, s *session, ttl time.Duration) *http.Cookie {
	c := &http.Cookie{Name: sessionCookie, Path: "/", HttpOnly: true, Secure: r.TLS != nil,
		SameSite: http.SameSiteLaxMode}
	if s == nil {
		c.MaxAge = -1
		return c
	}
	c.Value, c.MaxAge = s.id, int(ttl/time.Second)
	return c
}
