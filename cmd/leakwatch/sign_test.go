package main

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/evidence"
	"github.com/leakwatch/leakwatch/internal/sharedtest"
)

// pixelHAR is a one-request capture: enough for a report and a bundle.
const pixelHAR = `{"log":{"version":"1.2","creator":{"name":"t","version":"1"},"pages":[],"entries":[{
"startedDateTime":"2026-01-01T00:00:00Z","time":1,
"request":{"method":"GET","url":"https://www.facebook.com/tr?id=123&ev=PageView","httpVersion":"HTTP/1.1",
"headers":[],"queryString":[],"cookies":[],"headersSize":-1,"bodySize":0},
"response":{"status":200,"statusText":"OK","httpVersion":"HTTP/1.1","headers":[],"cookies":[],
"content":{"size":0,"mimeType":"text/plain"},"redirectURL":"","headersSize":-1,"bodySize":0},
"cache":{},"timings":{"send":0,"wait":0,"receive":0}}]}}`

// keygen makes a key pair in dir and returns the private key's path.
func keygen(t *testing.T, dir, name string) string {
	t.Helper()
	out := filepath.Join(dir, name)
	if code, _, errOut := runCmd(t, "", "keygen", "--out", out); code != 0 {
		t.Fatalf("keygen: exit %d: %s", code, errOut)
	}
	return out
}

// signedBundle analyses pixelHAR into a bundle signed by key; with key ""
// the bundle is not signed.
func signedBundle(t *testing.T, dir, key string) string {
	t.Helper()
	har := filepath.Join(dir, "capture.har")
	if err := os.WriteFile(har, []byte(pixelHAR), 0o600); err != nil {
		t.Fatal(err)
	}
	bundle := filepath.Join(dir, "case-"+filepath.Base(key)+".zip")
	args := []string{"analyze", "-f", "json", "-o", filepath.Join(dir, "r.json"), "--evidence", bundle}
	if key != "" {
		args = append(args, "--sign", key, "--signer", "Jane Doe")
	}
	if code, _, errOut := runCmd(t, "", append(args, har)...); code != 0 {
		t.Fatalf("analyze: exit %d: %s", code, errOut)
	}
	return bundle
}

type zipFile struct {
	name string
	data []byte
}

func unzipAll(t *testing.T, path string) []zipFile {
	t.Helper()
	var out []zipFile
	for _, e := range sharedtest.ReadZip(t, path) {
		out = append(out, zipFile{e.Name, e.Data})
	}
	return out
}

