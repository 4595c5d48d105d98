package evidence

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/leakwatch/leakwatch/internal/report"
)

// The signature file, manifest.sig, is text, one "field: value" per line
// in this order (signer may be absent):
//
//	leakwatch-evidence-signature v1
//	manifest-sha256: <hex SHA-256 of manifest.json's exact bytes>
//	manifest-size: <bytes>
//	key: sha256:<hex SHA-256 of the public key's PKIX DER>
//	public-key: <standard base64 of the public key's PKIX DER>
//	signer: <name the signer gave>
//	signed: <RFC 3339 UTC time, the signer's clock>
//	signature: <standard base64 of the 64-byte Ed25519 signature>
//
// The signature is over every byte before the "signature: " line, so it
// covers the manifest (through its digest, which lists every other file's
// digest), the key, the name and the time: none can be changed or swapped
// without breaking it.
const signatureMagic = "leakwatch-evidence-signature v1"

// Limits of the signature file.
const (
	maxSignatureFile = 8 << 10
	// MaxSignerName bounds --signer, in bytes.
	MaxSignerName = 256
)

// Signer signs a bundle's manifest.
type Signer struct {
	Key ed25519.PrivateKey
	// Name is who signs, as they want to be named ("Jane Doe, Example
	// Newsroom"); optional, one line of printable text.
	Name string
}

// signatureFile is manifest.sig parsed.
type signatureFile struct {
	manifestSHA256 string
	manifestSize   int64
	key            string // fingerprint
	publicKey      ed25519.PublicKey
	signer         string
	signed         string
	signature      []byte
	// signedBytes is the part of the file the signature covers.
	signedBytes []byte
}

// CheckSignerName reports whether name can be a signer's name.
func CheckSignerName(name string) error {
	switch {
	case len(name) > MaxSignerName:
		return fmt.Errorf("signer name is longer than %d bytes", MaxSignerName)
	case !utf8.ValidString(name):
		return errors.New("signer name is not UTF-8")
	case strings.TrimSpace(name) != name:
		return errors.New("signer name starts or ends with white space")
	case report.SanitizeLine(name) != name:
		return errors.New("signer name contains control characters (tabs, escapes, bidi controls)")
	}
	return nil
}

// signManifest returns manifest.sig for the manifest's exact bytes.
func signManifest(manifest []byte, s Signer, at time.Time) ([]byte, error) {
	if len(s.Key) != ed25519.PrivateKeySize {
		return nil, errors.New("sign: no Ed25519 private key")
	}
	if at.IsZero() {
		return nil, errors.New("sign: the bundle has no time to sign it at")
	}
	if err := CheckSignerName(s.Name); err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	pub := s.Key.Public().(ed25519.PublicKey)
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	sum := sha256.Sum256(manifest)
	var b bytes.Buffer
	b.WriteString(signatureMagic + "\n")
	fmt.Fprintf(&b, "manifest-sha256: %s\nmanifest-size: %d\n", hex.EncodeToString(sum[:]), len(manifest))
	fmt.Fprintf(&b, "key: %s\npublic-key: %s\n", Fingerprint(pub), base64.StdEncoding.EncodeToString(der))
	if s.Name != "" {
		fmt.Fprintf(&b, "signer: %s\n", s.Name)
	}
	fmt.Fprintf(&b, "signed: %s\n", at.UTC().Format(time.RFC3339Nano))
	sig := ed25519.Sign(s.Key, b.Bytes())
	fmt.Fprintf(&b, "signature: %s\n", base64.StdEncoding.EncodeToString(sig))
	return b.Bytes(), nil
}

// sigField is one line of the signature file: its name, whether it may be
// absent, and where its value goes.
type sigField struct {
	name     string
	optional bool
	set      func(*signatureFile, string) error
}

var sigFields = []sigField{
	{"manifest-sha256", false, func(s *signatureFile, v string) error {
		b, err := hex.DecodeString(v)
		if err != nil || len(b) != sha256.Size || strings.ToLower(v) != v {
			return errors.New("not 64 lower-case hex digits")
		}
		s.manifestSHA256 = v
		return nil
	}},
	{"manifest-size", false, func(s *signatureFile, v string) error {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 || strconv.FormatInt(n, 10) != v {
			return errors.New("not a size in bytes")
		}
		s.manifestSize = n
		return nil
	}},
	{"key", false, func(s *signatureFile, v string) error { s.key = v; return nil }},
	{"public-key", false, func(s *signatureFile, v string) error {
		der, err := base64.StdEncoding.Strict().DecodeString(v)
		if err != nil {
			return errors.New("not base64")
		}
		s.publicKey, err = parsePKIX(der)
		return err
	}},
	{"signer", true, func(s *signatureFile, v string) error {
		if v == "" {
			return errors.New("empty (a signature without a name has no signer line)")
		}
		s.signer = v
		return CheckSignerName(v)
	}},
	{"signed", false, func(s *signatureFile, v string) error {
		if _, err := time.Parse(time.RFC3339Nano, v); err != nil {
			return errors.New("not an RFC 3339 time")
		}
		s.signed = v
		return nil
	}},
}

