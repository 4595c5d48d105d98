package evidence

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"strings"
	"time"
)

// Schema identifies the manifest format.
const Schema = "leakwatch/evidence/v1"

// Names of the bundle's own files, and of the report every bundle holds.
const (
	ManifestName  = "manifest.json"
	DigestName    = "manifest.sha256"
	SignatureName = "manifest.sig"
	ReportName    = "report.json"
)

// Manifest describes a bundle: what made it, how, when, and every file.
type Manifest struct {
	Schema  string   `json:"schema"`
	Tool    string   `json:"tool"`
	Version string   `json:"version"`
	Command []string `json:"command"`
	Options []KV     `json:"options,omitempty"`
	// Created is when the bundle was made, RFC 3339 with nanoseconds, UTC.
	Created string `json:"created"`
	// Times are further named timestamps the caller gave (scan start, end).
	Times []KV           `json:"times,omitempty"`
	Files []ManifestFile `json:"files"`
}

// ManifestFile is one file of the bundle.
type ManifestFile struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// KV is an ordered name/value pair.
type KV struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// maxManifest bounds the manifest size Verify will read.
const maxManifest = 16 << 20

// ParseManifest decodes and validates a manifest.
func ParseManifest(data []byte) (*Manifest, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var m Manifest
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("parse %s: %w", ManifestName, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("parse %s: data after the manifest object", ManifestName)
	}
	if err := m.validate(); err != nil {
		return nil, fmt.Errorf("parse %s: %w", ManifestName, err)
	}
	return &m, nil
}

func (m *Manifest) validate() error {
	if m.Schema != Schema {
		return fmt.Errorf("schema is %q, want %q", m.Schema, Schema)
	}
	if m.Created != "" {
		if _, err := time.Parse(time.RFC3339Nano, m.Created); err != nil {
			return fmt.Errorf("created %q is not an RFC 3339 time", m.Created)
		}
	}
	seen := map[string]bool{}
	for i, f := range m.Files {
		if err := checkName(f.Name); err != nil {
			return fmt.Errorf("file %d: %w", i, err)
		}
		if seen[f.Name] {
			return fmt.Errorf("file %d: %q is listed twice", i, f.Name)
		}
		seen[f.Name] = true
		if f.Size < 0 {
			return fmt.Errorf("file %q: negative size %d", f.Name, f.Size)
		}
		if b, err := hex.DecodeString(f.SHA256); err != nil || len(b) != 32 {
			return fmt.Errorf("file %q: sha256 %q is not 64 hex digits", f.Name, f.SHA256)
		}
	}
	return nil
}

// checkName accepts slash-separated relative names that stay inside the
// bundle and do not collide with the bundle's own files.
func checkName(name string) error {
	switch {
	case name == "":
		return errors.New("empty file name")
	case name == ManifestName || name == DigestName || name == SignatureName:
		return fmt.Errorf("file name %q is reserved for the bundle", name)
	case strings.HasPrefix(name, "/") || strings.Contains(name, `\`):
		return fmt.Errorf("file name %q must be a relative slash-separated path", name)
	case path.Clean(name) != name || name == "." || strings.HasPrefix(name, "../") || name == "..":
		return fmt.Errorf("file name %q is not a clean path inside the bundle", name)
	case strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return fmt.Errorf("file name %q contains control characters", name)
	}
	return nil
}

// digestLine is the content of manifest.sha256, in sha256sum's format.
func digestLine(sum string) []byte {
	return []byte(sum + "  " + ManifestName + "\n")
}

// parseDigest reads manifest.sha256 and returns the hex digest.
func parseDigest(data []byte) (string, error) {
	line := strings.TrimRight(string(data), "\r\n")
	sum, name, ok := strings.Cut(line, "  ")
	if !ok || name != ManifestName || strings.Contains(line, "\n") {
		return "", fmt.Errorf("%s: want one line \"<sha256>  %s\"", DigestName, ManifestName)
	}
	if b, err := hex.DecodeString(sum); err != nil || len(b) != 32 {
		return "", fmt.Errorf("%s: %q is not 64 hex digits", DigestName, sum)
	}
	return strings.ToLower(sum), nil
}
