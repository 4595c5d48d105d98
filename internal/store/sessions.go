package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"time"
)

// Session is a UI login. ID is the secret its cookie carries; only its
// SHA-256 is stored, so a database dump opens no session.
type Session struct {
	ID      string // set by the caller on create; empty when read back
	TokenID int64  // the token logged in with: revoking it ends the session
	CSRF    string // sent back in a header on unsafe requests
	Created time.Time
	Expires time.Time
}

// Sessions are the UI logins, kept so a restart logs no one out.
type Sessions interface {
	// CreateSession stores a login; an empty ID or CSRF is ErrInvalid,
	// an unknown token ErrNotFound.
	CreateSession(ctx context.Context, s Session) error
	// Session returns the login whose ID this is with its token, when it
	// expires after now and its token is live; otherwise ErrNotFound.
	Session(ctx context.Context, id string, now time.Time) (Session, Token, error)
	// DeleteSession ends a login; an unknown one is not an error.
	DeleteSession(ctx context.Context, id string) error
	// PruneSessions deletes the logins expired at now and those of
	// revoked tokens, and returns how many went.
	PruneSessions(ctx context.Context, now time.Time) (int64, error)
}

func sessionHash(id string) []byte {
	h := sha256.Sum256([]byte("leakwatch/session/v1\x00" + id))
	return h[:]
}

func (s *sqlStore) CreateSession(ctx context.Context, se Session) error {
	if se.ID == "" || se.CSRF == "" || se.TokenID == 0 || se.Expires.IsZero() {
		return fmt.Errorf("create session: %w: id, CSRF token, token and expiry are required", ErrInvalid)
	}
	created := se.Created
	if created.IsZero() {
		created = s.now()
	}
	_, err := s.db.ExecContext(ctx, s.d.q(`INSERT INTO sessions (hash, token_id, csrf, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?)`), sessionHash(se.ID), se.TokenID, se.CSRF, micros(created), micros(se.Expires))
	return s.wrap("create session", err) // an unknown token: ErrNotFound
}

func (s *sqlStore) Session(ctx context.Context, id string, now time.Time) (Session, Token, error) {
	var (
		se       Session
		cre, exp sql.NullInt64
	)
	row := s.db.QueryRowContext(ctx, s.d.q(`SELECT s.token_id, s.csrf, s.created_at, s.expires_at,
		t.id, t.name, t.role, t.created_at, t.revoked_at
		FROM sessions s JOIN api_tokens t ON t.id = s.token_id
		WHERE s.hash = ? AND s.expires_at > ? AND t.revoked_at IS NULL`), sessionHash(id), micros(now))
	var (
		t          Token
		tcre, trev sql.NullInt64
	)
	if err := row.Scan(&se.TokenID, &se.CSRF, &cre, &exp, &t.ID, &t.Name, &t.Role, &tcre, &trev); err != nil {
		return Session{}, Token{}, s.wrap("session", err)
	}
	se.Created, se.Expires = fromMicros(cre), fromMicros(exp)
	t.Created, t.Revoked = fromMicros(tcre), fromMicros(trev)
	return se, t, nil
}

func (s *sqlStore) DeleteSession(ctx context.Context, id string) error {
	_, err := s.db.ExecContext(ctx, s.d.q("DELETE FROM sessions WHERE hash = ?"), sessionHash(id))
	return s.wrap("delete session", err)
}

func (s *sqlStore) PruneSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.db.ExecContext(ctx, s.d.q(`DELETE FROM sessions WHERE expires_at <= ?
		OR token_id IN (SELECT id FROM api_tokens WHERE revoked_at IS NOT NULL)`), micros(now))
	if err != nil {
		return 0, s.wrap("prune sessions", err)
	}
	n, err := res.RowsAffected()
	return n, s.wrap("prune sessions", err)
}
