package store

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
)

// personaAAD binds a sealed persona to its name and format version, so a
// ciphertext copied to another row does not open.
func personaAAD(name string) []byte { return []byte("leakwatch/persona/v1\x00" + name) }

// keyID names a key without revealing it, so a wrong key is told apart
// from a damaged ciphertext.
func keyID(key []byte) []byte {
	h := sha256.Sum256(append([]byte("leakwatch/store-key-id/v1\x00"), key...))
	return h[:8]
}

func (s *sqlStore) gcm() (cipher.AEAD, error) {
	if s.key == nil {
		return nil, ErrNoKey
	}
	block, err := aes.NewCipher(s.key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

func (s *sqlStore) PutPersona(ctx context.Context, name string, plain []byte) error {
	op := "store persona " + name
	if name == "" {
		return fmt.Errorf("%s: %w: empty name", op, ErrInvalid)
	}
	id, nonce, sealed, err := s.seal(plain, personaAAD(name))
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	now := s.stamp()
	_, err = s.db.ExecContext(ctx, s.d.q(`INSERT INTO personas (name, key_id, nonce, sealed, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET key_id = excluded.key_id, nonce = excluded.nonce,
		sealed = excluded.sealed, updated_at = excluded.updated_at`), name, id, nonce, sealed, now, now)
	return s.wrap(op, err)
}

func (s *sqlStore) Persona(ctx context.Context, name string) ([]byte, error) {
	op := "persona " + name
	if s.key == nil {
		return nil, fmt.Errorf("%s: %w", op, ErrNoKey)
	}
	var id, nonce, sealed []byte
	err := s.db.QueryRowContext(ctx, s.d.q("SELECT key_id, nonce, sealed FROM personas WHERE name = ?"), name).Scan(&id, &nonce, &sealed)
	if err != nil {
		return nil, s.wrap(op, err)
	}
	plain, err := s.open(id, nonce, sealed, personaAAD(name))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return plain, nil
}

// seal encrypts plain under the store's key, bound to aad: it returns the
// key's id, the nonce and the ciphertext, or ErrNoKey.
func (s *sqlStore) seal(plain, aad []byte) (id, nonce, sealed []byte, err error) {
	aead, err := s.gcm()
	if err != nil {
		return nil, nil, nil, err
	}
	nonce = make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, nil, nil, err
	}
	return keyID(s.key), nonce, aead.Seal(nil, nonce, plain, aad), nil
}

// open decrypts what seal made: ErrNoKey, or ErrWrongKey when another key
// sealed it or it was altered.
func (s *sqlStore) open(id, nonce, sealed, aad []byte) ([]byte, error) {
	aead, err := s.gcm()
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(id, keyID(s.key)) {
		return nil, fmt.Errorf("%w: it was stored under another %s", ErrWrongKey, KeyEnv)
	}
	if len(nonce) != aead.NonceSize() {
		return nil, fmt.Errorf("%w: malformed nonce", ErrWrongKey)
	}
	plain, err := aead.Open(nil, nonce, sealed, aad)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrWrongKey, err)
	}
	return plain, nil
}

func (s *sqlStore) ListPersonas(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT name FROM personas ORDER BY name")
	if err != nil {
		return nil, s.wrap("list personas", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, s.wrap("list personas", err)
		}
		out = append(out, n)
	}
	return out, s.wrap("list personas", rows.Err())
}

func (s *sqlStore) DeletePersona(ctx context.Context, name string) error {
	res, err := s.db.ExecContext(ctx, s.d.q("DELETE FROM personas WHERE name = ?"), name)
	return s.wrap("delete persona "+name, affected(res, err))
}
