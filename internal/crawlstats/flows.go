package crawlstats

import (
	"cmp"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/leakwatch/leakwatch/internal/audit"
)

// flowKey is what one flow row stands for: one receiver getting one data
// kind in one encoding over one channel, found by one kind of finding.
type flowKey struct {
	typ, company, host, kind, encoding, channel string
}

// flowAcc gathers the findings of one flow.
type flowAcc struct {
	row       Record
	chains    []string
	locations []string
	meanings  []string
	requests  map[[2]int]bool
}

// flows groups a report's findings into flow rows, sorted by company,
// host, type, data kind, encoding and channel.
func flows(site Record, rep *audit.Report) []Record {
	owners, _ := rep.Owners()
	groups := map[flowKey]*flowAcc{}
	var order []flowKey
	for i := range rep.Findings {
		f := &rep.Findings[i]
		if slices.Contains(skippedTypes, f.Type) {
			continue
		}
		row := flowRow(site, rep, f, owners[i])
		k := flowKey{row.Type, row.Company, row.Host, row.DataKind, row.Encoding, row.Channel}
		g := groups[k]
		if g == nil {
			g = &flowAcc{row: row, requests: map[[2]int]bool{}}
			groups[k] = g
			order = append(order, k)
		}
		g.add(f, row)
	}
	out := make([]Record, 0, len(order))
	for _, k := range order {
		out = append(out, groups[k].record())
	}
	slices.SortFunc(out, compareFlows)
	return out
}

// flowRow is the flow row of one finding; owner is its company's index in
// rep.Companies, -1 for none.
func flowRow(site Record, rep *audit.Report, f *audit.Finding, owner int) Record {
	row := Record{Kind: KindFlow, RunID: site.RunID, Site: site.Site, Rank: site.Rank, Type: f.Type,
		Channel: f.Channel, Confidence: f.Confidence, Page: f.Page}
	if owner >= 0 && owner < len(rep.Companies) {
		row.Company, row.ToFirstParty = rep.Companies[owner].Name, rep.Companies[owner].FirstParty
	}
	if r := f.Receiver; r != nil {
		row.Host, row.Domain, row.Entity = r.Host, r.Domain, r.Entity
		if row.Company == "" {
			row.Company = r.Company
		}
	}
	if f.Request != nil {
		row.FirstRequest, row.FirstURL = int64(f.Request.Index), f.Request.URL
		if row.Host == "" {
			row.Host = hostOf(f.Request.URL)
		}
	} else if len(f.Requests) > 0 {
		row.FirstRequest = int64(f.Requests[0])
	}
	switch f.Type {
	case audit.TypeLeak, audit.TypeKeystroke:
		row.DataKind = f.Field
	case audit.TypePattern:
		row.DataKind = f.Rule
	}
	row.Encoding, row.Hashed = EncodingLabel(f.Encoding)
	if row.DataKind == "" && len(f.Encoding) == 0 {
		row.Encoding = "" // no value travelled: nothing was encoded
	}
	row.EncodingChain = strings.Join(f.Encoding, labelSep)
	return row
}

func (g *flowAcc) add(f *audit.Finding, row Record) {
	g.row.Findings++
	g.row.Confidence = higher(g.row.Confidence, row.Confidence)
	g.chains = append(g.chains, row.EncodingChain)
	g.locations = append(g.locations, f.Location)
	g.meanings = append(g.meanings, f.Meaning)
	if f.Request != nil {
		g.requests[[2]int{f.Request.Source, f.Request.Index}] = true
	}
	for _, r := range f.Requests {
		g.requests[[2]int{0, r}] = true
	}
}

func (g *flowAcc) record() Record {
	r := g.row
	r.EncodingChain = capList(g.chains)
	r.Locations = capList(g.locations)
	r.Meanings = capList(g.meanings)
	r.FlowRequests = int64(len(g.requests))
	return r
}

// capList joins the distinct values, sorted, naming at most maxListed.
func capList(v []string) string {
	d := distinct(v)
	if len(d) <= maxListed {
		return strings.Join(d, listSep)
	}
	return strings.Join(d[:maxListed], listSep) + fmt.Sprintf("%s… (%d more)", listSep, len(d)-maxListed)
}

// confidenceRank orders confidences; a finding without one (a persona
// leak: an exact match of a known value) ranks below every pattern level
// only for merging, never in meaning.
var confidenceRank = map[string]int{audit.ConfidenceLow: 1, audit.ConfidenceMedium: 2, audit.ConfidenceHigh: 3}

func higher(a, b string) string {
	if confidenceRank[b] > confidenceRank[a] {
		return b
	}
	return a
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}

func compareFlows(a, b Record) int {
	return cmp.Or(cmp.Compare(a.Company, b.Company), cmp.Compare(a.Host, b.Host), cmp.Compare(a.Type, b.Type),
		cmp.Compare(a.DataKind, b.DataKind), cmp.Compare(a.Encoding, b.Encoding), cmp.Compare(a.Channel, b.Channel))
}
