// Package audit runs party → pixel → leak over a capture and builds the
// report: findings, the per-company summary, decoded pixels and policy results.
//
// Analysis is pure: the same capture and options give the same report, sorted,
// with no clock inside; times come from the capture.
package audit
