// Package report renders an audit.Report for people and machines: a terminal
// table, JSON, a self-contained HTML page, Markdown, CSV, JUnit XML and SARIF.
//
// Rendering is pure: the same report and options give the same bytes.
package report
