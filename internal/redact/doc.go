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
package redact
