// Package redact removes secrets from captures and reports before anything
// is written: session cookies, credentials in headers, typed passwords,
// bearer tokens and JWTs, and literal secrets the caller names. It also masks
// persona values so a report shows the match without repeating the value.
//
// Redaction works in two passes. The first collects every secret value from
// the places secrets live (cookie values by name, credential headers,
// password and token fields in forms, JSON, multipart bodies and query
// strings, storage keys). The second rewrites a deep copy, blanking those
// places and replacing each collected value wherever else it appears.
//
// Both passes decode before they decide: every value is also read through
// the layers the leak search opens (URL-encoding, JSON string escapes,
// base64 in either alphabet, hex, and gzip, zlib or raw deflate inside
// those, or a body's Content-Encoding), redacted inside, and encoded back
// the same way (alphabet, padding, case, compression) so the evidence
// still decodes. What cannot be encoded back (a truncated stream, one cut
// by the budget, binary data) is replaced whole by a marker that says why.
// MaskReport masks persona values through the same layers.
package redact
