package audit

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"unicode/utf8"
)

// Limits bound what a report keeps, so that memory and output grow with what
// was found, not with how often a capture repeats it. The zero value uses the
// defaults; every limit that is hit is named in a report warning.
type Limits struct {
	// MaxFindings caps leak and pattern findings per report (default 50,000).
	MaxFindings int
	// MaxPixelHits caps decoded pixel hits listed in full (default 20,000);
	// the rest are counted per vendor and product.
	MaxPixelHits int
	// MaxEvidenceBytes caps the raw request evidence kept (URLs, headers,
	// bodies of the requests findings point at; default 64 MiB).
	MaxEvidenceBytes int
}

// Defaults of Limits.
const (
	DefaultMaxFindings      = 50_000
	DefaultMaxPixelHits     = 20_000
	DefaultMaxEvidenceBytes = 64 << 20
)

// withDefaults fills zero limits.
func (l Limits) withDefaults() Limits {
	if l.MaxFindings <= 0 {
		l.MaxFindings = DefaultMaxFindings
	}
	if l.MaxPixelHits <= 0 {
		l.MaxPixelHits = DefaultMaxPixelHits
	}
	if l.MaxEvidenceBytes <= 0 {
		l.MaxEvidenceBytes = DefaultMaxEvidenceBytes
	}
	return l
}

// Caps of single strings a report carries.
const (
	maxRefURL      = 2 << 10  // a request URL inside a finding or pixel hit
	maxDetailURL   = 64 << 10 // a request URL in the evidence of Requests
	maxHeaderValue = 8 << 10
	maxHeaders     = 200
)

// capString cuts s to at most n bytes at a rune boundary and says how much
// was cut, so a reader knows the evidence is partial.
func capString(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && cut > n-utf8.UTFMax && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…[" + strconv.Itoa(len(s)-cut) + " more bytes]"
}

// budgetWarning names a limit that was hit and how to raise it.
func budgetWarning(what string, dropped int, flag string, limit int) string {
	return fmt.Sprintf("%d %s not listed: the report keeps at most %d (raise it with %s)", dropped, what, limit, flag)
}

// keptTotals counts what the leak search found and what is kept of it.
type keptTotals struct {
	findings, evidence int // kept now
	totalFindings      int // found in all
	// bare counts kept requests with findings whose raw evidence was
	// dropped for the evidence limit.
	bare int
}

// keep adds one request's search result. When the kept findings or evidence
// pass twice their limit, the results are pruned to the limit, keeping the
// earliest requests in capture order: what is kept does not depend on which
// worker finished first.
func (a *Auditor) keep(sr scanResult) {
	a.mu.Lock()
	defer a.mu.Unlock()
	n := len(sr.res.Matches) + len(sr.res.Patterns)
	a.kept.findings += n
	a.kept.totalFindings += n
	if sr.detail != nil {
		a.kept.evidence += sr.detail.size()
	}
	a.scans = append(a.scans, sr)
	lim := a.opts.Limits
	if a.kept.findings > 2*lim.MaxFindings || a.kept.evidence > 2*lim.MaxEvidenceBytes {
		a.pruneLocked()
	}
}

func (a *Auditor) prune() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.pruneLocked()
}

func (a *Auditor) pruneLocked() {
	slices.SortFunc(a.scans, func(x, y scanResult) int {
		return cmp.Or(cmp.Compare(x.ref.source, y.ref.source), cmp.Compare(x.ref.index, y.ref.index))
	})
	lim := a.opts.Limits
	findings, evidence, bare := 0, 0, a.kept.bare
	out := a.scans[:0]
	for _, sr := range a.scans {
		room := lim.MaxFindings - findings
		if room <= 0 && len(sr.res.Warnings) == 0 {
			continue
		}
		room = max(room, 0)
		if len(sr.res.Matches) > room {
			sr.res.Matches, sr.meanings = sr.res.Matches[:room], sr.meanings[:room]
		}
		room -= len(sr.res.Matches)
		if len(sr.res.Patterns) > room {
			sr.res.Patterns = sr.res.Patterns[:room]
		}
		findings += len(sr.res.Matches) + len(sr.res.Patterns)
		found := len(sr.res.Matches) + len(sr.res.Patterns)
		if sr.detail != nil {
			if evidence+sr.detail.size() > lim.MaxEvidenceBytes || found == 0 {
				if found > 0 {
					bare++
				}
				sr.detail = nil
			} else {
				evidence += sr.detail.size()
			}
		}
		out = append(out, sr)
	}
	clear(a.scans[len(out):])
	a.scans = out
	a.kept.findings, a.kept.evidence, a.kept.bare = findings, evidence, bare
}

// warnings names the limits the report hit.
func (k keptTotals) warnings(lim Limits) []string {
	var out []string
	if d := k.totalFindings - k.findings; d > 0 {
		out = append(out, budgetWarning("leak and pattern findings", d, "--max-findings", lim.MaxFindings))
	}
	if k.bare > 0 {
		out = append(out, fmt.Sprintf("the raw evidence (headers, body) of some requests with findings is not kept: "+
			"the report keeps at most %d bytes of it (raise it with --max-evidence-bytes); their findings are listed",
			lim.MaxEvidenceBytes))
	}
	return out
}
