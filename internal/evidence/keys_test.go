package evidence

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestKeyRoundTrip(t *testing.T) {
	t.Parallel()
	pub, priv := testKey(t, 7)
	privPEM, err := MarshalPrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	pubPEM, err := MarshalPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(privPEM), "-----BEGIN PRIVATE KEY-----\n") || !strings.HasPrefix(string(pubPEM), "-----BEGIN PUBLIC KEY-----\n") {
		t.Errorf("PEM:\n%s%s", privPEM, pubPEM)
	}
	gotPriv, err := ParsePrivateKey(privPEM)
	if err != nil || !gotPriv.Equal(priv) {
		t.Errorf("private key round trip: %v", err)
	}
	gotPub, err := ParsePublicKey(pubPEM)
	if err != nil || !gotPub.Equal(pub) {
		t.Errorf("public key round trip: %v", err)
	}
	fp := Fingerprint(pub)
	if !strings.HasPrefix(fp, FingerprintPrefix) || len(fp) != len(FingerprintPrefix)+64 || fp == Fingerprint(pubOf(t, 8)) {
		t.Errorf("fingerprint %q", fp)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "k"), privPEM, 0o600)
	os.WriteFile(filepath.Join(dir, "k.pub"), pubPEM, 0o600)
	if k, err := ReadPrivateKey(filepath.Join(dir, "k")); err != nil || !k.Equal(priv) {
		t.Errorf("ReadPrivateKey: %v", err)
	}
	if k, err := ReadPublicKey(filepath.Join(dir, "k.pub")); err != nil || !k.Equal(pub) {
		t.Errorf("ReadPublicKey: %v", err)
	}
}

func pubOf(t *testing.T, seed byte) []byte {
	pub, _ := testKey(t, seed)
	return pub
}

func TestKeyRejects(t *testing.T) {
	t.Parallel()
	pub, priv := testKey(t, 7)
	privPEM, _ := MarshalPrivateKey(priv)
	pubPEM, _ := MarshalPublicKey(pub)
	ec, err := ecdsa.GenerateKey(elliptic.P256(), strings.NewReader(strings.Repeat("x", 200)))
	if err != nil {
		t.Fatal(err)
	}
	ecDER, _ := x509.MarshalPKIXPublicKey(&ec.PublicKey)
	ecPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: ecDER})
	encrypted := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Headers: map[string]string{"Proc-Type": "4,ENCRYPTED"}, Bytes: []byte{1}})
	tests := []struct {
		name    string
		data    []byte
		private bool
		want    string
	}{
		{"private given as public", privPEM, false, "this is a private key"},
		{"public given as private", pubPEM, true, "this is a public key"},
		{"not PEM", []byte("leakwatch-ed25519 AAAA"), false, "no PEM"},
		{"empty", nil, true, "no PEM"},
		{"ECDSA key", ecPEM, false, "not an Ed25519 key"},
		{"encrypted", encrypted, true, "encrypted"},
		{"two blocks", append(append([]byte{}, pubPEM...), pubPEM...), false, "data after"},
		{"other block", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{1}}), false, `"CERTIFICATE"`},
		{"broken DER", pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: []byte{1, 2, 3}}), false, "not a PKIX"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var err error
			if tc.private {
				_, err = ParsePrivateKey(tc.data)
			} else {
				_, err = ParsePublicKey(tc.data)
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("want error with %q, got %v", tc.want, err)
			}
		})
	}
	dir := t.TempDir()
	big := filepath.Join(dir, "big")
	os.WriteFile(big, make([]byte, maxKeyFile+1), 0o600)
	for _, p := range []string{big, dir, filepath.Join(dir, "absent")} {
		if _, err := ReadPublicKey(p); err == nil || !strings.Contains(err.Error(), p) && !strings.Contains(err.Error(), "absent") {
			t.Errorf("%s: %v", p, err)
		}
	}
}
