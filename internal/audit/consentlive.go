package audit

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// Finding types of a live scan that answered consent banners or sent an
// opt-out signal: what a third party received when it should not have.
const (
	// TypeBeforeChoice: data a third party received on a page showing a
	// consent banner, before any choice was made.
	TypeBeforeChoice = "before-choice"
	// TypeAfterReject: data a third party received after the scan answered
	// the banner with "reject all".
	TypeAfterReject = "after-reject"
	// TypeDespiteGPC: data a third party received while every request
	// carried Global Privacy Control (Sec-GPC: 1).
	TypeDespiteGPC = "despite-gpc"
)

// maxEvidenceRequests caps the request indexes a consent finding lists.
const maxEvidenceRequests = 50

// ScanConsent is what a live scan did about consent: the mode it ran in,
// the choice it made and when, the opt-out signals it sent, and the pages
// whose banner it could not answer.
type ScanConsent struct {
	// Mode is none, reject or accept (empty: banners were not examined).
	Mode string `json:"mode,omitempty"`
	// Choice is the first banner answered: by whom, how, and the index of
	// the first request sent after it.
	Choice *ConsentChoice `json:"choice,omitempty"`
	// BannerShown says a consent banner was seen on some page.
	BannerShown bool `json:"banner_shown,omitempty"`
	// Unanswered lists banners that could not be answered: "page: platform: why".
	Unanswered []string `json:"unanswered,omitempty"`
	GPC        bool     `json:"gpc,omitempty"`
	DNT        bool     `json:"dnt,omitempty"`
	// GPCSupport are the sites' /.well-known/gpc.json answers.
	GPCSupport []traffic.GPCSupport `json:"gpc_support,omitempty"`
}

// ConsentChoice is one banner answered.
type ConsentChoice struct {
	Platform string `json:"platform"`
	Action   string `json:"action"`
	Detail   string `json:"detail,omitempty"`
	Time     string `json:"time,omitempty"`
	// Request is the index of the first request sent after the choice.
	Request int `json:"request"`
}

// addConsentActions records a page's consent actions in its source.
func (s *state) addConsentActions(src int, p *traffic.Page) {
	if len(p.Consent) == 0 {
		return
	}
	sc := s.scanConsent(src)
	for _, a := range p.Consent {
		switch a.Result {
		case traffic.ConsentAnswered:
			sc.BannerShown = true
			if a.Action != traffic.ConsentReject && a.Action != traffic.ConsentAccept {
				continue
			}
			if sc.Choice == nil || a.Index < sc.Choice.Request {
				sc.Choice = &ConsentChoice{Platform: a.Platform, Action: a.Action, Detail: capString(a.Detail, 200),
					Request: a.Index}
				if !a.Time.IsZero() {
					sc.Choice.Time = a.Time.UTC().Format(timeLayout)
				}
			}
		case traffic.ConsentShown:
			sc.BannerShown = true
		case traffic.ConsentNotFound, traffic.ConsentFailed:
			sc.BannerShown = true
			if len(sc.Unanswered) < 100 {
				sc.Unanswered = append(sc.Unanswered, capString(fmt.Sprintf("%s: %s: %s (%s)",
					firstNonEmpty(p.URL, p.ID), a.Platform, a.Result, a.Detail), 400))
			}
		}
	}
}

// endScanConsent records the capture's consent mode and opt-out signals.
func (s *state) endScanConsent(src int, c *traffic.Capture) {
	if c.Consent == "" && c.OptOut == nil && s.sources[src].Consent == nil {
		return
	}
	sc := s.scanConsent(src)
	sc.Mode = c.Consent
	if c.OptOut != nil {
		sc.GPC, sc.DNT = c.OptOut.GPC, c.OptOut.DNT
		sc.GPCSupport = c.OptOut.WellKnown
	}
}

