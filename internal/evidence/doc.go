// Package evidence writes and verifies sealed evidence bundles: a zip holding
// the capture, the reports and screenshots, and a manifest with each file's
// size and SHA-256, the tool version, the exact command and its options.
//
// The manifest's own digest is stored beside it, so a changed, missing or
// extra file and an edited manifest are each named by Verify. The digest
// proves integrity against accidents only: anyone who rewrites a file, the
// manifest and its digest together makes a new, self-consistent bundle.
// Authorship comes from the optional Ed25519 signature, manifest.sig, over
// the manifest's exact bytes: checked against a public key the verifier
// trusts (VerifyOptions.Key), it proves the bundle is as that key's holder
// sealed it. Verify reads a zip or the folder it was unpacked into.
package evidence