// rezip writes files as a zip, or unpacked into a folder when asDir.
func rezip(t *testing.T, files []zipFile, asDir bool) string {
	t.Helper()
	dir := t.TempDir()
	if asDir {
		for _, f := range files {
			p := filepath.Join(dir, filepath.FromSlash(f.name))
			os.MkdirAll(filepath.Dir(p), 0o700)
			if err := os.WriteFile(p, f.data, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, _ := zw.Create(f.name)
		w.Write(f.data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "b.zip")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// edit returns files with name's content replaced (dropped when data is
// nil); with reseal the manifest and its digest are recomputed to match,
// as a forger would.
func edit(t *testing.T, files []zipFile, name string, data []byte, reseal bool) []zipFile {
	t.Helper()
	var out []zipFile
	for _, f := range files {
		if f.name == name && data == nil {
			continue
		}
		if f.name == name {
			f.data = data
		}
		out = append(out, f)
	}
	if !reseal {
		return out
	}
	var m evidence.Manifest
	var mdata []byte
	for _, f := range out {
		if f.name == evidence.ManifestName {
			mdata = f.data
		}
	}
	if err := json.Unmarshal(mdata, &m); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	kept := m.Files[:0]
	for _, mf := range m.Files {
		if mf.Name == name && data == nil {
			continue
		}
		if mf.Name == name {
			mf.Size, mf.SHA256 = int64(len(data)), hex.EncodeToString(sum[:])
		}
		kept = append(kept, mf)
	}
	m.Files = kept
	mdata, _ = json.MarshalIndent(m, "", "  ")
	mdata = append(mdata, '\n')
	msum := sha256.Sum256(mdata)
	out = edit(t, out, evidence.ManifestName, mdata, false)
	return edit(t, out, evidence.DigestName, []byte(hex.EncodeToString(msum[:])+"  manifest.json\n"), false)
}

// emptied drops every file the manifest lists, resealing the manifest.
func emptied(t *testing.T, files []zipFile) []zipFile {
	t.Helper()
	for _, f := range files {
		switch f.name {
		case evidence.ManifestName, evidence.DigestName, evidence.SignatureName:
		default:
			files = edit(t, files, f.name, nil, true)
		}
	}
	return files
}

func TestVerifySigned(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	keyA, keyB := keygen(t, dir, "jane"), keygen(t, dir, "other")
	signed := unzipAll(t, signedBundle(t, dir, keyA))
	unsigned := unzipAll(t, signedBundle(t, dir, ""))
	forged := []byte(`{"findings":[]}` + "\n")
	tests := []struct {
		name  string
		files []zipFile
		key   string
		code  int
		want  []string
	}{
		{"signed, --key", signed, keyA + ".pub", 0, []string{`signed by "Jane Doe" (key sha256:`, "good signature by the key given with --key", "OK: all 3 files"}},
		{"signed, no --key", signed, "", 0, []string{`signed by "Jane Doe"`, "no --key was given", "OK: all 3 files"}},
		{"signed, other --key", signed, keyB + ".pub", 1, []string{"manifest.sig: other key: signed by key sha256:", "FAILED"}},
		{"report edited", edit(t, signed, "report.json", forged, false), keyA + ".pub", 1, []string{"report.json: changed: size in the bundle is"}},
		{"report edited, manifest recomputed", edit(t, signed, "report.json", forged, true), keyA + ".pub", 1, []string{"manifest.json: altered after signing"}},
		{"report edited, manifest recomputed, no --key", edit(t, signed, "report.json", forged, true), "", 1, []string{"manifest.json: altered after signing"}},
		{"signature removed, --key", edit(t, signed, "manifest.sig", nil, false), keyA + ".pub", 1, []string{"manifest.sig: missing: the bundle is not signed"}},
		{"unsigned, --key", unsigned, keyA + ".pub", 1, []string{"manifest.sig: missing"}},
		{"unsigned, no --key", unsigned, "", 0, []string{"not signed:", "accidents", "OK: all 3 files"}},
		{"empty bundle", emptied(t, unsigned), "", 1, []string{"manifest.json: empty: the manifest lists no files", "report.json: missing"}},
		{"report-less bundle", edit(t, unsigned, "report.json", nil, true), "", 1, []string{"report.json: missing: the manifest does not list the report"}},
		{"hostile signer", edit(t, signed, "manifest.sig", bytes.Replace(fileData(signed, "manifest.sig"), []byte("Jane Doe"), []byte(termPayload), 1), false), keyA + ".pub", 1, []string{"manifest.sig: bad signature"}},
	}
	for _, asDir := range []bool{false, true} {
		for _, tc := range tests {
			t.Run(map[bool]string{false: "zip", true: "dir"}[asDir]+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				args := []string{"verify", rezip(t, tc.files, asDir)}
				if tc.key != "" {
					args = append(args, "--key", tc.key)
				}
				code, out, errOut := runCmd(t, "", args...)
				if code != tc.code {
					t.Errorf("exit %d, want %d:\n%s%s", code, tc.code, out, errOut)
				}
				for _, w := range tc.want {
					if !strings.Contains(out, w) {
						t.Errorf("stdout lacks %q:\n%s", w, out)
					}
				}
				if tc.code != 0 && strings.Contains(out, "OK:") {
					t.Errorf("a failed bundle says OK:\n%s", out)
				}
				checkInert(t, "verify stdout", out)
				checkInert(t, "verify stderr", errOut)
			})
		}
	}
}

func fileData(files []zipFile, name string) []byte {
	for _, f := range files {
		if f.name == name {
			return f.data
		}
	}
	return nil
}

func TestKeygen(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	key := filepath.Join(dir, "k")
	code, out, errOut := runCmd(t, "", "keygen", "--out", key)
	if code != 0 || !strings.Contains(out, "fingerprint: sha256:") {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	for name, mode := range map[string]os.FileMode{key: 0o600, key + ".pub": 0o644} {
		st, err := os.Stat(name)
		if err != nil || st.Mode().Perm() != mode {
			t.Errorf("%s: %v mode %v, want %v", name, err, st.Mode().Perm(), mode)
		}
	}
	pub, err := evidence.ReadPublicKey(key + ".pub")
	if err != nil || !strings.Contains(out, evidence.Fingerprint(pub)) {
		t.Errorf("public key %v, or its fingerprint not printed:\n%s", err, out)
	}
	before, _ := os.ReadFile(key)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"exists", []string{"--out", key}, 1, "k exists"},
		{"public exists", []string{"--out", filepath.Join(dir, "p")}, 1, "p.pub exists"},
		{"no --out", nil, 2, "needs --out"},
		{"--out .pub", []string{"--out", filepath.Join(dir, "x.pub")}, 2, "names the private key"},
		{"argument", []string{"--out", filepath.Join(dir, "y"), "extra"}, 2, "unknown command"},
		{"no folder", []string{"--out", filepath.Join(dir, "absent", "k")}, 1, "no such file"},
	}
	os.WriteFile(filepath.Join(dir, "p.pub"), []byte("someone's key"), 0o644)
	for _, tc := range tests {
		code, _, errOut := runCmd(t, "", append([]string{"keygen"}, tc.args...)...)
		if code != tc.code || !strings.Contains(errOut, tc.want) {
			t.Errorf("%s: exit %d, want %d with %q: %s", tc.name, code, tc.code, tc.want, errOut)
		}
	}
	if after, _ := os.ReadFile(key); !bytes.Equal(before, after) {
		t.Error("keygen replaced a key without --force")
	}
	if _, err := os.Stat(filepath.Join(dir, "p")); err == nil {
		t.Error("keygen left a private key whose public half it could not write")
	}
	if code, _, errOut := runCmd(t, "", "keygen", "--out", key, "--force"); code != 0 {
		t.Errorf("--force: exit %d: %s", code, errOut)
	}
	if after, _ := os.ReadFile(key); bytes.Equal(before, after) {
		t.Error("--force did not replace the key")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
}

func TestSignUsage(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	key := keygen(t, dir, "k")
	har := filepath.Join(dir, "c.har")
	os.WriteFile(har, []byte(pixelHAR), 0o600)
	zipPath := filepath.Join(dir, "case.zip")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"--sign without --evidence", []string{"analyze", "--sign", key, har}, "needs --evidence"},
		{"--signer without --sign", []string{"analyze", "--evidence", zipPath, "--signer", "Jane", har}, "--signer needs --sign"},
		{"--sign with the public key", []string{"analyze", "--evidence", zipPath, "--sign", key + ".pub", har}, "this is a public key"},
		{"--sign with no key", []string{"analyze", "--evidence", zipPath, "--sign", filepath.Join(dir, "absent"), har}, "no such file"},
		{"--signer with an escape", []string{"analyze", "--evidence", zipPath, "--sign", key, "--signer", "a\x1b[2J", har}, "control characters"},
		{"demo --sign without --evidence", []string{"demo", "--sign", key}, "needs --evidence"},
		{"scan --sign without --evidence", []string{"scan", "--sign", key, "https://example.com/"}, "needs --evidence"},
		{"verify --key with the private key", []string{"verify", "--key", key, zipPath}, "this is a private key"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, _, errOut := runCmd(t, "", tc.args...)
			if code != exitUsage || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, want 2 with %q: %s", code, tc.want, errOut)
			}
			checkInert(t, "stderr", errOut)
		})
	}
	if _, err := os.Stat(zipPath); err == nil {
		t.Error("a bundle was written despite the usage error")
	}
}
