package report

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/leakwatch/leakwatch/internal/audit"
)

var csvHeader = []string{"type", "field", "company", "domain", "host", "channel", "location", "meaning",
	"encoding", "source", "request_index", "method", "url", "page", "initiator", "rule", "summary",
	"confidence", "reason"}

// renderCSV writes one row per finding, in report order: every pattern
// finding whatever its confidence, with confidence and reason columns.
func renderCSV(w io.Writer, r *audit.Report, _ Options) error {
	r, err := sanitizedCopy(r, SanitizeLine) // one row a line, even under cat
	if err != nil {
		return err
	}
	// The source column names the capture a request index belongs to.
	sources := make([]string, len(r.Sources))
	for i, s := range r.Sources {
		sources[i] = s.Path
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for i := range r.Findings {
		if err := cw.Write(csvRow(&r.Findings[i], sources)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func csvRow(f *audit.Finding, sources []string) []string {
	var domain, host string
	if f.Receiver != nil {
		domain, host = f.Receiver.Domain, f.Receiver.Host
	}
	var source, index, method, url string
	if f.Request != nil {
		index, method, url = strconv.Itoa(f.Request.Index), f.Request.Method, f.Request.URL
		if f.Request.Source >= 0 && f.Request.Source < len(sources) {
			source = sources[f.Request.Source]
		}
	} else if len(f.Requests) > 0 {
		idx := make([]string, len(f.Requests))
		for i, n := range f.Requests {
			idx[i] = strconv.Itoa(n)
		}
		index = strings.Join(idx, " ")
	}
	encoding := strings.Join(f.Encoding, " ← ")
	row := []string{f.Type, f.Field, findingCompany(f), domain, host, f.Channel, f.Location, f.Meaning,
		encoding, source, index, method, url, f.Page, f.Initiator, f.Rule, findingSummary(f), confidence(f), f.Reason}
	for i := range row {
		row[i] = csvSafe(row[i])
	}
	return row
}

// confidence is a pattern finding's confidence, high when a report older
// than the field leaves it empty; other findings have none.
func confidence(f *audit.Finding) string {
	if f.Type != audit.TypePattern {
		return ""
	}
	return cmpOr(f.Confidence, audit.ConfidenceHigh)
}

// findingSummary is the summary column: the finding's own sentence, or one
// made from its parts.
func findingSummary(f *audit.Finding) string {
	if f.Summary != "" {
		return f.Summary
	}
	switch f.Type {
	case audit.TypeLeak:
		return f.Field + " sent to " + receiverName(f) + " in " + where(f)
	case audit.TypePattern:
		return f.Rule + " value sent to " + receiverName(f) + " in " + where(f)
	}
	return findingTitle(f)
}

// csvSafe keeps spreadsheets from running a cell as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