// parseSignature reads manifest.sig. It checks the form only; whether the
// signature is good is checkSignature's business.
func parseSignature(data []byte) (*signatureFile, error) {
	if len(data) > maxSignatureFile {
		return nil, fmt.Errorf("larger than %d bytes", maxSignatureFile)
	}
	// Sanitize leaves text alone unless it holds a control (newline and tab
	// aside), a bidi control or bytes that are not UTF-8.
	if report.Sanitize(string(data)) != string(data) {
		return nil, errors.New("not text: holds control characters or bytes that are not UTF-8")
	}
	rest, ok := bytes.CutPrefix(data, []byte(signatureMagic+"\n"))
	if !ok {
		return nil, fmt.Errorf("does not start with %q", signatureMagic)
	}
	s := &signatureFile{}
	for _, f := range sigFields {
		line, after, found := bytes.Cut(rest, []byte("\n"))
		name, value, _ := strings.Cut(string(line), ": ")
		if !found || name != f.name {
			if f.optional {
				continue
			}
			return nil, fmt.Errorf("want a %q line next", f.name)
		}
		if err := f.set(s, value); err != nil {
			return nil, fmt.Errorf("%s: %w", f.name, err)
		}
		rest = after
	}
	s.signedBytes = data[:len(data)-len(rest)]
	value, ok := bytes.CutPrefix(rest, []byte("signature: "))
	value, end := bytes.CutSuffix(value, []byte("\n"))
	if !ok || !end || bytes.ContainsRune(value, '\n') {
		return nil, errors.New(`want one last line "signature: <base64>"`)
	}
	sig, err := base64.StdEncoding.Strict().DecodeString(string(value))
	if err != nil || len(sig) != ed25519.SignatureSize {
		return nil, fmt.Errorf("signature: not %d bytes of base64", ed25519.SignatureSize)
	}
	s.signature = sig
	if s.key != Fingerprint(s.publicKey) {
		return nil, fmt.Errorf("key %s is not the fingerprint of the public key beside it (%s)", s.key, Fingerprint(s.publicKey))
	}
	return s, nil
}

// Problem kinds of a signature.
const (
	// BadSignature: the signature file is unreadable, or its signature
	// does not verify.
	BadSignature = "bad signature"
	// OtherKey: signed, but not by the key the verifier trusts.
	OtherKey = "other key"
	// AlteredAfterSigning: the manifest is not the one that was signed.
	AlteredAfterSigning = "altered after signing"
)

// Signature is what Verify found in a bundle's manifest.sig.
type Signature struct {
	// Key is the fingerprint of the key that signed, Signer the name it
	// gave and Signed the time its clock gave: claims of the signer, proven
	// only when Valid and Trusted.
	Key    string `json:"key"`
	Signer string `json:"signer,omitempty"`
	Signed string `json:"signed"`
	// Valid reports that the signature is good, by Key, over this exact
	// manifest.
	Valid bool `json:"valid"`
	// Trusted reports that Key is VerifyOptions.Key, the one the verifier
	// named; without it anyone could have signed with a key of their own.
	Trusted bool `json:"trusted"`
}

// checkSignature checks manifest.sig against the manifest's exact bytes
// and the trusted key, if any.
func (res *Result) checkSignature(es []bundleEntry, mdata []byte, trusted ed25519.PublicKey) {
	if len(es) == 0 {
		if trusted != nil {
			res.problem(SignatureName, Missing, "the bundle is not signed, so nothing proves it was made by the holder of --key "+Fingerprint(trusted))
		}
		return
	}
	data, err := readEntry(es, maxSignatureFile)
	if err != nil {
		res.problem(SignatureName, BadSignature, "cannot be read: "+err.Error())
		return
	}
	s, err := parseSignature(data)
	if err != nil {
		res.problem(SignatureName, BadSignature, "not a signature file: "+err.Error())
		return
	}
	res.Signature = &Signature{Key: s.key, Signer: s.signer, Signed: s.signed}
	if !ed25519.Verify(s.publicKey, s.signedBytes, s.signature) {
		res.problem(SignatureName, BadSignature, "the signature does not match the signature file's own lines: they were edited after signing, or forged")
		return
	}
	if trusted != nil && !s.publicKey.Equal(trusted) {
		res.problem(SignatureName, OtherKey, fmt.Sprintf("signed by key %s, not by the --key %s", s.key, Fingerprint(trusted)))
		return
	}
	sum := sha256.Sum256(mdata)
	if got := hex.EncodeToString(sum[:]); got != s.manifestSHA256 || int64(len(mdata)) != s.manifestSize {
		res.problem(ManifestName, AlteredAfterSigning, fmt.Sprintf(
			"its sha256 is %s (%d bytes), the signature covers %s (%d bytes): the file list and digests it gives are not the signed ones",
			got, len(mdata), s.manifestSHA256, s.manifestSize))
		return
	}
	res.Signature.Valid = true
	res.Signature.Trusted = trusted != nil
}
