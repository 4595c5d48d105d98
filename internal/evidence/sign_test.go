package evidence

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testKey is a fixed key pair made from seed, so test bundles are the same
// every run.
func testKey(t testing.TB, seed byte) (ed25519.PublicKey, ed25519.PrivateKey) {
	t.Helper()
	pub, priv, err := GenerateKey(bytes.NewReader(bytes.Repeat([]byte{seed}, ed25519.SeedSize)))
	if err != nil {
		t.Fatal(err)
	}
	return pub, priv
}

// signedSample is the sample bundle signed by key 1 as "Jane Doe", read
// back as entries.
func signedSample(t *testing.T) []entry {
	t.Helper()
	_, priv := testKey(t, 1)
	b := sampleBundle(t)
	b.Sign = &Signer{Key: priv, Name: "Jane Doe"}
	var buf bytes.Buffer
	if err := WriteTo(&buf, b); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "signed.zip")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return readZip(t, path)
}

func find(entries []entry, name string) []byte {
	for _, e := range entries {
		if e.name == name {
			return e.data
		}
	}
	return nil
}

func without(entries []entry, name string) []entry {
	var out []entry
	for _, e := range entries {
		if e.name != name {
			out = append(out, e)
		}
	}
	return out
}

// reseal replaces file name with data and recomputes the manifest and its
// digest, as someone editing a bundle would; with priv it signs again.
func reseal(t *testing.T, entries []entry, name string, data []byte, priv ed25519.PrivateKey) []entry {
	t.Helper()
	var m Manifest
	if err := json.Unmarshal(find(entries, ManifestName), &m); err != nil {
		t.Fatal(err)
	}
	out := replace(entries, name, data)
	for i := range m.Files {
		if m.Files[i].Name == name {
			sum := sha256.Sum256(data)
			m.Files[i].Size, m.Files[i].SHA256 = int64(len(data)), hex.EncodeToString(sum[:])
		}
	}
	mdata, _ := json.MarshalIndent(m, "", "  ")
	mdata = append(mdata, '\n')
	sum := sha256.Sum256(mdata)
	out = replace(out, ManifestName, mdata)
	out = replace(out, DigestName, digestLine(hex.EncodeToString(sum[:])))
	if priv != nil {
		sig, err := signManifest(mdata, Signer{Key: priv, Name: "Jane Doe"}, created)
		if err != nil {
			t.Fatal(err)
		}
		out = replace(out, SignatureName, sig)
	}
	return out
}

