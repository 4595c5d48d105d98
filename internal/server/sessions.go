package server

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/leakwatch/leakwatch/internal/store"
)

const (
	sessionCookie = "leakwatch_session"
	csrfHeader    = "X-CSRF-Token"
	// pruneEvery is how often a login also deletes expired sessions.
	pruneEvery = 10 * time.Minute
)

// session is a UI login: the token it was opened with (re-checked on
// every request, so revoking the token ends it) and its CSRF token.
type session struct {
	id      string
	tokenID int64
	csrf    string
	expires time.Time
}

// sessions are the UI logins, kept in the store (only a hash of each id):
// a restart logs no one out.
type sessions struct {
	st  store.Sessions
	ttl time.Duration
	now func() time.Time

	mu        sync.Mutex
	lastPrune time.Time
}

func newSessions(st store.Sessions, ttl time.Duration, now func() time.Time) *sessions {
	return &sessions{st: st, ttl: ttl, now: now}
}

func randomID() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b)
}

// create opens a session for a token, pruning expired ones now and then.
func (ss *sessions) create(ctx context.Context, tokenID int64) (*session, error) {
	now := ss.now()
	s := &session{id: randomID(), tokenID: tokenID, csrf: randomID(), expires: now.Add(ss.ttl)}
	err := ss.st.CreateSession(ctx, store.Session{ID: s.id, TokenID: tokenID, CSRF: s.csrf, Created: now, Expires: s.expires})
	if err != nil {
		return nil, fmt.Errorf("open session: %w", err)
	}
	ss.mu.Lock()
	due := now.Sub(ss.lastPrune) >= pruneEvery
	if due {
		ss.lastPrune = now
	}
	ss.mu.Unlock()
	if due {
		if _, err := ss.st.PruneSessions(ctx, now); err != nil {
			return s, fmt.Errorf("prune sessions: %w", err)
		}
	}
	return s, nil
}

// fromRequest returns the live session the request's cookie names with
// its live token; nil when there is none.
func (ss *sessions) fromRequest(r *http.Request) (*session, store.Token, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" || len(c.Value) > 128 {
		return nil, store.Token{}, nil
	}
	se, t, err := ss.st.Session(r.Context(), c.Value, ss.now())
	if errors.Is(err, store.ErrNotFound) {
		return nil, store.Token{}, nil
	}
	if err != nil {
		return nil, store.Token{}, fmt.Errorf("session: %w", err)
	}
	return &session{id: c.Value, tokenID: se.TokenID, csrf: se.CSRF, expires: se.Expires}, t, nil
}

func (ss *sessions) drop(ctx context.Context, id string) error {
	return ss.st.DeleteSession(ctx, id)
}

// secureRequest reports whether the client reached the server over TLS:
// directly, as --secure-cookies asserts, or (when the proxy in front is
// trusted) as its X-Forwarded-Proto says.
func (s *Server) secureRequest(r *http.Request) bool {
	if s.cfg.SecureCookies || r.TLS != nil {
		return true
	}
	if !s.cfg.TrustProxyHeaders {
		return false
	}
	proto, _, _ := strings.Cut(r.Header.Get("X-Forwarded-Proto"), ",")
	return strings.EqualFold(strings.TrimSpace(proto), "https")
}

// sessionCookieFor is the session's cookie: HttpOnly, SameSite=Lax, Secure
// when secure; an empty session clears it.
func sessionCookieFor(s *session, ttl time.Duration, secure bool) *http.Cookie {
	c := &http.Cookie{Name: sessionCookie, Path: "/", HttpOnly: true, Secure: secure,
		SameSite: http.SameSiteLaxMode}
	if s == nil {
		c.MaxAge = -1
		return c
	}
	c.Value, c.MaxAge = s.id, int(ttl/time.Second)
	return c
}
