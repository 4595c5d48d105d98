package crawlstats

import (
	"cmp"
	"slices"

	"github.com/leakwatch/leakwatch/internal/audit"
	"github.com/leakwatch/leakwatch/internal/store"
)

// accumulator gathers a run's statistics site by site; it holds counters
// per distinct key (data kind, company, host, encoding, platform), never
// a report.
type accumulator struct {
	s         Stats
	pairs     map[[2]string]*DataFlowStat
	encodings map[string]*encodingAcc
	companies map[string]*receiverAcc
	hosts     map[string]*receiverAcc
	consent   map[string]*consentAcc
	failures  map[string]*FailureStat
}

type encodingAcc struct {
	stat               EncodingStat
	companies, domains map[string]bool
}

type receiverAcc struct {
	stat  ReceiverStat
	kinds map[string]bool
}

type consentAcc struct {
	stat  ConsentStat
	kinds map[string]int
}

func newAccumulator(run store.Run) *accumulator {
	return &accumulator{s: Stats{RunID: run.ID, Name: run.Name, Enqueued: run.Total},
		pairs: map[[2]string]*DataFlowStat{}, encodings: map[string]*encodingAcc{},
		companies: map[string]*receiverAcc{}, hosts: map[string]*receiverAcc{},
		consent: map[string]*consentAcc{}, failures: map[string]*FailureStat{}}
}

// add counts one site.
func (a *accumulator) add(site SiteRows) {
	a.s.Sites++
	row := site.Row
	switch {
	case row.State != stateDone:
		a.s.Failed++
		a.fail(row.ErrorClass, row.Error)
		return
	case site.Report == nil:
		a.s.Done++
		a.s.UnreadableReports++
		a.fail("report", row.ReportError)
		return
	}
	a.s.Done++
	a.s.Analysed++
	a.addContacts(site)
	a.addFlows(site.Flows)
	a.addConsent(site)
}

func (a *accumulator) fail(class, msg string) {
	f := a.failures[class]
	if f == nil {
		f = &FailureStat{Class: class, Example: msg}
		a.failures[class] = f
	}
	f.Sites++
}

// addContacts counts the companies and hosts the site sent any request.
func (a *accumulator) addContacts(site SiteRows) {
	var companies, hosts []string
	for _, tp := range site.Report.ThirdParties {
		companies = append(companies, tp.Company)
		hosts = append(hosts, tp.Hosts...)
	}
	// A receiver of data that no third party lists still counts as contacted.
	for _, f := range site.Flows {
		if IsDataFlow(f) {
			companies = append(companies, receiverName(f))
			hosts = append(hosts, cmp.Or(f.Host, unknownReceiver))
		}
	}
	for _, c := range distinct(companies) {
		receiver(a.companies, c).stat.Sites++
	}
	for _, h := range distinct(hosts) {
		receiver(a.hosts, h).stat.Sites++
	}
}

func receiver(m map[string]*receiverAcc, name string) *receiverAcc {
	r := m[name]
	if r == nil {
		r = &receiverAcc{stat: ReceiverStat{Name: name}, kinds: map[string]bool{}}
		m[name] = r
	}
	return r
}

