package audit

import (
	"strings"

	"github.com/leakwatch/leakwatch/internal/party"
)

// grouper attributes a report's findings, pixel hits and request details
// to companies, from the report alone, so that a report read back from
// JSON groups as the audit that wrote it did.
type grouper struct {
	r      *Report
	owners *owners // hosts and domains of the third parties
	byName map[string]int
	byFold map[string]int // lowercased names
	byProd map[string]int
	first  map[string]bool // first-party domains, lowercased
	urls   map[reqKey]string
	// byReq is the company each request went to, from the findings and
	// pixel hits that point at it.
	byReq map[reqKey]int
	out   []Company
	facts []companyNames // beside out: the sets its name lists are made from
	keys  map[string]int // company key → index into out
	none  Attribution
}

type reqKey struct{ source, index int }

// unattributed is where an item no company received goes; otherwise an
// item goes to an index into grouper.out.
const unattributed = -1

func attribute(r *Report) ([]Company, *Attribution) {
	g := newGrouper(r)
	for i := range r.Findings {
		g.place(i, g.finding(&r.Findings[i]), &r.Findings[i])
	}
	for i := range r.Pixels {
		g.placePixel(i, g.pixel(&r.Pixels[i]))
	}
	for i := range r.Requests {
		g.placeRequest(i, g.request(&r.Requests[i]))
	}
	return g.finish()
}

func newGrouper(r *Report) *grouper {
	g := &grouper{r: r, byName: map[string]int{}, byFold: map[string]int{},
		byProd: map[string]int{}, first: map[string]bool{}, urls: map[reqKey]string{}, byReq: map[reqKey]int{},
		keys: map[string]int{}}
	want := g.asked()
	g.owners = newOwners(want)
	for i := range r.ThirdParties {
		tp := &r.ThirdParties[i]
		p := ownerPick{name: tp.Company, index: i, requests: tp.Requests}
		for _, h := range tp.Hosts {
			g.owners.add(g.owners.host, h, p)
		}
		for _, d := range tp.Domains {
			g.owners.add(g.owners.domain, d, p)
		}
		if want.has(tp.Company) {
			setFirst(g.byName, tp.Company, i)
		}
		if fold := strings.ToLower(tp.Company); want.has(fold) {
			setFirst(g.byFold, fold, i)
		}
		for _, prod := range tp.Products {
			if want.has(prod) {
				setFirst(g.byProd, prod, i)
			}
		}
	}
	for _, d := range r.FirstParty.Domains {
		g.first[strings.ToLower(d)] = true
	}
	return g
}

// asked records the request URLs the report knows and returns every key
// the lookups of its findings, pixel hits and request details will ask.
func (g *grouper) asked() asked {
	r, want := g.r, asked{}
	for _, d := range r.Requests {
		g.urls[reqKey{d.Source, d.Index}] = d.URL
	}
	for _, h := range r.Pixels {
		setFirstURL(g.urls, reqKey{h.Request.Source, h.Request.Index}, h.Request.URL)
		want.add(h.Vendor)
		want.add(strings.ToLower(h.Vendor))
		want.add(h.Product)
	}
	for _, f := range r.Findings {
		if f.Request != nil {
			setFirstURL(g.urls, reqKey{f.Request.Source, f.Request.Index}, f.Request.URL)
		}
		for _, n := range []string{f.Vendor, f.Product} {
			want.add(n)
			want.add(strings.ToLower(n))
		}
		if rc := f.Receiver; rc != nil {
			want.add(rc.Company)
			want.add(strings.ToLower(rc.Company))
			want.host(rc.Host)
			want.add(strings.ToLower(rc.Domain))
		}
	}
	for _, u := range g.urls {
		host := strings.ToLower(hostOf(u))
		want.host(host)
		want.add(party.RegistrableDomain(host))
	}
	return want
}

func setFirst(m map[string]int, key string, i int) {
	if _, ok := m[key]; !ok && key != "" {
		m[key] = i
	}
}

func setFirstURL(m map[reqKey]string, k reqKey, url string) {
	if _, ok := m[k]; !ok && url != "" {
		m[k] = url
	}
}

// thirdParty returns the company of third party i.
func (g *grouper) thirdParty(i int) int {
	return g.company("tp\x00"+itoa(i), Company{Name: g.r.ThirdParties[i].Company, ThirdParty: i})
}

func (g *grouper) company(key string, c Company) int {
	if i, ok := g.keys[key]; ok {
		return i
	}
	if c.Name == "" {
		c.Name = "unknown"
	}
	g.keys[key] = len(g.out)
	g.out = append(g.out, c)
	g.facts = append(g.facts, companyNames{})
	return len(g.out) - 1
}

// named finds a third party by its company name.
func (g *grouper) named(name string) (int, bool) {
	if i, ok := g.byName[name]; ok && name != "" {
		return i, true
	}
	i, ok := g.byFold[strings.ToLower(name)]
	return i, ok && name != ""
}

// finding attributes a finding: by its receiver (company name, host,
// domain, the site's own domains, else a company of its own), or, without
// one, by the host of a request it points at, then its vendor, then its
// product.
func (g *grouper) finding(f *Finding) int {
	if rc := f.Receiver; rc != nil && (rc.Company != "" || rc.Host != "" || rc.Domain != "") {
		if i, ok := g.named(rc.Company); ok {
			return g.thirdParty(i)
		}
		if p, ok := g.owners.lookup(rc.Host, rc.Domain); ok {
			return g.thirdParty(p.index)
		}
		if g.isFirst(rc.Host, rc.Domain) {
			return g.firstParty(rc.Company)
		}
		name := firstNonEmpty(rc.Company, rc.Domain, rc.Host)
		return g.company("x\x00"+strings.ToLower(name), Company{Name: name, ThirdParty: -1})
	}
	src := 0
	if f.Request != nil {
		src = f.Request.Source
		if i, ok := g.byURL(reqKey{src, f.Request.Index}, f.Request.URL); ok {
			return g.thirdParty(i)
		}
	}
	for _, n := range f.Requests {
		if i, ok := g.byURL(reqKey{src, n}, ""); ok {
			return g.thirdParty(i)
		}
	}
	return g.byVendor(f.Vendor, f.Product)
}

