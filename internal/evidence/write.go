package evidence

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
	"time"

	"github.com/klauspost/compress/flate"
)

// Bundle is what goes into an evidence zip.
type Bundle struct {
	Files   []File
	Tool    string
	Version string
	// Command is the exact command line, program name first.
	Command []string
	// Options are the effective options of the run, in the caller's order.
	Options []KV
	// Created is the bundle's timestamp; the package reads no clock.
	Created time.Time
	// Times are further named timestamps, e.g. {"scan_started", ...}.
	Times []KV
	// Sign, when set, signs the manifest: manifest.sig, signed at Created.
	Sign *Signer
}

// File is one file of a bundle. Exactly one of Data, Path and Open gives its
// content; Path and Open are streamed, so big captures never sit in memory.
type File struct {
	// Name is the slash-separated name inside the zip, e.g. "capture.har"
	// or "screenshots/1.png".
	Name string
	Data []byte
	// Path is a file on disk to copy in.
	Path string
	// Open returns the content; the reader is closed after copying.
	Open func() (io.ReadCloser, error)
}

func (f File) open() (io.ReadCloser, error) {
	n := 0
	for _, set := range []bool{f.Data != nil, f.Path != "", f.Open != nil} {
		if set {
			n++
		}
	}
	switch {
	case n > 1:
		return nil, errors.New("set only one of Data, Path and Open")
	case f.Path != "":
		return os.Open(f.Path)
	case f.Open != nil:
		return f.Open()
	default:
		return io.NopCloser(bytes.NewReader(f.Data)), nil
	}
}

// Write writes the bundle to path as a zip: the files in the order given,
// then manifest.json, manifest.sha256 and, when signed, manifest.sig. On
// error the partial file is removed.
func Write(path string, b Bundle) (err error) {
	out, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write evidence: %w", err)
	}
	defer func() {
		if cerr := out.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("write evidence %s: %w", path, cerr)
		}
		if err != nil {
			os.Remove(path)
		}
	}()
	if err := WriteTo(out, b); err != nil {
		return fmt.Errorf("write evidence %s: %w", path, err)
	}
	return nil
}

// WriteTo writes the bundle as a zip to w. The files' names are checked
// before anything is written; a bundle must hold report.json.
func WriteTo(w io.Writer, b Bundle) error {
	if err := checkFiles(b.Files); err != nil {
		return err
	}
	created := b.Created.UTC()
	m := Manifest{
		Schema: Schema, Tool: b.Tool, Version: b.Version,
		Command: append([]string{}, b.Command...),
		Options: b.Options, Times: b.Times,
		Files: make([]ManifestFile, 0, len(b.Files)),
	}
	if m.Command == nil {
		m.Command = []string{}
	}
	if !b.Created.IsZero() {
		m.Created = created.Format(time.RFC3339Nano)
	}
	zw := zip.NewWriter(w)
	// klauspost's deflate at level 3 writes several times faster than the
	// standard library's default, with files almost as small: captures run
	// to gigabytes.
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, 3)
	})
	for _, f := range b.Files {
		mf, err := addFile(zw, f, created)
		if err != nil {
			return fmt.Errorf("add %s: %w", f.Name, err)
		}
		m.Files = append(m.Files, mf)
	}
	own, err := ownFiles(m, b.Sign, b.Created)
	if err != nil {
		return err
	}
	for _, f := range own {
		if _, err := addFile(zw, f, created); err != nil {
			return fmt.Errorf("add %s: %w", f.Name, err)
		}
	}
	return zw.Close()
}

// checkFiles checks the names of a bundle's files: clean, unique, and
// report.json among them.
func checkFiles(files []File) error {
	seen := map[string]bool{}
	for _, f := range files {
		if err := checkName(f.Name); err != nil {
			return err
		}
		if seen[f.Name] {
			return fmt.Errorf("file %q given twice", f.Name)
		}
		seen[f.Name] = true
	}
	if !seen[ReportName] {
		return fmt.Errorf("a bundle must hold %s: without the report it is evidence of nothing", ReportName)
	}
	return nil
}

// ownFiles returns the manifest, its digest and, when s is set, its
// signature, made at the bundle's time.
func ownFiles(m Manifest, s *Signer, at time.Time) ([]File, error) {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode manifest: %w", err)
	}
	data = append(data, '\n')
	sum := sha256.Sum256(data)
	files := []File{{Name: ManifestName, Data: data}, {Name: DigestName, Data: digestLine(hex.EncodeToString(sum[:]))}}
	if s != nil {
		sig, err := signManifest(data, *s, at)
		if err != nil {
			return nil, err
		}
		files = append(files, File{Name: SignatureName, Data: sig})
	}
	return files, nil
}

// addFile copies one file into the zip, hashing it on the way.
func addFile(zw *zip.Writer, f File, modified time.Time) (ManifestFile, error) {
	rc, err := f.open()
	if err != nil {
		return ManifestFile{}, err
	}
	defer rc.Close()
	hdr := &zip.FileHeader{Name: f.Name, Method: method(f.Name)}
	if !modified.IsZero() {
		hdr.Modified = modified
	}
	zf, err := zw.CreateHeader(hdr)
	if err != nil {
		return ManifestFile{}, err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(zf, h), rc)
	if err != nil {
		return ManifestFile{}, err
	}
	return ManifestFile{Name: f.Name, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// method stores already-compressed formats and deflates the rest.
func method(name string) uint16 {
	switch strings.ToLower(path.Ext(name)) {
	case ".png", ".jpg", ".jpeg", ".webp", ".gz", ".zip", ".br", ".zst":
		return zip.Store
	}
	return zip.Deflate
}