func (s *state) scanConsent(src int) *ScanConsent {
	if s.sources[src].Consent == nil {
		s.sources[src].Consent = &ScanConsent{}
	}
	return s.sources[src].Consent
}

// consentGroup gathers what one company received in one consent state.
type consentGroup struct {
	typ      string
	source   int
	company  string
	receiver *Receiver
	kinds    []string
	hits     int
	requests []int        // the first maxEvidenceRequests of them
	seen     map[int]bool // every request, for the count
	first    RequestRef   // the earliest request
}

func (g *consentGroup) add(ref RequestRef) {
	index := ref.Index
	if len(g.seen) == 0 || index < g.first.Index {
		g.first = ref
	}
	if g.seen[index] {
		return
	}
	g.seen[index] = true
	if len(g.requests) < maxEvidenceRequests {
		g.requests = append(g.requests, index)
	}
}

// liveConsentFindings finds, per source and company, the persona data and
// tracking hits third parties received before a choice on a page with a
// banner, after "reject all", or while GPC was sent.
func liveConsentFindings(r *Report, thirdHit map[[2]int]bool) []Finding {
	groups := map[string]*consentGroup{}
	var order []string
	get := func(typ string, src int, company string, rcv *Receiver) *consentGroup {
		k := typ + "\x00" + itoa(src) + "\x00" + company
		g, ok := groups[k]
		if !ok {
			g = &consentGroup{typ: typ, source: src, company: company, receiver: rcv, seen: map[int]bool{}}
			groups[k] = g
			order = append(order, k)
		}
		return g
	}
	for _, f := range r.Findings {
		if (f.Type != TypeLeak && f.Type != TypeKeystroke) || f.Request == nil || f.Receiver == nil {
			continue
		}
		for _, typ := range consentTypes(r, f.Request.Source, f.Request.Index) {
			g := get(typ, f.Request.Source, f.Receiver.Company, f.Receiver)
			if !slices.Contains(g.kinds, f.Field) {
				g.kinds = append(g.kinds, f.Field)
			}
			g.add(*f.Request)
		}
	}
	for _, h := range r.Pixels {
		if !thirdHit[[2]int{h.Request.Source, h.Request.Index}] {
			continue
		}
		for _, typ := range consentTypes(r, h.Request.Source, h.Request.Index) {
			g := get(typ, h.Request.Source, h.Vendor, nil)
			g.hits++
			g.add(h.Request)
		}
	}
	out := make([]Finding, 0, len(order))
	for _, k := range order {
		out = append(out, groups[k].finding(r.Sources[groups[k].source].Consent))
	}
	return out
}

// consentTypes says which consent findings a third-party request at index
// of source src counts toward.
func consentTypes(r *Report, src, index int) []string {
	if src < 0 || src >= len(r.Sources) || r.Sources[src].Consent == nil {
		return nil
	}
	sc := r.Sources[src].Consent
	var out []string
	switch {
	case sc.Choice != nil && index < sc.Choice.Request:
		out = append(out, TypeBeforeChoice)
	case sc.Choice != nil && sc.Choice.Action == traffic.ConsentReject:
		out = append(out, TypeAfterReject)
	case sc.Choice == nil && sc.BannerShown:
		out = append(out, TypeBeforeChoice) // the banner was left alone, or could not be answered
	}
	if sc.GPC {
		out = append(out, TypeDespiteGPC)
	}
	return out
}