// writeDir unpacks entries into a folder, as a reader unzipping a bundle.
func writeDir(t *testing.T, entries []entry) string {
	t.Helper()
	dir := t.TempDir()
	for _, e := range entries {
		p := filepath.Join(dir, filepath.FromSlash(e.name))
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, e.data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// bundleForms are the two shapes Verify reads: the zip and the folder it
// was unpacked into.
var bundleForms = []struct {
	name  string
	write func(*testing.T, []entry) string
}{{"zip", writeZip}, {"dir", writeDir}}

func TestSignedBundles(t *testing.T) {
	t.Parallel()
	pubA, _ := testKey(t, 1)
	pubB, privB := testKey(t, 2)
	orig := signedSample(t)
	forged := []byte(`{"schema":"leakwatch/report/v1","findings":[]}`)
	sig := string(find(orig, SignatureName))
	tests := []struct {
		name    string
		entries []entry
		key     ed25519.PublicKey
		file    string // the problem's file; "" when the bundle verifies
		kind    string
		signed  string // "trusted", "valid", "invalid" or "" (no signature read)
	}{
		{"intact, --key", orig, pubA, "", "", "trusted"},
		{"intact, no --key", orig, nil, "", "", "valid"},
		{"intact, other --key", orig, pubB, SignatureName, OtherKey, "invalid"},
		{"report edited", replace(orig, ReportName, forged), pubA, ReportName, Changed, "trusted"},
		{"report edited, manifest recomputed", reseal(t, orig, ReportName, forged, nil), pubA, ManifestName, AlteredAfterSigning, "invalid"},
		{"report edited, manifest recomputed, no --key", reseal(t, orig, ReportName, forged, nil), nil, ManifestName, AlteredAfterSigning, "invalid"},
		{"re-signed by another key", reseal(t, orig, ReportName, forged, privB), pubA, SignatureName, OtherKey, "invalid"},
		{"signature stripped, --key", without(orig, SignatureName), pubA, SignatureName, Missing, ""},
		{"signature stripped, no --key", without(orig, SignatureName), nil, "", "", ""},
		{"signer renamed", replace(orig, SignatureName, []byte(strings.Replace(sig, "Jane Doe", "John Doe", 1))), pubA, SignatureName, BadSignature, "invalid"},
		{"time changed", replace(orig, SignatureName, []byte(strings.Replace(sig, "signed: 2026", "signed: 2025", 1))), nil, SignatureName, BadSignature, "invalid"},
		{"signature garbage", replace(orig, SignatureName, []byte("nonsense")), nil, SignatureName, BadSignature, ""},
		{"manifest swapped", replace(orig, ManifestName, find(reseal(t, orig, "report.html", []byte("x"), nil), ManifestName)), pubA, ManifestName, AlteredAfterSigning, "invalid"},
	}
	for _, form := range bundleForms {
		for _, tc := range tests {
			t.Run(form.name+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				res, err := Verify(context.Background(), form.write(t, tc.entries), VerifyOptions{Key: tc.key})
				if err != nil {
					t.Fatal(err)
				}
				if tc.file == "" && !res.OK() || tc.file != "" && !hasProblem(res, tc.file, tc.kind) {
					t.Errorf("want problem %q %q, got %v", tc.file, tc.kind, res.Problems)
				}
				if got := signatureState(res.Signature); got != tc.signed {
					t.Errorf("signature %s, want %s: %+v", got, tc.signed, res.Signature)
				}
				checkText(t, res, tc.key != nil)
			})
		}
	}
}

func signatureState(s *Signature) string {
	switch {
	case s == nil:
		return ""
	case s.Valid && s.Trusted:
		return "trusted"
	case s.Valid:
		return "valid"
	}
	return "invalid"
}

// checkText checks what WriteText says of the signature.
func checkText(t *testing.T, res *Result, keyGiven bool) {
	t.Helper()
	var buf bytes.Buffer
	if err := res.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	s := res.Signature
	want := []string{}
	switch {
	case s == nil && !res.OK():
		want = append(want, "FAILED")
	case s == nil:
		want = append(want, "not signed:", "accidents", "OK: all 5 files")
	case s.Valid && s.Trusted:
		want = append(want, `signed by "Jane Doe" (key sha256:`, "at 2026-11-28T17:40:00.000000123Z", "good signature")
		if res.OK() {
			want = append(want, "the one the key signed")
		}
	case s.Valid:
		want = append(want, `signed by "Jane Doe"`, "no --key", "OK: all 5 files")
	default:
		want = append(want, "does not hold", "FAILED")
	}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("text lacks %q:\n%s", w, out)
		}
	}
	if keyGiven && !res.OK() && strings.Contains(out, "OK:") {
		t.Errorf("failed bundle says OK:\n%s", out)
	}
}

