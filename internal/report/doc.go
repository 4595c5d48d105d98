// Package report renders an audit.Report for people and machines: a terminal
// table, JSON, a self-contained HTML page, Markdown, CSV, JUnit XML and SARIF.
//
// Rendering is pure: the same report and options give the same bytes. The
// HTML page fetches nothing (inline CSS, JS and SVG, a CSP that forbids
// loading, report URLs shown only as text); the text format turns control
// characters from captured traffic into visible escapes.
//
// The human formats share one verdict (headline.go): what was observed,
// what was searched for and not found, what could not be checked; it is an
// all-clear only when a persona was searched for in a complete capture.
// By default they show high-confidence pattern findings only and fold the
// long tail of a busy page (fold.go); Options.Verbose shows everything.
package report
