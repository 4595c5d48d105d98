package evidence

import (
	"fmt"
	"io"
)

// Problem kinds.
const (
	Changed   = "changed"
	Missing   = "missing"
	Extra     = "extra"
	Duplicate = "duplicate"
	// Empty: the manifest lists no files at all.
	Empty = "empty"
)

// Problem is one thing wrong with a bundle.
type Problem struct {
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	Detail string `json:"detail"`
}

func (p Problem) String() string { return p.Name + ": " + p.Kind + ": " + p.Detail }

// Result is the outcome of verifying a bundle.
type Result struct {
	Manifest *Manifest `json:"manifest"`
	// Signature is what manifest.sig says and whether it holds; nil when
	// the bundle is not signed or its signature file cannot be read.
	Signature *Signature `json:"signature,omitempty"`
	// Problems name every changed, missing, extra or duplicated file, the
	// manifest itself included, a bad or untrusted signature, and a bundle
	// without files or without its report; empty when the bundle is intact.
	Problems []Problem `json:"problems"`
	// Checked counts the files whose digest matched.
	Checked int `json:"checked"`
}

// OK reports whether the bundle is intact (and, when VerifyOptions.Key was
// given, signed by that key).
func (r *Result) OK() bool { return len(r.Problems) == 0 }

func (r *Result) problem(name, kind, detail string) {
	r.Problems = append(r.Problems, Problem{name, kind, detail})
}

// Unsigned is what verify says of a bundle that carries no signature.
const Unsigned = "not signed: the SHA-256 digests show the files match the manifest, which guards against " +
	"accidents (a truncated copy, a damaged disk) only; anyone who edits a file can recompute the manifest, " +
	"so they prove neither who made the bundle nor that it is as it was made. Sign bundles with --sign KEY " +
	"and check them with verify --key KEY.pub"

// WriteText writes a plain report of the verification. The caller
// sanitises r first: the manifest and the signature file are whoever built
// the bundle's.
func (r *Result) WriteText(w io.Writer) error {
	m := r.Manifest
	fmt.Fprintf(w, "bundle made by %s %s at %s\n", m.Tool, m.Version, m.Created)
	fmt.Fprintf(w, "command: %q\n", m.Command)
	fmt.Fprintln(w, r.signatureLine())
	if r.OK() {
		_, err := fmt.Fprintf(w, "OK: all %d files match the manifest%s\n", r.Checked, r.okSuffix())
		return err
	}
	fmt.Fprintf(w, "FAILED: %d problem(s), %d of %d files match\n", len(r.Problems), r.Checked, len(m.Files))
	for _, p := range r.Problems {
		if _, err := fmt.Fprintf(w, "  %s\n", p); err != nil {
			return err
		}
	}
	return nil
}

func (r *Result) signatureLine() string {
	s := r.Signature
	if s == nil {
		if r.hasProblem(SignatureName) {
			return "signature: unreadable or missing (see below)"
		}
		return Unsigned
	}
	who := "key " + s.Key
	if s.Signer != "" {
		who = fmt.Sprintf("%q (key %s)", s.Signer, s.Key)
	}
	switch {
	case s.Valid && s.Trusted:
		return fmt.Sprintf("signed by %s at %s (the signer's clock): the manifest carries a good signature by the key given with --key", who, s.Signed)
	case s.Valid:
		return fmt.Sprintf("signed by %s at %s (the signer's clock): the signature is good for that key, but no --key "+
			"was given, and anyone can sign with a key of their own; compare the fingerprint with the signer's, or "+
			"verify with --key SIGNER.pub", who, s.Signed)
	}
	return fmt.Sprintf("signature claims %s at %s, and does not hold (see below)", who, s.Signed)
}

func (r *Result) okSuffix() string {
	if s := r.Signature; s != nil && s.Valid && s.Trusted {
		return ", and the manifest is the one the key signed"
	}
	return ""
}

func (r *Result) hasProblem(name string) bool {
	for _, p := range r.Problems {
		if p.Name == name {
			return true
		}
	}
	return false
}
