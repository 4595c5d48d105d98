// Package policy owns the CI gate: YAML policies that allow or deny data
// flows per company, domain, category, page and data kind, their evaluation
// against an audit report (optionally only on what is new against a
// baseline), the --fail-on shorthand, and diffs between two reports.
//
// A rule has a deny selector, and optionally a match selector that scopes it
// and an allow selector that makes exceptions. Each finding of the report
// (and, when a rule names them, each third-party company and each pixel ID)
// is one item; an item breaks a rule when it matches match and deny and not
// allow. The keys of a selector must all match; the values of one key are
// alternatives.
package policy