func TestEmptyAndReportlessBundles(t *testing.T) {
	t.Parallel()
	manifest := func(files string) []byte {
		return []byte(`{"schema":"leakwatch/evidence/v1","tool":"leakwatch","version":"1","command":[],"created":"2026-11-28T17:40:00Z","files":[` + files + `]}` + "\n")
	}
	sealed := func(mdata []byte, extra ...entry) []entry {
		sum := sha256.Sum256(mdata)
		return append([]entry{{ManifestName, mdata}, {DigestName, digestLine(hex.EncodeToString(sum[:]))}}, extra...)
	}
	har := []byte("{}")
	harSum := sha256.Sum256(har)
	harEntry := `{"name":"capture.har","size":2,"sha256":"` + hex.EncodeToString(harSum[:]) + `"}`
	tests := []struct {
		name    string
		entries []entry
		file    string
		kind    string
	}{
		{"no files", sealed(manifest("")), ManifestName, Empty},
		{"no files, report missing", sealed(manifest("")), ReportName, Missing},
		{"no report listed", sealed(manifest(harEntry), entry{"capture.har", har}), ReportName, Missing},
		{"report present but not listed", sealed(manifest(harEntry), entry{"capture.har", har}, entry{ReportName, har}), ReportName, Extra},
		{"report listed but absent", without(readZip(t, writeSample(t)), ReportName), ReportName, Missing},
	}
	for _, form := range bundleForms {
		for _, tc := range tests {
			t.Run(form.name+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				res, err := Verify(context.Background(), form.write(t, tc.entries), VerifyOptions{})
				if err != nil {
					t.Fatal(err)
				}
				if res.OK() || !hasProblem(res, tc.file, tc.kind) {
					t.Errorf("want %s %s, got %v", tc.file, tc.kind, res.Problems)
				}
				var buf bytes.Buffer
				res.WriteText(&buf)
				if out := buf.String(); !strings.Contains(out, "FAILED") || strings.Contains(out, "OK:") {
					t.Errorf("text:\n%s", out)
				}
			})
		}
	}
}

func TestSignRejects(t *testing.T) {
	t.Parallel()
	_, priv := testKey(t, 1)
	tests := []struct {
		name   string
		signer Signer
		want   string
	}{
		{"no key", Signer{Name: "x"}, "no Ed25519 private key"},
		{"newline in name", Signer{Key: priv, Name: "Jane\nsigned: 1999"}, "control characters"},
		{"escape in name", Signer{Key: priv, Name: "Jane\x1b]0;x\a"}, "control characters"},
		{"bidi in name", Signer{Key: priv, Name: "Jane\u202e"}, "control characters"},
		{"mark in name", Signer{Key: priv, Name: "Jane\u200f"}, "control characters"},
		{"tab in name", Signer{Key: priv, Name: "Jane\tDoe"}, "control characters"},
		{"long name", Signer{Key: priv, Name: strings.Repeat("x", MaxSignerName+1)}, "longer"},
		{"padded name", Signer{Key: priv, Name: " Jane"}, "white space"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := sampleBundle(t)
			b.Sign = &tc.signer
			err := WriteTo(&bytes.Buffer{}, b)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("want error with %q, got %v", tc.want, err)
			}
		})
	}
	undated := Bundle{Files: sampleBundle(t).Files, Sign: &Signer{Key: priv}}
	if err := WriteTo(&bytes.Buffer{}, undated); err == nil || !strings.Contains(err.Error(), "no time") {
		t.Errorf("signing without a time: %v", err)
	}
}

// TestSignedDeterministic: the same bundle signed twice is the same bytes
// (Ed25519 signatures are deterministic), and signing without a name
// leaves the signer line out.
func TestSignedDeterministic(t *testing.T) {
	t.Parallel()
	_, priv := testKey(t, 1)
	var a, b bytes.Buffer
	for _, w := range []*bytes.Buffer{&a, &b} {
		bundle := sampleBundle(t)
		bundle.Sign = &Signer{Key: priv}
		if err := WriteTo(w, bundle); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("the same signed bundle written twice differs")
	}
	path := filepath.Join(t.TempDir(), "anon.zip")
	os.WriteFile(path, a.Bytes(), 0o600)
	sig := find(readZip(t, path), SignatureName)
	if bytes.Contains(sig, []byte("signer:")) || !bytes.HasPrefix(sig, []byte(signatureMagic+"\n")) {
		t.Errorf("signature file:\n%s", sig)
	}
}
