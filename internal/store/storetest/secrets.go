package storetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/store"
)

func testTokens(t *testing.T, tg Target) {
	ctx := context.Background()
	s, dsn := fresh(t, tg)
	secrets := map[store.Role]string{}
	for _, role := range []store.Role{store.RoleRead, store.RoleScan, store.RoleAdmin} {
		secret, tok, err := s.CreateToken(ctx, "ci-"+string(role), role)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(secret, store.TokenPrefix) || len(secret) < 40 || tok.Role != role || tok.Created.IsZero() {
			t.Errorf("token %q %+v", secret, tok)
		}
		secrets[role] = secret
	}
	if secrets[store.RoleRead] == secrets[store.RoleScan] {
		t.Error("two tokens share a secret")
	}
	got := must(s.Authenticate(ctx, secrets[store.RoleScan]))(t)
	if got.Role != store.RoleScan || got.Name != "ci-scan" {
		t.Errorf("authenticated as %+v", got)
	}
	for _, bad := range []string{"", "lwt_", secrets[store.RoleScan] + "x", strings.TrimPrefix(secrets[store.RoleScan], store.TokenPrefix)} {
		_, err := s.Authenticate(ctx, bad)
		wantErr(t, fmt.Sprintf("secret %q", bad), err, store.ErrNotFound)
	}
	_, _, err := s.CreateToken(ctx, "x", "root")
	wantErr(t, "unknown role", err, store.ErrInvalid)

	noErr(t, s.RevokeToken(ctx, got.ID))
	noErr(t, s.RevokeToken(ctx, got.ID))
	_, err = s.Authenticate(ctx, secrets[store.RoleScan])
	wantErr(t, "revoked token", err, store.ErrNotFound)
	wantErr(t, "revoke unknown", s.RevokeToken(ctx, 9999), store.ErrNotFound)
	list := must(s.ListTokens(ctx))(t)
	if len(list) != 3 || list[0].Role != store.RoleRead || list[1].Revoked.IsZero() || !list[2].Revoked.IsZero() {
		t.Errorf("tokens %+v", list)
	}
	dump := tg.Dump(t, dsn)
	for role, secret := range secrets {
		notIn(t, dump, []byte(secret), string(role)+" token secret")
		notIn(t, dump, []byte(strings.TrimPrefix(secret, store.TokenPrefix)), string(role)+" token secret without prefix")
	}
	h := sha256.Sum256([]byte(secrets[store.RoleRead]))
	if !bytes.Contains(dump, h[:]) && !bytes.Contains(bytes.ToLower(dump), []byte(fmt.Sprintf("%x", h))) {
		t.Error("the token's SHA-256 is not in the database: is the dump complete?")
	}
}

func testPersonas(t *testing.T, tg Target) {
	ctx := context.Background()
	s, dsn := fresh(t, tg)
	plain := []byte(`{"email":"jane.persona.7731@leakwatch-test.example","phone":"+4915112345678","name":"Jane Q. Persona"}`)
	noErr(t, s.PutPersona(ctx, "jane", plain))
	noErr(t, s.PutPersona(ctx, "bob", []byte(`{"email":"bob@example.org"}`)))
	if got := must(s.Persona(ctx, "jane"))(t); !bytes.Equal(got, plain) {
		t.Errorf("persona %s", got)
	}
	if got := must(s.ListPersonas(ctx))(t); fmt.Sprint(got) != "[bob jane]" {
		t.Errorf("personas %v", got)
	}
	dump := tg.Dump(t, dsn)
	for _, secret := range []string{string(plain), "jane.persona.7731", "+4915112345678", "Jane Q. Persona"} {
		notIn(t, dump, []byte(secret), "persona text "+secret)
	}
	wrong := open(t, dsn, store.Config{Key: bytes.Repeat([]byte{7}, 32)})
	_, err := wrong.Persona(ctx, "jane")
	wantErr(t, "wrong key", err, store.ErrWrongKey)
	keyless := open(t, dsn, store.Config{})
	_, err = keyless.Persona(ctx, "jane")
	wantErr(t, "no key", err, store.ErrNoKey)

	noErr(t, s.PutPersona(ctx, "jane", []byte(`{"v":2}`)))
	if got := must(s.Persona(ctx, "jane"))(t); string(got) != `{"v":2}` {
		t.Errorf("replaced persona %s", got)
	}
	noErr(t, s.DeletePersona(ctx, "jane"))
	_, err = s.Persona(ctx, "jane")
	wantErr(t, "deleted persona", err, store.ErrNotFound)
	wantErr(t, "delete again", s.DeletePersona(ctx, "jane"), store.ErrNotFound)
	wantErr(t, "empty name", s.PutPersona(ctx, "", plain), store.ErrInvalid)
}

// testPersonaNoKey: without a key a persona is refused, never stored plain.
func testPersonaNoKey(t *testing.T, tg Target) {
	ctx := context.Background()
	dsn := tg.NewDSN(t)
	s := open(t, dsn, store.Config{})
	wantErr(t, "store without a key", s.PutPersona(ctx, "jane", []byte("jane@example.org")), store.ErrNoKey)
	if got := must(s.ListPersonas(ctx))(t); len(got) != 0 {
		t.Errorf("personas stored without a key: %v", got)
	}
	notIn(t, tg.Dump(t, dsn), []byte("jane@example.org"), "refused persona")
}
