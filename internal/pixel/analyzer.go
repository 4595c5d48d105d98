package pixel

import (
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/leakwatch/leakwatch/internal/party"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// Analyzer decodes requests one at a time and gathers the evidence for
// configuration and behaviour findings. It keeps no request or body: only
// bounded facts per request (names, short values, a capped URL). It is not
// safe for concurrent use.
type Analyzer struct {
	opts         AnalyzerOptions
	metaConfig   map[string]*configEvidence // pixel ID → signals config facts
	replayConfig map[string]*configEvidence // replay host → privacy settings seen
	udff         map[string]*keyedEvidence  // pixel ID → udff keys on the wire
	cookies      map[string]*cookieEvidence // third-party domain → cookies set/sent
	idCookies    map[string]*keyedEvidence  // owner domain → identifier cookie names
	replay       map[string]*keyedEvidence  // vendor|host → replay evidence
	fingerprint  map[string]*keyedEvidence  // host → fingerprinting service
	beacons      beaconTable                // host → unknown 1×1 beacons
	parties      map[string]companyNote     // domain → its company, when named

	// Cookie-sync state: identifier candidates and the kept URLs they are
	// looked for in at the end of the capture (see sync.go, idindex.go).
	pairs      map[pairKey]pairSeen  // cookie (name, value) → when first seen
	pairFilter pairFilter            // the pairs' Bloom filter
	cands      map[string]*candidate // sync candidate → the cookie credited
	maxCandLen int
	candBytes  int
	strs       map[string]string   // interned cookie names and domains
	nameSets   map[string][]string // shared beacon parameter lists (capped)
	// hostTokens are the lowercased tokens of every host's labels (capped
	// by count, not charged to the URL budget).
	hostTokens *strTable
	// kept is the URL budget; what follows is charged to it as allocated.
	kept  byteBudget
	pages *strTable            // distinct page URLs (capped)
	docs  *strTable            // distinct document and frame URLs (capped)
	keptS *strTable            // kept URL texts, hosts and domains
	urls  chunkList[urlRecord] // third-party requests, for cookie sync
	// docLens are the lengths of the URLs in docs; removeMemo the forms
	// of the last page URL and headers syncText removes.
	docLens    lengthSet
	removeMemo removeMemo
	// cookieBuf is recordCookies' list of a request's cookies, reused;
	// matchToks and matchGroup are matchAll's, reused from text to text.
	cookieBuf  []cookiePair
	matchToks  []span
	matchGroup []int
	limits     limits

	// finished holds the results once Finish has run.
	finished *finished
}

// finished is what an Analyzer keeps of its results after Finish.
type finished struct {
	findings []Finding
	warnings []string
}

// NewAnalyzer returns an empty Analyzer with the default budgets.
func NewAnalyzer() *Analyzer {
	return NewAnalyzerWith(AnalyzerOptions{})
}

// NewAnalyzerWith returns an empty Analyzer bounded by opts.
func NewAnalyzerWith(opts AnalyzerOptions) *Analyzer {
	a := &Analyzer{
		opts:         opts,
		metaConfig:   map[string]*configEvidence{},
		replayConfig: map[string]*configEvidence{},
		udff:         map[string]*keyedEvidence{},
		cookies:      map[string]*cookieEvidence{},
		idCookies:    map[string]*keyedEvidence{},
		replay:       map[string]*keyedEvidence{},
		fingerprint:  map[string]*keyedEvidence{},
		parties:      map[string]companyNote{},
		pairs:        map[pairKey]pairSeen{},
		cands:        map[string]*candidate{},
		strs:         map[string]string{},
		hostTokens:   newStrTable(&byteBudget{}),
	}
	a.kept.limit = opts.maxKeptURLBytes()
	a.pages, a.docs, a.keptS = newStrTable(&a.kept), newStrTable(&a.kept), newStrTable(&a.kept)
	return a
}

// maxNamesPerFinding caps the names one behaviour finding lists.
const maxNamesPerFinding = 256

// keyedEvidence is a set of names (keys, cookie names, reasons) and the
// requests that showed them. The names are a sorted slice, not a map: most
// entries hold a handful, and a capture can make one entry per host.
type keyedEvidence struct {
	vendor, product, account, host, domain string
	keys                                   []string // sorted, distinct
	requests                               requestSet
	dropped                                int // names beyond maxNamesPerFinding
	hostAt                                 int // the request host was taken from
}

func newKeyed() *keyedEvidence {
	return &keyedEvidence{}
}

// evidence returns the entry for k in m, creating it.
func evidence(m map[string]*keyedEvidence, k string) *keyedEvidence {
	e := m[k]
	if e == nil {
		e = newKeyed()
		m[strings.Clone(k)] = e
	}
	return e
}

// add records a request and names. Names are copied: the Analyzer must not
// keep a request's memory alive through substrings.
func (e *keyedEvidence) add(index int, keys ...string) {
	e.addOwned(index, strings.Clone, keys...)
}

// addOwned records a request and names, keeping each new name as own
// returns it (a copy, or an interned string).
func (e *keyedEvidence) addOwned(index int, own func(string) string, keys ...string) {
	e.requests.add(index)
	for _, k := range keys {
		e.keys, e.dropped = addName(e.keys, e.dropped, k, own)
	}
}

// addName adds name k to the sorted list names, kept as own returns it, up
// to maxNamesPerFinding; past it the name is counted in dropped.
func addName(names []string, dropped int, k string, own func(string) string) ([]string, int) {
	k = capName(k)
	i, found := slices.BinarySearch(names, k)
	switch {
	case found:
	case len(names) >= maxNamesPerFinding:
		dropped++
	default:
		names = slices.Insert(names, i, own(k))
	}
	return names, dropped
}

// names returns the sorted names.
func (e *keyedEvidence) names() []string {
	return slices.Clone(e.keys)
}

// capName cuts a name (cookie, parameter) to maxCookieValue bytes before
// it is kept.
func capName(s string) string {
	if len(s) > maxCookieValue {
		return s[:maxCookieValue]
	}
	return s
}

// requestSet is a compact set of request indexes: appended in the order
// seen, sorted and deduplicated when read.
type requestSet []int32

func (s *requestSet) add(i int) {
	if n := len(*s); n == 0 || (*s)[n-1] != int32(i) {
		*s = append(*s, int32(i))
	}
}

func (s requestSet) sorted() []int {
	out := make([]int, len(s))
	for i, x := range s {
		out[i] = int(x)
	}
	return sortedUnique(out)
}

func (s requestSet) len() int { return len(s.sorted()) }

// Request decodes r, records what it shows for the findings, and returns
// its hits. p classifies r relative to its page; pageURL is that page.
func (a *Analyzer) Request(r *traffic.Request, p party.Party, pageURL string) []Hit {
	if r == nil {
		return nil
	}
	u, err := url.Parse(r.URL)
	hits, ok := safeDecode(r, u, err)
	if !ok && a.finished == nil {
		a.limits.note(limitDecoder, r.Index)
	}
	if a.finished != nil {
		return hits // the capture has ended: nothing more is recorded
	}
	if err != nil || u.Host == "" {
		return hits
	}
	if p.Host == "" {
		p.Host = host(u)
	}
	if p.Domain == "" {
		p.Domain = registrable(p.Host)
	}
	a.noteCompany(p)
	a.recordHostTokens(p.Host)
	a.recordDocument(r)
	a.recordHits(hits, host(u))
	a.recordConfig(r, u)
	a.recordCookies(r, p)
	a.recordURL(r, p, pageURL)
	a.recordReplay(r, u, hits)
	a.recordFingerprinting(r, u, p)
	a.recordBeacon(r, u, p, hits)
	return hits
}

// recordHits notes automatic advanced matching (udff[...]) on the wire.
func (a *Analyzer) recordHits(hits []Hit, reqHost string) {
	for _, h := range hits {
		if h.Product != metaPixel.Product {
			continue
		}
		for _, f := range h.Fields {
			key, ok := strings.CutPrefix(f.Name, "udff[")
			if !ok {
				continue
			}
			e := evidence(a.udff, h.Account)
			e.vendor, e.product, e.account = h.Vendor, h.Product, strings.Clone(h.Account)
			e.host, e.domain = strings.Clone(reqHost), registrable(reqHost)
			e.add(h.RequestIndex, strings.TrimSuffix(key, "]"))
		}
	}
}

// Findings returns the configuration and behaviour findings so far, ordered
// by type, then vendor, account, domain and first request.
func (a *Analyzer) Findings() []Finding {
	if a.finished != nil {
		return slices.Clone(a.finished.findings)
	}
	return a.findings(false)
}

// findings makes the findings. With release set (by Finish), the state of
// the cookie-sync and beacon checks is dropped as soon as their findings
// are made, so that a large capture does not hold it and the findings at
// once.
func (a *Analyzer) findings(release bool) []Finding {
	var out []Finding
	out = append(out, a.configFindings()...)
	out = append(out, a.udffFindings()...)
	out = append(out, a.cookieFindings()...)
	out = append(out, a.syncFindings()...)
	if release {
		a.keptS, a.pages, a.docs, a.urls = nil, nil, nil, chunkList[urlRecord]{}
	}
	out = append(out, a.replayFindings()...)
	out = append(out, a.fingerprintFindings()...)
	out = append(out, a.beaconFindings()...)
	if release {
		a.beacons = beaconTable{dropped: a.beacons.dropped}
	}
	sort.SliceStable(out, func(i, j int) bool {
		x, y := out[i], out[j]
		if x.Type != y.Type {
			return x.Type < y.Type
		}
		if x.Vendor != y.Vendor {
			return x.Vendor < y.Vendor
		}
		if x.Account != y.Account {
			return x.Account < y.Account
		}
		if x.Domain != y.Domain {
			return x.Domain < y.Domain
		}
		return firstRequest(x) < firstRequest(y)
	})
	return out
}

// Finish ends the capture: it works out the findings and warnings once and
// drops every other piece of state except what Identifier needs, so that an
// Analyzer kept to the end of a large capture holds only its identifier
// candidates. After it, Findings and Warnings return those results and
// Request records nothing more.
func (a *Analyzer) Finish() {
	if a.finished != nil {
		return
	}
	f := &finished{findings: a.findings(true)}
	f.warnings = a.Warnings()
	*a = Analyzer{opts: a.opts, cands: a.cands, hostTokens: a.hostTokens, limits: a.limits, finished: f}
}

func firstRequest(f Finding) int {
	if len(f.Requests) == 0 {
		return -1
	}
	return f.Requests[0]
}

func (a *Analyzer) udffFindings() []Finding {
	var out []Finding
	for _, id := range sortedKeys(a.udff) {
		e := a.udff[id]
		keys := e.names()
		out = append(out, Finding{
			Type: FindingAutomaticMatching, Vendor: e.vendor, Product: e.product, Account: id,
			Host: e.host, Domain: e.domain,
			Summary: "Meta Pixel " + id + " sent values scraped from the page's form fields " +
				"(automatic advanced matching): " + strings.Join(keys, ", ") + ".",
			Details:  []Detail{{"source", "wire"}, {"keys", strings.Join(keys, ",")}},
			Requests: e.requests.sorted(),
		})
	}
	return out
}

// companyNote is what the party data said of a domain's company.
type companyNote struct {
	company string
	known   bool // from entity data
}

// noteCompany remembers a domain's company the first time the domain is
// seen, when the party data names one other than the domain itself: an
// unnamed domain costs nothing, however many the capture holds.
func (a *Analyzer) noteCompany(p party.Party) {
	if p.Domain == "" || !p.Known && (p.Company == "" || p.Company == p.Domain) {
		return
	}
	if _, ok := a.parties[p.Domain]; !ok {
		a.parties[strings.Clone(p.Domain)] = companyNote{a.intern(p.Company), p.Known}
	}
}

// companyOf names the company of a domain as the party data gave it.
func (a *Analyzer) companyOf(domain string) string {
	if p, ok := a.parties[domain]; ok && p.company != "" {
		return p.company
	}
	return domain
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func sortedSet(m map[string]bool) []string {
	return sortedKeys(m)
}

func sortedInts(m map[int]bool) []int {
	out := make([]int, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Ints(out)
	return out
}
