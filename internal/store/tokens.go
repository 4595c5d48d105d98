package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"fmt"
	"strings"
)

// TokenPrefix starts every token secret, so a leaked one is recognisable
// (secret scanners, logs).
const TokenPrefix = "lwt_"

const tokenCols = "id, name, role, created_at, revoked_at"

func hashToken(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

func scanToken(row interface{ Scan(...any) error }) (Token, error) {
	var (
		t        Token
		cre, rev sql.NullInt64
	)
	if err := row.Scan(&t.ID, &t.Name, &t.Role, &cre, &rev); err != nil {
		return Token{}, err
	}
	t.Created, t.Revoked = fromMicros(cre), fromMicros(rev)
	return t, nil
}

func (s *sqlStore) CreateToken(ctx context.Context, name string, role Role) (string, Token, error) {
	if roleRank(role) == 0 {
		return "", Token{}, fmt.Errorf("create token: %w: role %q, want read, scan or admin", ErrInvalid, role)
	}
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", Token{}, fmt.Errorf("create token: %w", err)
	}
	secret := TokenPrefix + base64.RawURLEncoding.EncodeToString(raw[:])
	row := s.db.QueryRowContext(ctx, s.d.q(`INSERT INTO api_tokens (name, role, hash, created_at)
		VALUES (?, ?, ?, ?) RETURNING `+tokenCols), name, role, hashToken(secret), s.stamp())
	t, err := scanToken(row)
	if err != nil {
		return "", Token{}, s.wrap("create token", err)
	}
	return secret, t, nil
}

func (s *sqlStore) Authenticate(ctx context.Context, secret string) (Token, error) {
	if !strings.HasPrefix(secret, TokenPrefix) {
		return Token{}, fmt.Errorf("authenticate: %w", ErrNotFound)
	}
	row := s.db.QueryRowContext(ctx, s.d.q("SELECT "+tokenCols+" FROM api_tokens WHERE hash = ? AND revoked_at IS NULL"), hashToken(secret))
	t, err := scanToken(row)
	return t, s.wrap("authenticate", err)
}

func (s *sqlStore) ListTokens(ctx context.Context) ([]Token, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+tokenCols+" FROM api_tokens ORDER BY id")
	if err != nil {
		return nil, s.wrap("list tokens", err)
	}
	defer rows.Close()
	var out []Token
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, s.wrap("list tokens", err)
		}
		out = append(out, t)
	}
	return out, s.wrap("list tokens", rows.Err())
}

// RevokeToken revokes a token; revoking it again keeps the first time.
func (s *sqlStore) RevokeToken(ctx context.Context, id int64) error {
	res, err := s.db.ExecContext(ctx, s.d.q("UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?"), s.stamp(), id)
	return s.wrap(fmt.Sprintf("revoke token %d", id), affected(res, err))
}