func (g *consentGroup) finding(sc *ScanConsent) Finding {
	slices.Sort(g.kinds)
	slices.Sort(g.requests)
	first := g.first
	what := []string{}
	if len(g.kinds) > 0 {
		what = append(what, "the persona's "+strings.Join(g.kinds, ", "))
	}
	if g.hits > 0 {
		what = append(what, plural(g.hits, "tracking hit", "tracking hits"))
	}
	var when string
	switch g.typ {
	case TypeBeforeChoice:
		when = "Before any consent choice"
		if sc.Choice != nil {
			when = fmt.Sprintf("Before the scan answered %s's banner (%s, request #%d)", sc.Choice.Platform, sc.Choice.Action, sc.Choice.Request)
		}
	case TypeAfterReject:
		when = fmt.Sprintf("After the scan answered %s's banner with reject all (%s, request #%d)", sc.Choice.Platform,
			cmp.Or(sc.Choice.Detail, "reject"), sc.Choice.Request)
	case TypeDespiteGPC:
		when = "While every request carried Global Privacy Control (Sec-GPC: 1)"
	}
	summary := fmt.Sprintf("%s, %s received %s in %s.", when, g.company, strings.Join(what, " and "),
		plural(len(g.seen), "request", "requests"))
	f := Finding{Type: g.typ, Receiver: g.receiver, Vendor: g.company, Summary: summary,
		Request: &first, Requests: g.requests}
	if f.Receiver == nil {
		f.Receiver = &Receiver{Company: g.company}
	}
	f.Details = append(f.Details, Detail{Name: "data", Value: strings.Join(what, ", ")})
	if sc.Mode != "" {
		f.Details = append(f.Details, Detail{Name: "consent mode", Value: sc.Mode})
	}
	return f
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return itoa(n) + " " + many
}

// ConsentComparison sets the captures of one site scanned in several
// consent states side by side: per company, what it received in each.
type ConsentComparison struct {
	// States name each source's state ("none", "reject", "accept", with
	// "+gpc" when GPC was sent), in source order.
	States []string               `json:"states"`
	Rows   []ConsentComparisonRow `json:"rows"`
}

// ConsentComparisonRow is one company: Received[i] lists what it received
// in States[i] (persona data kinds, then "tracking hits"); empty when
// nothing.
type ConsentComparisonRow struct {
	Company  string     `json:"company"`
	Received [][]string `json:"received"`
}

// consentComparison compares the sources scanned in a consent state, when
// there are two or more of them.
func consentComparison(r *Report, thirdHit map[[2]int]bool) *ConsentComparison {
	var states []string
	col := map[int]int{}
	for i, s := range r.Sources {
		if s.Consent == nil {
			continue
		}
		name := cmp.Or(s.Consent.Mode, traffic.ConsentNone)
		if s.Consent.GPC {
			name += "+gpc"
		}
		col[i] = len(states)
		states = append(states, name)
	}
	if len(states) < 2 {
		return nil
	}
	rows := map[string]*ConsentComparisonRow{}
	var order []string
	add := func(src int, company, kind string) {
		c, ok := col[src]
		if !ok || company == "" {
			return
		}
		row := rows[company]
		if row == nil {
			row = &ConsentComparisonRow{Company: company, Received: make([][]string, len(states))}
			rows[company] = row
			order = append(order, company)
		}
		if !slices.Contains(row.Received[c], kind) {
			row.Received[c] = append(row.Received[c], kind)
		}
	}
	for _, f := range r.Findings {
		if (f.Type == TypeLeak || f.Type == TypeKeystroke) && f.Request != nil && f.Receiver != nil {
			add(f.Request.Source, f.Receiver.Company, f.Field)
		}
	}
	for _, h := range r.Pixels {
		if thirdHit[[2]int{h.Request.Source, h.Request.Index}] {
			add(h.Request.Source, h.Vendor, "tracking hits")
		}
	}
	out := &ConsentComparison{States: states}
	slices.Sort(order)
	for _, c := range order {
		row := rows[c]
		for i := range row.Received {
			slices.SortFunc(row.Received[i], func(a, b string) int {
				// Persona data first, tracking hits last.
				return cmp.Or(cmp.Compare(boolInt(a == "tracking hits"), boolInt(b == "tracking hits")), cmp.Compare(a, b))
			})
			if row.Received[i] == nil {
				row.Received[i] = []string{}
			}
		}
		out.Rows = append(out.Rows, *row)
	}
	return out
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
