package evidence

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"os"
)

// Key files are PEM, the private key as PKCS #8 ("PRIVATE KEY") and the
// public key as PKIX ("PUBLIC KEY"): the forms crypto/x509, OpenSSL and
// most signing tools read, so a reader without leakwatch can check a
// bundle's signature with openssl (see the README).
const (
	privateKeyPEM = "PRIVATE KEY"
	publicKeyPEM  = "PUBLIC KEY"
	// maxKeyFile bounds what a key file may hold; a PEM Ed25519 key is
	// about 120 bytes.
	maxKeyFile = 64 << 10
)

// FingerprintPrefix starts every key fingerprint.
const FingerprintPrefix = "sha256:"

// GenerateKey makes an Ed25519 key pair from rand (crypto/rand.Reader
// outside tests).
func GenerateKey(rand io.Reader) (ed25519.PublicKey, ed25519.PrivateKey, error) {
	pub, priv, err := ed25519.GenerateKey(rand)
	if err != nil {
		return nil, nil, fmt.Errorf("generate Ed25519 key: %w", err)
	}
	return pub, priv, nil
}

// MarshalPrivateKey encodes an Ed25519 private key as PEM PKCS #8.
func MarshalPrivateKey(k ed25519.PrivateKey) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return nil, fmt.Errorf("encode private key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: privateKeyPEM, Bytes: der}), nil
}

// MarshalPublicKey encodes an Ed25519 public key as PEM PKIX.
func MarshalPublicKey(k ed25519.PublicKey) ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(k)
	if err != nil {
		return nil, fmt.Errorf("encode public key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: publicKeyPEM, Bytes: der}), nil
}

// Fingerprint names a public key: "sha256:" and the hex SHA-256 of its
// PKIX (DER) encoding, which is what
// `openssl pkey -pubin -in KEY.pub -outform DER | sha256sum` prints.
func Fingerprint(k ed25519.PublicKey) string {
	der, err := x509.MarshalPKIXPublicKey(k)
	if err != nil || len(k) != ed25519.PublicKeySize {
		return FingerprintPrefix + "invalid"
	}
	sum := sha256.Sum256(der)
	return FingerprintPrefix + hex.EncodeToString(sum[:])
}

// ParsePrivateKey decodes a PEM PKCS #8 Ed25519 private key.
func ParsePrivateKey(data []byte) (ed25519.PrivateKey, error) {
	der, err := pemBlock(data, privateKeyPEM)
	if err != nil {
		return nil, err
	}
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("not a PKCS #8 private key: %w", err)
	}
	priv, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("a %T, not an Ed25519 key", k)
	}
	return priv, nil
}

// ParsePublicKey decodes a PEM PKIX Ed25519 public key.
func ParsePublicKey(data []byte) (ed25519.PublicKey, error) {
	der, err := pemBlock(data, publicKeyPEM)
	if err != nil {
		return nil, err
	}
	return parsePKIX(der)
}

func parsePKIX(der []byte) (ed25519.PublicKey, error) {
	k, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return nil, fmt.Errorf("not a PKIX public key: %w", err)
	}
	pub, ok := k.(ed25519.PublicKey)
	if !ok {
		return nil, fmt.Errorf("a %T, not an Ed25519 key", k)
	}
	return pub, nil
}

// pemBlock returns the DER of the one PEM block of the given type in data.
// Text before the block is allowed (OpenSSL writes some); a second block,
// PEM headers (an encrypted key) or the other kind of key are not.
func pemBlock(data []byte, want string) ([]byte, error) {
	b, rest := pem.Decode(data)
	switch {
	case b == nil:
		return nil, fmt.Errorf("no PEM %q block (want a key written by 'leakwatch keygen' or openssl)", want)
	case b.Type != want && b.Type == privateKeyPEM:
		return nil, errors.New("this is a private key; give the public key (NAME.pub)")
	case b.Type != want && b.Type == publicKeyPEM:
		return nil, errors.New("this is a public key; signing needs the private key (NAME, not NAME.pub)")
	case b.Type != want:
		return nil, fmt.Errorf("PEM block is %q, want %q (an Ed25519 key in PKCS #8 or PKIX form)", b.Type, want)
	case len(b.Headers) > 0:
		return nil, errors.New("PEM block has headers (an encrypted key?): leakwatch reads unencrypted keys only")
	case len(bytes.TrimSpace(rest)) > 0:
		return nil, errors.New("data after the PEM block")
	}
	return b.Bytes, nil
}

// ReadPrivateKey reads a private key file.
func ReadPrivateKey(path string) (ed25519.PrivateKey, error) {
	data, err := readKeyFile(path)
	if err != nil {
		return nil, err
	}
	k, err := ParsePrivateKey(data)
	if err != nil {
		return nil, fmt.Errorf("private key %s: %w", path, err)
	}
	return k, nil
}

// ReadPublicKey reads a public key file.
func ReadPublicKey(path string) (ed25519.PublicKey, error) {
	data, err := readKeyFile(path)
	if err != nil {
		return nil, err
	}
	k, err := ParsePublicKey(data)
	if err != nil {
		return nil, fmt.Errorf("public key %s: %w", path, err)
	}
	return k, nil
}

func readKeyFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read key: %w", err)
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil {
		return nil, fmt.Errorf("read key %s: %w", path, err)
	} else if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("read key %s: not a regular file", path)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxKeyFile+1))
	if err != nil {
		return nil, fmt.Errorf("read key %s: %w", path, err)
	}
	if len(data) > maxKeyFile {
		return nil, fmt.Errorf("read key %s: larger than %d bytes, not a key", path, maxKeyFile)
	}
	return data, nil
}
