// Package server is `leakwatch serve`: the JSON API (described by an
// embedded OpenAPI 3.1 document), the embedded web UI, their auth (bearer
// tokens with roles, login sessions with CSRF protection), limits, live scan
// progress as server-sent events, health checks and Prometheus metrics.
//
// Scans run elsewhere: the server stores a queued scan and hands its id to
// a Queue. InlineQueue runs them in this process through a ScanFunc; the
// River queue of internal/jobs plugs in through the same interface.
package server