// addFlows counts the site's personal-data flows, each key once a site.
func (a *accumulator) addFlows(flows []Record) {
	pairs := map[[2]string]bool{} // value: hashed
	encs := map[string]bool{}
	// A value found both as the persona's and by a pattern is one flow.
	seen := map[[4]string]bool{}
	companies, hosts := map[string]bool{}, map[string]bool{}
	for _, f := range flows {
		if !IsDataFlow(f) {
			if f.Kind == KindFlow && f.Type == audit.TypePattern && !f.ToFirstParty {
				a.s.LowConfidenceFlows++
			}
			continue
		}
		name := receiverName(f)
		k := [2]string{f.DataKind, name}
		pairs[k] = pairs[k] || f.Hashed
		if fk := [4]string{f.Encoding, f.Host, f.DataKind, f.Channel}; !seen[fk] {
			seen[fk] = true
			a.addEncoding(f, name, !encs[f.Encoding])
			encs[f.Encoding] = true
		}
		host := cmp.Or(f.Host, unknownReceiver)
		receiver(a.companies, name).kinds[f.DataKind] = true
		receiver(a.hosts, host).kinds[f.DataKind] = true
		companies[name], hosts[host] = true, true
	}
	if len(pairs) > 0 {
		a.s.SitesWithData++
	}
	for k, hashed := range pairs {
		p := a.pairs[k]
		if p == nil {
			p = &DataFlowStat{DataKind: k[0], Company: k[1]}
			a.pairs[k] = p
		}
		p.Sites++
		if hashed {
			p.HashedSites++
		}
	}
	for c := range companies {
		receiver(a.companies, c).stat.SitesWithData++
	}
	for h := range hosts {
		receiver(a.hosts, h).stat.SitesWithData++
	}
}

func (a *accumulator) addEncoding(f Record, company string, newSite bool) {
	e := a.encodings[f.Encoding]
	if e == nil {
		e = &encodingAcc{stat: EncodingStat{Encoding: f.Encoding, Hashed: f.Hashed},
			companies: map[string]bool{}, domains: map[string]bool{}}
		a.encodings[f.Encoding] = e
	}
	e.stat.Flows++
	if newSite {
		e.stat.Sites++
	}
	e.companies[company] = true
	e.domains[cmp.Or(f.Domain, f.Host, unknownReceiver)] = true
}

// addConsent counts the site under each consent platform it shows.
func (a *accumulator) addConsent(site SiteRows) {
	platforms := distinct(consentPlatforms(site.Report))
	if len(platforms) == 0 {
		platforms = []string{NoPlatform}
	}
	var kinds []string
	for _, f := range site.Report.Findings {
		if slices.Contains(consentTypes, f.Type) {
			kinds = append(kinds, f.Type)
		}
	}
	kinds = distinct(kinds)
	for _, p := range platforms {
		c := a.consent[p]
		if c == nil {
			c = &consentAcc{stat: ConsentStat{Platform: p}, kinds: map[string]int{}}
			a.consent[p] = c
		}
		c.stat.Sites++
		if len(kinds) > 0 {
			c.stat.Violating++
		}
		for _, k := range kinds {
			c.kinds[k]++
		}
	}
}

// result sorts what was gathered into Stats.
func (a *accumulator) result() *Stats {
	s := a.s
	s.DataFlows, s.Encodings, s.Companies, s.Hosts = []DataFlowStat{}, []EncodingStat{}, []ReceiverStat{}, []ReceiverStat{}
	s.Consent, s.Failures = []ConsentStat{}, []FailureStat{}
	for _, p := range a.pairs {
		s.DataFlows = append(s.DataFlows, *p)
	}
	for _, e := range a.encodings {
		e.stat.Companies, e.stat.Domains = len(e.companies), len(e.domains)
		s.Encodings = append(s.Encodings, e.stat)
	}
	s.Companies, s.Hosts = receiverStats(a.companies), receiverStats(a.hosts)
	for _, c := range a.consent {
		c.stat.ByKind = []KindCount{}
		for _, k := range consentTypes {
			if n := c.kinds[k]; n > 0 {
				c.stat.ByKind = append(c.stat.ByKind, KindCount{Kind: k, Sites: n})
			}
		}
		s.Consent = append(s.Consent, c.stat)
	}
	for _, f := range a.failures {
		s.Failures = append(s.Failures, *f)
	}
	sortStats(&s)
	return &s
}

func receiverStats(m map[string]*receiverAcc) []ReceiverStat {
	out := make([]ReceiverStat, 0, len(m))
	for _, r := range m {
		st := r.stat
		for k := range r.kinds {
			st.DataKinds = append(st.DataKinds, k)
		}
		slices.Sort(st.DataKinds)
		out = append(out, st)
	}
	return out
}
