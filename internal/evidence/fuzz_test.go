package evidence

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"os"
	"testing"
)

func FuzzParseManifest(f *testing.F) {
	f.Add([]byte(`{"schema":"leakwatch/evidence/v1","tool":"leakwatch","version":"v1","command":["leakwatch"],"created":"2026-11-28T17:40:00Z","files":[{"name":"report.json","size":2,"sha256":"44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"}]}`))
	f.Add([]byte(`{"schema":"leakwatch/evidence/v1","files":[{"name":"a/../b","size":-1,"sha256":"zz"}]}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`[1,2`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseManifest(data)
		if err != nil {
			return
		}
		for _, mf := range m.Files {
			if checkName(mf.Name) != nil || mf.Size < 0 || len(mf.SHA256) != 64 {
				t.Fatalf("accepted bad entry %+v", mf)
			}
		}
	})
}

func FuzzVerifyReader(f *testing.F) {
	var buf bytes.Buffer
	b := Bundle{Files: []File{{Name: "report.json", Data: []byte(`{"a":1}`)}, {Name: "s/1.png", Data: []byte("png")}}, Tool: "leakwatch", Created: created}
	if err := WriteTo(&buf, b); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	_, priv := testKey(f, 1)
	b.Sign = &Signer{Key: priv, Name: "Jane Doe"}
	var signed bytes.Buffer
	if err := WriteTo(&signed, b); err != nil {
		f.Fatal(err)
	}
	f.Add(signed.Bytes())
	f.Add([]byte("PK\x03\x04"))
	if data, err := os.ReadFile("testdata/fuzz-seed.zip"); err == nil {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := VerifyReader(context.Background(), bytes.NewReader(data), int64(len(data)), VerifyOptions{Key: priv.Public().(ed25519.PublicKey)})
		if err == nil && res.Manifest == nil {
			t.Fatal("result without a manifest")
		}
		// Intact under --key means signed by that key: only the seed's
		// key can have made it.
		if err == nil && res.OK() && (res.Signature == nil || !res.Signature.Valid || !res.Signature.Trusted) {
			t.Fatalf("intact without a trusted signature: %+v", res.Signature)
		}
	})
}

func FuzzParseSignature(f *testing.F) {
	_, priv := testKey(f, 1)
	manifest := []byte(`{"schema":"leakwatch/evidence/v1","files":[]}` + "\n")
	for _, name := range []string{"Jane Doe", ""} {
		sig, err := signManifest(manifest, Signer{Key: priv, Name: name}, created)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(sig)
		f.Add(bytes.Replace(sig, []byte("\n"), []byte("\r\n"), -1))
		f.Add(sig[:len(sig)-1])
	}
	f.Add([]byte(signatureMagic + "\nsignature: \n"))
	f.Add([]byte("nonsense"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := parseSignature(data)
		if err != nil {
			return
		}
		rest, ok := bytes.CutPrefix(data, s.signedBytes)
		switch {
		case !ok || !bytes.HasPrefix(rest, []byte("signature: ")) || !bytes.HasSuffix(rest, []byte("\n")):
			t.Fatalf("signed part %q does not end where the signature line starts", s.signedBytes)
		case s.key != Fingerprint(s.publicKey) || len(s.signature) != ed25519.SignatureSize:
			t.Fatalf("accepted key %s for %x, signature of %d bytes", s.key, s.publicKey, len(s.signature))
		case CheckSignerName(s.signer) != nil || len(s.manifestSHA256) != 64 || s.manifestSize < 0:
			t.Fatalf("accepted fields %+v", s)
		}
		// A signature that verifies was made by the holder of the key.
		if ed25519.Verify(s.publicKey, s.signedBytes, s.signature) && !s.publicKey.Equal(priv.Public()) {
			t.Fatalf("a signature by an unknown key verified")
		}
	})
}
