package crawlstats

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/leakwatch/leakwatch/internal/audit"
	"github.com/leakwatch/leakwatch/internal/store"
)

// listSep joins list-valued columns.
const listSep = "; "

// maxListed bounds the distinct values a list column of one flow names.
const maxListed = 20

// consentTypes are the finding types that show a site acting against a
// consent state or its own consent signal.
var consentTypes = []string{audit.TypeBeforeChoice, audit.TypeAfterReject, audit.TypeDespiteGPC, audit.TypeConsentConflict}

// skippedTypes are finding types that are not data flows of the site:
// a policy violation depends on the policy the crawl was given.
var skippedTypes = []string{audit.TypeViolation}

// SiteRows is one stored result read into rows: the site row, then its flows
// in a stable order. Report is the decoded report (nil for a failed site
// or a report that could not be read, whose reason is Row.ReportError).
type SiteRows struct {
	Row    Record
	Flows  []Record
	Report *audit.Report
}

// ReadResult turns one stored crawl result into rows. A report that does
// not decode is no error: the site row says why (ReportError), so that one
// damaged report costs its site's flows, not the export.
func ReadResult(r store.CrawlResult) SiteRows {
	// The report's strings are valid UTF-8 once decoded; the row's own
	// columns come from the worker and the sites list: Parquet readers
	// refuse a string column that is not UTF-8.
	row := Record{Kind: KindSite, RunID: r.RunID, Site: utf8Text(r.Site), Rank: int64(r.Rank), State: utf8Text(string(r.State)),
		Error: utf8Text(r.Error), Attempt: int64(r.Attempt), Worker: utf8Text(r.Worker), HARRef: utf8Text(r.HARRef)}
	if r.State != store.Done {
		row.ErrorClass = ErrorClass(r.Error)
	}
	if !r.Finished.IsZero() {
		row.Finished = r.Finished.UTC().Format(time.RFC3339Nano)
	}
	if len(r.Report) == 0 {
		if r.State == store.Done {
			row.ReportError = "no report stored"
		}
		return SiteRows{Row: row}
	}
	rep, err := DecodeReport(r.Report)
	if err != nil {
		row.ReportError = err.Error()
		return SiteRows{Row: row}
	}
	siteCounts(&row, rep)
	return SiteRows{Row: row, Flows: flows(row, rep), Report: rep}
}

// DecodeReport reads a report as `leakwatch analyze -f json` writes it,
// with the report model's own types, and groups it by company as every
// reader of JSON reports does.
func DecodeReport(b []byte) (*audit.Report, error) {
	var rep audit.Report
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&rep); err != nil {
		return nil, fmt.Errorf("decode report: %w", err)
	}
	if rep.Schema != audit.Schema {
		return nil, fmt.Errorf("decode report: schema %q, want %q", rep.Schema, audit.Schema)
	}
	return rep.Grouped(), nil
}

// siteCounts fills the site row's columns from its report.
func siteCounts(row *Record, rep *audit.Report) {
	s := rep.Summary
	row.FirstParty, row.FirstPartyCompany = firstParty(rep), rep.FirstParty.Company
	row.Pages, row.Requests, row.ThirdPartyReqs = int64(len(rep.Pages)), int64(s.Requests), int64(s.ThirdPartyRequests)
	row.ThirdParties, row.CompaniesWithData = int64(s.ThirdParties), int64(s.CompaniesWithData)
	row.Leaks, row.PatternsHigh, row.Pixels = int64(s.Leaks), int64(s.PatternsHigh), int64(s.Pixels)
	row.DataKinds = joinSorted(s.DataKinds)
	row.SessionReplay = joinSorted(s.SessionReplay)
	row.ConsentPlatforms = joinSorted(consentPlatforms(rep))
	row.Incomplete = rep.Incomplete
	for _, p := range rep.Pages {
		if p.Error != "" {
			row.PageErrors++
		}
	}
	for _, f := range rep.Findings {
		if slices.Contains(consentTypes, f.Type) {
			row.ConsentFindings++
		}
	}
}

// firstParty is the site the report found: the sources' sites, sorted.
func firstParty(rep *audit.Report) string {
	var sites []string
	for _, s := range rep.Sources {
		if s.Site != "" {
			sites = append(sites, s.Site)
		}
	}
	return joinSorted(sites)
}

// consentPlatforms names the consent platforms and frameworks the report shows.
func consentPlatforms(rep *audit.Report) []string {
	if rep.Consent == nil {
		return nil
	}
	var out []string
	for _, p := range rep.Consent.Platforms {
		out = append(out, p.Name)
	}
	return out
}

// joinSorted joins the distinct non-empty values, sorted.
func joinSorted(v []string) string {
	return strings.Join(distinct(v), listSep)
}

func distinct(v []string) []string {
	out := make([]string, 0, len(v))
	for _, s := range v {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func utf8Text(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }
