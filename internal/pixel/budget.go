package pixel

import (
	"fmt"
	"slices"
)

// Defaults of AnalyzerOptions.
const (
	// DefaultMaxKeptURLBytes is the budget of what the end-of-capture
	// cookie-sync check keeps: third-party URL texts, hosts, page and
	// document URLs and the per-request records. It is heap, counted as
	// the arenas that hold them allocate (see arena.go), not an estimate.
	DefaultMaxKeptURLBytes = 64 << 20
	// DefaultMaxIdentifiers caps the distinct (cookie name, value) pairs
	// kept as identifier sources.
	DefaultMaxIdentifiers = 20_000
	// maxFlows caps the cookie-sync flows reported.
	maxFlows = 10_000
	// maxBeaconFindings caps the tracking-beacon findings listed, one per
	// host: a capture to hundreds of thousands of unknown hosts would
	// otherwise make a finding each. The hosts with the most beacons are
	// listed; the rest are counted in a warning.
	maxBeaconFindings = 10_000
)

// AnalyzerOptions bound what an Analyzer keeps. Zero values take the
// defaults. When a budget is reached the analysis goes on and Warnings says
// what was not checked.
type AnalyzerOptions struct {
	// MaxKeptURLBytes is the heap the cookie-sync check may keep (URL
	// texts, hosts, page URLs, per-request records); identical strings
	// are kept once.
	MaxKeptURLBytes int
	// MaxIdentifiers caps the distinct cookie (name, value) pairs whose
	// identifiers are looked for in URLs.
	MaxIdentifiers int
}

func (o AnalyzerOptions) maxKeptURLBytes() int {
	if o.MaxKeptURLBytes > 0 {
		return o.MaxKeptURLBytes
	}
	return DefaultMaxKeptURLBytes
}

func (o AnalyzerOptions) maxIdentifiers() int {
	if o.MaxIdentifiers > 0 {
		return o.MaxIdentifiers
	}
	return DefaultMaxIdentifiers
}

// limit names a budget that can run out.
type limit int

const (
	limitURLBytes limit = iota
	limitIdentifiers
	limitCandidates
	limitHostTokens
	limitPages
	limitFlows
	limitNames
	limitBeacons
	limitDecoder // not a budget: a decoder that panicked
	numLimits
)

// limitHit is how often a budget ran out and the first request it hit.
type limitHit struct {
	count int
	first int
}

// limits records the budgets that ran out.
type limits [numLimits]limitHit

// note counts one item dropped by budget l at request index (-1: unknown).
func (l *limits) note(which limit, index int) {
	h := &l[which]
	if h.count == 0 {
		h.first = index
	}
	h.count++
}

// warnings describes, in plain words and a fixed order, what the budgets
// left unchecked.
func (l *limits) warnings(o AnalyzerOptions) []string {
	texts := [numLimits]string{
		limitURLBytes: fmt.Sprintf("cookie sync: the %d-byte budget of kept URL text ran out; "+
			"%%d later third-party request(s) were not checked for cookie syncing", o.maxKeptURLBytes()),
		limitIdentifiers: fmt.Sprintf("cookie sync: the limit of %d identifier cookies was reached; "+
			"%%d later cookie value(s) were not looked for in URLs", o.maxIdentifiers()),
		limitCandidates: fmt.Sprintf("cookie sync: the limit of %d identifier candidates was reached; "+
			"%%d cookie value(s) were only partly looked for in URLs", maxCandidates),
		limitHostTokens: "cookie sync: too many distinct host names to remember; %d host label(s) were " +
			"not used to tell names from identifiers",
		limitPages: "cookie sync: too many distinct page URLs; %d page URL(s) were not used to tell the " +
			"page's own parts from identifiers",
		limitFlows: fmt.Sprintf("cookie sync: only the first %d flows are reported; %%d more were "+
			"dropped", maxFlows),
		limitNames: "behaviour findings: %d cookie or parameter name(s) beyond the per-finding cap " +
			"were not listed",
		limitBeacons: fmt.Sprintf("tracking beacons: only the %d hosts with the most beacons are listed; "+
			"%%d more host(s) that received unrecognized tracking pixels were not listed", maxBeaconFindings),
		limitDecoder: "pixel decoding: an internal error dropped the pixel hits of %d request(s) (please report it)",
	}
	var out []string
	for i, h := range l {
		if h.count == 0 {
			continue
		}
		w := fmt.Sprintf(texts[i], h.count)
		if h.first >= 0 {
			w += fmt.Sprintf(" (from request %d)", h.first)
		}
		out = append(out, w+".")
	}
	return out
}

// Warnings says what the analysis could not check because a budget ran
// out, in a fixed order; nil when everything was checked. Call it after
// Findings, which may drop cookie-sync flows beyond the cap.
func (a *Analyzer) Warnings() []string {
	if a.finished != nil {
		return slices.Clone(a.finished.warnings)
	}
	l := a.limits
	names := 0
	for _, m := range []map[string]*keyedEvidence{a.udff, a.idCookies, a.replay, a.fingerprint} {
		for _, e := range m {
			names += e.dropped
		}
	}
	names += a.beacons.dropped
	for _, e := range a.cookies {
		names += e.dropped
	}
	l[limitNames] = limitHit{count: names, first: -1}
	return l.warnings(a.opts)
}
