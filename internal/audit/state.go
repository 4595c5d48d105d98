package audit

import (
	"cmp"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/leakwatch/leakwatch/internal/leak"
	"github.com/leakwatch/leakwatch/internal/party"
	"github.com/leakwatch/leakwatch/internal/pixel"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

const timeLayout = "2006-01-02T15:04:05.000Z07:00"

// reqMeta is what the audit keeps of a request once its body is gone.
type reqMeta struct {
	source    int
	index     int
	url       string
	method    string
	time      string
	page      string
	initiator string
	pageID    string
	party     party.Party
}

func (m reqMeta) ref() *RequestRef {
	return &RequestRef{URL: capString(m.url, maxRefURL), Method: m.method, Index: m.index, Source: m.source, Time: m.time}
}

// hitRef is the request of a pixel hit: its URL is the hit's evidence, so it
// is kept up to the evidence cap rather than the reference cap.
func (m reqMeta) hitRef() RequestRef {
	r := *m.ref()
	r.URL = capString(m.url, maxDetailURL)
	return r
}

func (m reqMeta) receiver() *Receiver {
	return &Receiver{Host: m.party.Host, Domain: m.party.Domain, Company: m.party.Company, Entity: m.party.Entity}
}

type pageKey struct {
	source int
	id     string
}

type pageRec struct {
	key  pageKey
	info PageInfo
}

// state is everything the audit accumulates while captures stream through.
type state struct {
	opts       Options
	sources    []Source
	pages      []pageRec
	pageIndex  map[pageKey]int
	companies  companyTable
	firstParty set
	requests   int
	third      int
	hits       []PixelHit
	// hitsDropped counts pixel hits past Limits.MaxPixelHits, by product.
	hitsDropped map[string]int
	behaviour   []Finding
	background  map[string]*BrowserTraffic
	// analyzers are each source's pixel analyzer, kept to the end for
	// what only the whole capture tells (cookie identifiers).
	analyzers map[int]*pixel.Analyzer
	// consent is what the sources showed of consent; conflicts are the
	// requests whose Consent Mode state may contradict their content.
	consent          Consent
	conflicts        []conflictCandidate
	conflictsDropped int
	// thirdHit marks the third-party requests that carried pixel hits.
	thirdHit map[[2]int]bool
	// internalErrors are panics recovered while analysing entries.
	internalErrors []string
}

func newState(opts Options) *state {
	return &state{
		opts:        opts,
		pageIndex:   map[pageKey]int{},
		firstParty:  set{},
		hitsDropped: map[string]int{},
		background:  map[string]*BrowserTraffic{},
		analyzers:   map[int]*pixel.Analyzer{},
		thirdHit:    map[[2]int]bool{},
	}
}

func (s *state) addPage(src int, p *traffic.Page) {
	k := pageKey{src, p.ID}
	s.addConsentActions(src, p)
	info := PageInfo{URL: firstNonEmpty(p.URL, p.Title), Title: p.Title, Error: p.Error, NetworkBusy: p.NetworkBusy}
	for _, sub := range p.Submits {
		ps := PageSubmit{Request: sub.Index, Form: sub.Form}
		if !sub.Time.IsZero() {
			ps.Time = sub.Time.UTC().Format(timeLayout)
		}
		info.Submits = append(info.Submits, ps)
	}
	if info.Title == info.URL {
		info.Title = ""
	}
	if !p.Started.IsZero() {
		info.Started = p.Started.UTC().Format(timeLayout)
	}
	if i, ok := s.pageIndex[k]; ok {
		s.pages[i].info = info
		return
	}
	s.pageIndex[k] = len(s.pages)
	s.pages = append(s.pages, pageRec{key: k, info: info})
	s.sources[src].Pages++
}

func (s *state) addRequest(m reqMeta, r *traffic.Request, hits []pixel.Hit) {
	s.requests++
	s.sources[m.source].Requests++
	k := pageKey{m.source, r.PageID}
	if i, ok := s.pageIndex[k]; ok {
		s.pages[i].info.Requests++
	} else if r.PageID == "" && r.ResourceType == "document" && (r.Target == "" || r.Target == "page") {
		s.pageIndex[k] = len(s.pages)
		s.pages = append(s.pages, pageRec{key: k, info: PageInfo{URL: r.URL, Requests: 1}})
		s.sources[m.source].Pages++
	} else if i, ok := s.pageIndex[pageKey{m.source, ""}]; ok && r.PageID == "" {
		s.pages[i].info.Requests++
	}
	p := m.party
	if !p.ThirdParty {
		if p.Domain != "" {
			s.firstParty.add(p.Domain)
		}
	} else {
		s.third++
		s.addCompany(p)
	}
	if len(hits) > 0 && p.ThirdParty && len(s.hits) < s.opts.Limits.MaxPixelHits {
		s.thirdHit[[2]int{m.source, m.index}] = true
	}
	for _, h := range hits {
		vendor := s.opts.Classifier.Company(h.Vendor)
		if p.Known && p.ThirdParty {
			// One name per company: the owner's, as third parties show it. A
			// tag served through the site's own host is still the vendor's.
			vendor = p.Company
		}
		if len(s.hits) < s.opts.Limits.MaxPixelHits {
			s.hits = append(s.hits, PixelHit{Vendor: vendor, Product: h.Product, Account: h.Account,
				Event: h.Event, Request: m.hitRef(), Page: capString(m.page, maxRefURL), Fields: reportFields(h.Fields)})
		} else {
			s.hitsDropped[vendor+" "+h.Product]++
		}
		if p.ThirdParty {
			c := s.companies.get(p.Company).facts()
			c.products.add(h.Product)
			c.accounts.add(h.Account)
			c.events.add(h.Event)
		}
	}
}

// addBackground counts a request the browser made on its own behalf.
func (s *state) addBackground(src int, r *traffic.Request) {
	s.requests++
	s.sources[src].Requests++
	h := hostOf(r.URL)
	b := s.background[h]
	if b == nil {
		browser, purpose, _ := browserTraffic(r.URL)
		b = &BrowserTraffic{Host: h, Browser: browser, Purpose: purpose}
		s.background[h] = b
	}
	b.Requests++
}

// meaning returns the pixel meaning of a leak location in a request, if a
// decoder named that field.
func meaning(fields []pixel.Field, location string) string {
	if len(fields) == 0 || location == "" {
		return ""
	}
	if f, ok := pixel.FieldAt(fields, location); ok {
		return string(f.Meaning)
	}
	return ""
}

func leakFinding(m leak.Match, sr scanResult, meaning string) Finding {
	if m.Partial > 0 {
		f := leakFinding(leak.Match{Persona: m.Persona, Field: m.Field, Value: m.Value, Channel: m.Channel,
			Location: m.Location, Encoding: m.Encoding, Evidence: m.Evidence, Count: m.Count}, sr, meaning)
		f.Type = TypeKeystroke
		f.Summary = fmt.Sprintf("The first %d of %d characters of the %s left while it was being typed, to %s.",
			m.Partial, utf8.RuneCountInString(strings.TrimSpace(m.Value)), m.Field, sr.ref.party.Company)
		return f
	}
	return Finding{
		Type: TypeLeak, Field: m.Field, Persona: m.Persona, Receiver: sr.ref.receiver(),
		Channel: m.Channel, Location: m.Location, Meaning: meaning, Encoding: m.Encoding,
		Value: m.Value, Evidence: m.Evidence, Request: sr.ref.ref(), Page: capString(sr.ref.page, maxRefURL),
		Initiator: capString(sr.ref.initiator, maxRefURL), Count: countOver1(m.Count),
	}
}

func patternFinding(m leak.PatternMatch, sr scanResult) Finding {
	return Finding{
		Type: TypePattern, Rule: m.Rule, Receiver: sr.ref.receiver(), Channel: m.Channel,
		Location: m.Location, Encoding: m.Encoding, Value: m.Value, Request: sr.ref.ref(),
		Page: capString(sr.ref.page, maxRefURL), Initiator: capString(sr.ref.initiator, maxRefURL),
		Confidence: m.Confidence, Reason: m.Reason, Count: countOver1(m.Count),
	}
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Hostname()
}

func isHTTPURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

// set is a string set that lists itself sorted.
type set map[string]struct{}

func (s set) add(v string) {
	if v != "" {
		s[v] = struct{}{}
	}
}

func (s set) sorted() []string {
	out := make([]string, 0, len(s))
	for v := range s {
		out = append(out, v)
	}
	slices.Sort(out)
	return out
}

func compareRefs(a, b *RequestRef) int {
	if a == nil || b == nil {
		switch {
		case a == nil && b == nil:
			return 0
		case a == nil:
			return -1
		}
		return 1
	}
	return cmp.Or(cmp.Compare(a.Source, b.Source), cmp.Compare(a.Index, b.Index))
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// countOver1 keeps a repeat count only when there were repeats.
func countOver1(n int) int {
	if n > 1 {
		return n
	}
	return 0
}
