// Package codec holds the decoders every other package shares, written
// once: lz-string (all four of its output forms, with an output limit),
// JSON string unescaping (strict, for parsers that must reject bad input,
// and lenient, for searching text that only looks like JSON), and HTTP
// Content-Encoding (chains such as "br, gzip", zlib-wrapped and raw
// deflate, gzip sniffed from its magic bytes, and re-encoding in the same
// form, all under output and expansion limits).
//
// It depends on nothing in leakwatch: leak, pixel, redact and har import
// it.
package codec
