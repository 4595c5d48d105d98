package evidence

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leakwatch/leakwatch/internal/sharedtest"
)

var created = time.Date(2026, 11, 28, 17, 40, 0, 123, time.UTC)

// sampleBundle uses all three ways of giving content.
func sampleBundle(t *testing.T) Bundle {
	t.Helper()
	har := filepath.Join(t.TempDir(), "capture.har")
	if err := os.WriteFile(har, []byte(`{"log":{"version":"1.2","entries":[]}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	png := []byte("\x89PNG\r\n\x1a\nfake screenshot bytes")
	return Bundle{
		Files: []File{
			{Name: "capture.har", Path: har},
			{Name: "report.json", Data: []byte(`{"schema":"leakwatch/report/v1"}`)},
			{Name: "report.html", Open: func() (io.ReadCloser, error) {
				return io.NopCloser(strings.NewReader("<!doctype html><title>report</title>")), nil
			}},
			{Name: "screenshots/page-1.png", Data: png},
			{Name: "empty.txt", Data: []byte{}},
		},
		Tool: "leakwatch", Version: "v0.1.0-test",
		Command: []string{"leakwatch", "scan", "--evidence", "out.zip", "https://shop.example/"},
		Options: []KV{{"format", "html"}, {"redact", "true"}},
		Created: created,
		Times:   []KV{{"scan_started", "2026-11-28T17:39:00Z"}},
	}
}

func writeSample(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "bundle.zip")
	if err := Write(path, sampleBundle(t)); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestWriteVerifyRoundTrip(t *testing.T) {
	t.Parallel()
	res, err := Verify(context.Background(), writeSample(t), VerifyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK() || res.Checked != 5 {
		t.Fatalf("want intact bundle with 5 files, got %+v", res)
	}
	m := res.Manifest
	if m.Tool != "leakwatch" || m.Version != "v0.1.0-test" || m.Created != "2026-11-28T17:40:00.000000123Z" {
		t.Errorf("manifest header: %+v", m)
	}
	if strings.Join(m.Command, " ") != "leakwatch scan --evidence out.zip https://shop.example/" {
		t.Errorf("command: %q", m.Command)
	}
	if len(m.Options) != 2 || m.Options[0] != (KV{"format", "html"}) || len(m.Times) != 1 {
		t.Errorf("options/times: %+v %+v", m.Options, m.Times)
	}
	want := sha256.Sum256([]byte(`{"schema":"leakwatch/report/v1"}`))
	if f := m.Files[1]; f.Name != "report.json" || f.Size != 32 || f.SHA256 != hex.EncodeToString(want[:]) {
		t.Errorf("report.json entry: %+v", f)
	}
	var buf bytes.Buffer
	if err := res.WriteText(&buf); err != nil || !strings.Contains(buf.String(), "OK: all 5 files") {
		t.Errorf("text: %q %v", buf.String(), err)
	}
}

func TestWriteDeterministic(t *testing.T) {
	t.Parallel()
	var a, b bytes.Buffer
	if err := WriteTo(&a, sampleBundle(t)); err != nil {
		t.Fatal(err)
	}
	if err := WriteTo(&b, sampleBundle(t)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("the same bundle written twice differs")
	}
}

// entry is a zip entry read back for rewriting.
type entry struct {
	name string
	data []byte
}

func readZip(t *testing.T, path string) []entry {
	t.Helper()
	var out []entry
	for _, e := range sharedtest.ReadZip(t, path) {
		out = append(out, entry{e.Name, e.Data})
	}
	return out
}

func writeZip(t *testing.T, entries []entry) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tampered.zip")
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.Create(e.name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(e.data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestOneByteChangeInEveryFile flips one byte of each file in turn, at the
// start, middle and end, and rewrites the zip with valid CRCs.
func TestOneByteChangeInEveryFile(t *testing.T) {
	t.Parallel()
	orig := readZip(t, writeSample(t))
	for i, e := range orig {
		if len(e.data) == 0 {
			continue
		}
		for _, pos := range []int{0, len(e.data) / 2, len(e.data) - 1} {
			tampered := append([]entry(nil), orig...)
			data := append([]byte(nil), e.data...)
			data[pos] ^= 0x01
			tampered[i] = entry{e.name, data}
			res, err := Verify(context.Background(), writeZip(t, tampered), VerifyOptions{})
			if err != nil {
				// Only the manifest may become unreadable, and the error must say so.
				if e.name != ManifestName || !strings.Contains(err.Error(), ManifestName) {
					t.Errorf("%s byte %d: error %v", e.name, pos, err)
				}
				continue
			}
			if !hasProblem(res, e.name, Changed) {
				t.Errorf("%s byte %d: change not named: %+v", e.name, pos, res.Problems)
			}
		}
	}
}

func hasProblem(res *Result, name, kind string) bool {
	for _, p := range res.Problems {
		if p.Name == name && p.Kind == kind {
			return true
		}
	}
	return false
}

func TestMissingExtraDuplicate(t *testing.T) {
	t.Parallel()
	orig := readZip(t, writeSample(t))
	without := func(name string) []entry {
		var out []entry
		for _, e := range orig {
			if e.name != name {
				out = append(out, e)
			}
		}
		return out
	}
	tests := []struct {
		name    string
		entries []entry
		file    string
		kind    string
	}{
		{"missing file", without("report.html"), "report.html", Missing},
		{"missing digest", without(DigestName), DigestName, Missing},
		{"extra file", append(append([]entry{}, orig...), entry{"notes.txt", []byte("x")}), "notes.txt", Extra},
		{"duplicate file", append(append([]entry{}, orig...), entry{"report.json", []byte("{}")}), "report.json", Duplicate},
		{"grown file", replace(orig, "report.json", append([]byte(`{"schema":"leakwatch/report/v1"}`), bytes.Repeat([]byte(" "), 1<<20)...)), "report.json", Changed},
		{"garbage digest", append(without(DigestName), entry{DigestName, []byte("nonsense")}), DigestName, Changed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res, err := Verify(context.Background(), writeZip(t, tc.entries), VerifyOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if res.OK() || !hasProblem(res, tc.file, tc.kind) {
				t.Errorf("want %s %s, got %+v", tc.file, tc.kind, res.Problems)
			}
			var buf bytes.Buffer
			res.WriteText(&buf)
			if !strings.Contains(buf.String(), "FAILED") || !strings.Contains(buf.String(), tc.file) {
				t.Errorf("text does not name %s: %s", tc.file, buf.String())
			}
		})
	}
}

func replace(entries []entry, name string, data []byte) []entry {
	out := append([]entry(nil), entries...)
	for i := range out {
		if out[i].name == name {
			out[i].data = data
		}
	}
	return out
}

func TestNotABundle(t *testing.T) {
	t.Parallel()
	good, err := os.ReadFile(writeSample(t))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"random bytes", []byte("this is not a zip file at all"), "not a readable zip file"},
		{"empty", nil, "not a readable zip file"},
		{"truncated", good[:len(good)/2], "not a readable zip file"},
		{"zip without manifest", zipBytes(t, entry{"report.json", []byte("{}")}), "not an evidence bundle"},
		{"manifest wrong schema", zipBytes(t, entry{ManifestName, []byte(`{"schema":"other","files":[]}`)}), `schema is "other"`},
		{"manifest escapes", zipBytes(t, entry{ManifestName, []byte(`{"schema":"leakwatch/evidence/v1","files":[{"name":"../x","size":1,"sha256":"` + strings.Repeat("0", 64) + `"}]}`)}), "not a clean path"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "x.zip")
			os.WriteFile(path, tc.data, 0o600)
			_, err := Verify(context.Background(), path, VerifyOptions{})
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
				t.Errorf("want error with %q and the path, got %v", tc.want, err)
			}
		})
	}
	if _, err := Verify(context.Background(), filepath.Join(t.TempDir(), "absent.zip"), VerifyOptions{}); err == nil {
		t.Error("absent file verified")
	}
}

func zipBytes(t *testing.T, entries ...entry) []byte {
	t.Helper()
	data, err := os.ReadFile(writeZip(t, entries))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestRawByteFlips corrupts the zip file itself at every offset: Verify may
// fail or report, but must not panic or call a damaged content intact.
func TestRawByteFlips(t *testing.T) {
	t.Parallel()
	good, err := os.ReadFile(writeSample(t))
	if err != nil {
		t.Fatal(err)
	}
	for i := range good {
		bad := append([]byte(nil), good...)
		bad[i] ^= 0xff
		res, err := VerifyReader(context.Background(), bytes.NewReader(bad), int64(len(bad)), VerifyOptions{})
		if err != nil || !res.OK() {
			continue
		}
		// Intact means every listed file hashed to its recorded digest, so
		// the flipped byte was zip metadata, not content.
		if res.Checked != 5 {
			t.Fatalf("offset %d: OK with %d files checked", i, res.Checked)
		}
	}
}

func TestWriteRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		file File
		want string
	}{
		{"reserved", File{Name: ManifestName, Data: []byte("x")}, "reserved"},
		{"absolute", File{Name: "/etc/passwd", Data: []byte("x")}, "relative"},
		{"dotdot", File{Name: "a/../../b", Data: []byte("x")}, "clean path"},
		{"empty", File{Name: "", Data: []byte("x")}, "empty"},
		{"two sources", File{Name: "a", Data: []byte("x"), Path: "/dev/null"}, "only one"},
		{"missing path", File{Name: "a", Path: "/nonexistent/file"}, "no such file"},
		{"reserved signature", File{Name: SignatureName, Data: []byte("x")}, "reserved"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "b.zip")
			report := File{Name: ReportName, Data: []byte("{}")}
			err := Write(path, Bundle{Files: []File{report, tc.file}, Created: created})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("want error with %q, got %v", tc.want, err)
			}
			if _, serr := os.Stat(path); serr == nil {
				t.Error("partial bundle left behind")
			}
		})
	}
	err := WriteTo(io.Discard, Bundle{Files: []File{{Name: "a", Data: []byte("1")}, {Name: "a", Data: []byte("2")}}})
	if err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("duplicate names: %v", err)
	}
	for _, files := range [][]File{nil, {{Name: "capture.har", Data: []byte("{}")}}} {
		if err := WriteTo(io.Discard, Bundle{Files: files, Created: created}); err == nil || !strings.Contains(err.Error(), ReportName) {
			t.Errorf("bundle of %d files without a report: %v", len(files), err)
		}
	}
}

// benchBundle is the largest shared HAR (about 2.3 MB) as the capture.
func benchBundle(b *testing.B) Bundle {
	data, err := os.ReadFile(sharedtest.Path(b, "har", "pagexray-expressen.har"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	return Bundle{Files: []File{{Name: "capture.har", Data: data}, {Name: "report.json", Data: data[:len(data)/4]}}, Created: created}
}

func BenchmarkWrite(b *testing.B) {
	bundle := benchBundle(b)
	for b.Loop() {
		if err := WriteTo(io.Discard, bundle); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	pub, priv := testKey(b, 1)
	for _, bc := range []struct {
		name   string
		signed bool
		dir    bool
	}{{"zip", false, false}, {"zip-signed", true, false}, {"dir-signed", true, true}} {
		b.Run(bc.name, func(b *testing.B) {
			bundle := benchBundle(b)
			opts := VerifyOptions{}
			if bc.signed {
				bundle.Sign, opts.Key = &Signer{Key: priv}, pub
			}
			path := filepath.Join(b.TempDir(), "bench.zip")
			if err := Write(path, bundle); err != nil {
				b.Fatal(err)
			}
			if bc.dir {
				path = unzipTo(b, path)
			}
			for b.Loop() {
				if res, err := Verify(context.Background(), path, opts); err != nil || !res.OK() {
					b.Fatal(err, res.Problems)
				}
			}
		})
	}
}

// unzipTo unpacks the zip at path into a new folder.
func unzipTo(b *testing.B, path string) string {
	zr, err := zip.OpenReader(path)
	if err != nil {
		b.Fatal(err)
	}
	defer zr.Close()
	dir := b.TempDir()
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			b.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		if err := os.WriteFile(filepath.Join(dir, f.Name), data, 0o600); err != nil {
			b.Fatal(err)
		}
	}
	return dir
}
