package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/store"
)

func testSessions(t *testing.T, tg Target) {
	ctx := context.Background()
	s, dsn := fresh(t, tg)
	_, tok := must2(s.CreateToken(ctx, "ui", store.RoleScan))(t)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	const id = "session-secret-9b1f0c7e4d2a"
	noErr(t, s.CreateSession(ctx, store.Session{ID: id, TokenID: tok.ID, CSRF: "csrf-1", Expires: now.Add(time.Hour)}))
	noErr(t, s.CreateSession(ctx, store.Session{ID: "short", TokenID: tok.ID, CSRF: "csrf-2", Expires: now.Add(time.Minute)}))
	se, got, err := s.Session(ctx, id, now)
	noErr(t, err)
	if se.CSRF != "csrf-1" || se.TokenID != tok.ID || !se.Expires.Equal(now.Add(time.Hour)) || se.ID != "" || got.ID != tok.ID || got.Role != store.RoleScan {
		t.Errorf("session %+v token %+v", se, got)
	}
	// The store is reopened (a restart): the session is still there.
	again := open(t, dsn, store.Config{})
	if _, _, err := again.Session(ctx, id, now); err != nil {
		t.Errorf("after reopening: %v", err)
	}
	for _, c := range []struct {
		what string
		id   string
		at   time.Time
	}{{"unknown id", "nope", now}, {"expired", "short", now.Add(2 * time.Minute)}, {"at expiry", id, now.Add(time.Hour)}} {
		_, _, err := s.Session(ctx, c.id, c.at)
		wantErr(t, c.what, err, store.ErrNotFound)
	}
	wantErr(t, "no csrf", s.CreateSession(ctx, store.Session{ID: "x", TokenID: tok.ID, Expires: now}), store.ErrInvalid)
	wantErr(t, "unknown token", s.CreateSession(ctx, store.Session{ID: "x", TokenID: 999, CSRF: "c", Expires: now}), store.ErrNotFound)
	wantErr(t, "duplicate id", s.CreateSession(ctx, store.Session{ID: id, TokenID: tok.ID, CSRF: "c", Expires: now}), store.ErrConflict)

	if n := must(s.PruneSessions(ctx, now.Add(2*time.Minute)))(t); n != 1 {
		t.Errorf("pruned %d expired sessions, want 1", n)
	}
	notIn(t, tg.Dump(t, dsn), []byte(id), "session id")

	noErr(t, s.RevokeToken(ctx, tok.ID))
	_, _, err = s.Session(ctx, id, now)
	wantErr(t, "revoked token", err, store.ErrNotFound)
	if n := must(s.PruneSessions(ctx, now))(t); n != 1 {
		t.Errorf("pruned %d sessions of a revoked token, want 1", n)
	}
	noErr(t, s.DeleteSession(ctx, id))
	_, tok2 := must2(s.CreateToken(ctx, "ui2", store.RoleRead))(t)
	noErr(t, s.CreateSession(ctx, store.Session{ID: "third", TokenID: tok2.ID, CSRF: "c", Expires: now.Add(time.Hour)}))
	noErr(t, s.DeleteSession(ctx, "third"))
	_, _, err = s.Session(ctx, "third", now)
	wantErr(t, "deleted", err, store.ErrNotFound)
}

func must2[A, B any](a A, b B, err error) func(*testing.T) (A, B) {
	return func(t *testing.T) (A, B) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return a, b
	}
}
