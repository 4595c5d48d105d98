// Package report renders an audit.Report for people and machines: a terminal
// table, JSON, a self-contained HTML page, Markdown, CSV, JUnit XML and SARIF.
//
// Rendering is pure: the same report and options give the same bytes. The
// HTML page fetches nothing (inline CSS, JS and SVG, a CSP that forbids
// loading, report URLs shown only as text); the text format turns control
// characters from captured traffic into visible escapes.
package report
