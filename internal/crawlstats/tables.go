package crawlstats

import (
	"fmt"
	"strings"
)

// headline is the run's summary, one sentence a line.
func headline(s *Stats) []string {
	name := ""
	if s.Name != "" {
		name = fmt.Sprintf(" (%s)", s.Name)
	}
	return []string{
		fmt.Sprintf("Run %d%s: %d sites enqueued, %d with a result: %d done, %d failed.",
			s.RunID, name, s.Enqueued, s.Sites, s.Done, s.Failed),
		fmt.Sprintf("Analysed: %d sites (done, with a readable report); %d reports could not be read.",
			s.Analysed, s.UnreadableReports),
		fmt.Sprintf("Sites sending personal data to a third party: %d of %d analysed (%s).",
			s.SitesWithData, s.Analysed, pct(s.SitesWithData, s.Analysed)),
		fmt.Sprintf("Flows of pattern matches below high confidence, not counted as personal data: %d.", s.LowConfidenceFlows),
	}
}

// tables are the sections of the text and Markdown formats, in order.
func tables(s *Stats) []table {
	return []table{dataTable(s), encodingTable(s), receiverTable("Companies by sites", "company", s.Companies, s.Analysed),
		receiverTable("Hosts by sites", "host", s.Hosts, s.Analysed), consentTable(s), failureTable(s)}
}

func dataTable(s *Stats) table {
	t := table{title: "Data kinds sent to each company",
		note: "Sites that sent the data kind to the company, and of them those that sent it hashed.",
		head: []string{"data kind", "company", "sites", "% analysed", "hashed"}}
	for _, d := range s.DataFlows {
		t.rows = append(t.rows, []string{d.DataKind, d.Company, itoa(d.Sites), pct(d.Sites, s.Analysed), itoa(d.HashedSites)})
	}
	return t
}

func encodingTable(s *Stats) table {
	t := table{title: "Encodings and hashes of personal data",
		note: "Each encoding chain, outermost first (\"url > sha256\": the URL-encoded SHA-256), by sites and receivers.",
		head: []string{"encoding", "hashed", "sites", "companies", "domains", "flows"}}
	for _, e := range s.Encodings {
		t.rows = append(t.rows, []string{e.Encoding, yesNo(e.Hashed), itoa(e.Sites), itoa(e.Companies), itoa(e.Domains), itoa(e.Flows)})
	}
	return t
}

func receiverTable(title, what string, rs []ReceiverStat, analysed int) table {
	t := table{title: title,
		note: fmt.Sprintf("Sites that sent the %s any request, and personal data.", what),
		head: []string{what, "sites", "% analysed", "with data", "data kinds"}}
	for _, r := range rs {
		t.rows = append(t.rows, []string{r.Name, itoa(r.Sites), pct(r.Sites, analysed), itoa(r.SitesWithData),
			strings.Join(r.DataKinds, ", ")})
	}
	return t
}

func consentTable(s *Stats) table {
	t := table{title: "Consent findings by consent platform",
		note: "Sites showing each platform or framework, those with consent findings, and by type.",
		head: append([]string{"platform", "sites", "violating"}, consentTypes...)}
	for _, c := range s.Consent {
		row := []string{c.Platform, itoa(c.Sites), itoa(c.Violating)}
		for _, k := range consentTypes {
			n := 0
			for _, kc := range c.ByKind {
				if kc.Kind == k {
					n = kc.Sites
				}
			}
			row = append(row, itoa(n))
		}
		t.rows = append(t.rows, row)
	}
	return t
}

// maxExample bounds an example error in the tables.
const maxExample = 120

func failureTable(s *Stats) table {
	t := table{title: "Failed sites by error class", head: []string{"class", "sites", "example"}}
	for _, f := range s.Failures {
		ex := f.Example
		if len(ex) > maxExample {
			ex = strings.ToValidUTF8(ex[:maxExample], "") + "…"
		}
		t.rows = append(t.rows, []string{f.Class, itoa(f.Sites), ex})
	}
	return t
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
