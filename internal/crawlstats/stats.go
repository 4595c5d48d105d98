package crawlstats

import (
	"cmp"
	"slices"

	"github.com/leakwatch/leakwatch/internal/audit"
	"github.com/leakwatch/leakwatch/internal/store"
)

// Stats answer a study's questions about one run. Every count of sites
// counts a site once however many findings it has; "analysed" sites are
// the done ones whose report could be read, the denominator of the rest.
// Personal data means a persona value (leak or keystroke finding) or a
// high-confidence pattern reaching a third party: lower-confidence
// pattern flows are counted apart (LowConfidenceFlows), never as data.
type Stats struct {
	RunID              int64          `json:"run_id"`
	Name               string         `json:"name,omitempty"`
	Enqueued           int            `json:"enqueued"`
	Sites              int            `json:"sites"`
	Done               int            `json:"done"`
	Failed             int            `json:"failed"`
	Analysed           int            `json:"analysed"`
	UnreadableReports  int            `json:"unreadable_reports"`
	SitesWithData      int            `json:"sites_with_data"`
	LowConfidenceFlows int            `json:"low_confidence_flows"`
	DataFlows          []DataFlowStat `json:"data_flows"`
	Encodings          []EncodingStat `json:"encodings"`
	Companies          []ReceiverStat `json:"companies"`
	Hosts              []ReceiverStat `json:"hosts"`
	Consent            []ConsentStat  `json:"consent"`
	Failures           []FailureStat  `json:"failures"`
}

// DataFlowStat counts the sites that sent a data kind to a company, and
// of them those that sent it hashed.
type DataFlowStat struct {
	DataKind    string `json:"data_kind"`
	Company     string `json:"company"`
	Sites       int    `json:"sites"`
	HashedSites int    `json:"hashed_sites"`
}

// EncodingStat counts how personal data travelled in one encoding (the
// Leaky Forms table): sites, receiving companies and registrable domains,
// and flows (one per site, receiver host, data kind and channel).
type EncodingStat struct {
	Encoding  string `json:"encoding"`
	Hashed    bool   `json:"hashed"`
	Sites     int    `json:"sites"`
	Companies int    `json:"companies"`
	Domains   int    `json:"domains"`
	Flows     int    `json:"flows"`
}

// ReceiverStat is a company or host: the sites that sent it any request,
// those that sent it personal data, and which kinds.
type ReceiverStat struct {
	Name          string   `json:"name"`
	Sites         int      `json:"sites"`
	SitesWithData int      `json:"sites_with_data"`
	DataKinds     []string `json:"data_kinds,omitempty"`
}

// ConsentStat is a consent platform or framework ("(none detected)" for
// sites showing none): the sites showing it, those with consent findings,
// and those by finding type.
type ConsentStat struct {
	Platform  string      `json:"platform"`
	Sites     int         `json:"sites"`
	Violating int         `json:"violating"`
	ByKind    []KindCount `json:"by_kind"`
}

// KindCount counts sites with one kind of finding.
type KindCount struct {
	Kind  string `json:"kind"`
	Sites int    `json:"sites"`
}

// FailureStat is a class of failure (ErrorClass, or "report" for a done
// site whose report could not be read) with the first example.
type FailureStat struct {
	Class   string `json:"class"`
	Sites   int    `json:"sites"`
	Example string `json:"example"`
}

// NoPlatform names the sites that show no consent platform.
const NoPlatform = "(none detected)"

// unknownReceiver names a receiver whose company the report does not give.
const unknownReceiver = "(unknown)"

// IsDataFlow reports whether a flow row is personal data reaching a third
// party, as the statistics count it.
func IsDataFlow(r Record) bool {
	if r.Kind != KindFlow || r.ToFirstParty || r.DataKind == "" {
		return false
	}
	switch r.Type {
	case audit.TypeLeak, audit.TypeKeystroke:
		return true
	case audit.TypePattern:
		return r.Confidence == audit.ConfidenceHigh
	}
	return false
}

func receiverName(r Record) string {
	return cmp.Or(r.Company, r.Domain, r.Host, unknownReceiver)
}

func sortStats(s *Stats) {
	slices.SortFunc(s.DataFlows, func(a, b DataFlowStat) int {
		return cmp.Or(cmp.Compare(b.Sites, a.Sites), cmp.Compare(a.DataKind, b.DataKind), cmp.Compare(a.Company, b.Company))
	})
	slices.SortFunc(s.Encodings, func(a, b EncodingStat) int {
		return cmp.Or(cmp.Compare(b.Sites, a.Sites), cmp.Compare(b.Flows, a.Flows), cmp.Compare(a.Encoding, b.Encoding))
	})
	byReceiver := func(a, b ReceiverStat) int {
		return cmp.Or(cmp.Compare(b.SitesWithData, a.SitesWithData), cmp.Compare(b.Sites, a.Sites), cmp.Compare(a.Name, b.Name))
	}
	slices.SortFunc(s.Companies, byReceiver)
	slices.SortFunc(s.Hosts, byReceiver)
	slices.SortFunc(s.Consent, func(a, b ConsentStat) int {
		return cmp.Or(cmp.Compare(b.Violating, a.Violating), cmp.Compare(b.Sites, a.Sites), cmp.Compare(a.Platform, b.Platform))
	})
	slices.SortFunc(s.Failures, func(a, b FailureStat) int {
		return cmp.Or(cmp.Compare(b.Sites, a.Sites), cmp.Compare(a.Class, b.Class))
	})
}

// stateDone is store.Done as the site row spells it.
const stateDone = string(store.Done)