func (g *grouper) byVendor(vendor, product string) int {
	if i, ok := g.named(vendor); ok {
		return g.thirdParty(i)
	}
	if i, ok := g.byProd[product]; ok && product != "" {
		return g.thirdParty(i)
	}
	return unattributed
}

func (g *grouper) byURL(k reqKey, url string) (int, bool) {
	if url == "" {
		url = g.urls[k]
	}
	host := hostOf(url)
	if host == "" {
		return 0, false
	}
	p, ok := g.owners.lookup(host, party.RegistrableDomain(strings.ToLower(host)))
	return p.index, ok
}

func (g *grouper) isFirst(host, domain string) bool {
	if g.first[strings.ToLower(domain)] {
		return true
	}
	for h := strings.ToLower(host); h != ""; {
		if g.first[h] {
			return true
		}
		_, rest, ok := strings.Cut(h, ".")
		if !ok {
			break
		}
		h = rest
	}
	return false
}

// firstParty returns the site's own company, named as the first receiver
// on its hosts names its owner (as third parties are named: the company,
// not the brand), else as the report's first party.
func (g *grouper) firstParty(name string) int {
	return g.company("fp", Company{Name: firstNonEmpty(name, g.r.FirstParty.Company, firstNonEmpty(g.r.FirstParty.Domains...)),
		ThirdParty: -1, FirstParty: true})
}

// pixel attributes a hit to the company that received its request, else
// (a tag served through the site's own host) to the company named as its
// vendor or running its product.
func (g *grouper) pixel(h *PixelHit) int {
	if i, ok := g.byURL(reqKey{h.Request.Source, h.Request.Index}, h.Request.URL); ok {
		return g.thirdParty(i)
	}
	return g.byVendor(h.Vendor, h.Product)
}

// request attributes a request detail with the findings and pixel hits
// that point at it, else by its host.
func (g *grouper) request(d *RequestDetail) int {
	if ci, ok := g.byReq[reqKey{d.Source, d.Index}]; ok {
		return ci
	}
	if i, ok := g.byURL(reqKey{d.Source, d.Index}, d.URL); ok {
		return g.thirdParty(i)
	}
	if host := hostOf(d.URL); g.isFirst(host, "") {
		if ci, ok := g.keys["fp"]; ok {
			return ci
		}
	}
	return unattributed
}

func (g *grouper) place(i, ci int, f *Finding) {
	if ci == unattributed {
		g.none.Findings = append(g.none.Findings, i)
		return
	}
	c, n := &g.out[ci], &g.facts[ci]
	c.Findings = append(c.Findings, i)
	if rc := f.Receiver; rc != nil {
		n.entities.add(rc.Entity)
		n.hosts.add(strings.ToLower(rc.Host))
		n.domains.add(strings.ToLower(rc.Domain))
		if f.Request != nil {
			setFirstReq(g.byReq, reqKey{f.Request.Source, f.Request.Index}, ci)
		}
	}
	n.products.add(f.Product)
	if f.Type == TypeLeak {
		n.kinds.add(f.Field)
	}
}

func (g *grouper) placePixel(i, ci int) {
	if ci == unattributed {
		g.none.Pixels = append(g.none.Pixels, i)
		return
	}
	h := &g.r.Pixels[i]
	g.out[ci].Pixels = append(g.out[ci].Pixels, i)
	g.facts[ci].products.add(h.Product)
	g.facts[ci].addHost(hostOf(h.Request.URL))
	setFirstReq(g.byReq, reqKey{h.Request.Source, h.Request.Index}, ci)
}

func (g *grouper) placeRequest(i, ci int) {
	if ci == unattributed {
		g.none.Requests = append(g.none.Requests, i)
		return
	}
	g.out[ci].Requests = append(g.out[ci].Requests, i)
	g.facts[ci].addHost(hostOf(g.r.Requests[i].URL))
}

// companyNames are the sets a company's name lists are made from; most
// companies of a large report have one host and one domain, and no map.
type companyNames struct {
	entities, domains, hosts, products, kinds smallSet
}

func (n *companyNames) addHost(host string) {
	host = strings.ToLower(host)
	if host == "" {
		return
	}
	n.hosts.add(host)
	n.domains.add(party.RegistrableDomain(host))
}

func setFirstReq(m map[reqKey]int, k reqKey, ci int) {
	if _, ok := m[k]; !ok {
		m[k] = ci
	}
}

// finish sorts the companies and their lists.
func (g *grouper) finish() ([]Company, *Attribution) {
	for i := range g.out {
		c, n := &g.out[i], &g.facts[i]
		c.Entities, c.Domains, c.Hosts = n.entities.sorted(), n.domains.sorted(), n.hosts.sorted()
		c.Products, c.DataKinds = n.products.sorted(), n.kinds.sorted()
	}
	sortCompanies(g.out)
	if g.out == nil {
		g.out = []Company{}
	}
	if len(g.none.Findings)+len(g.none.Pixels)+len(g.none.Requests) == 0 {
		return g.out, nil
	}
	return g.out, &g.none
}
