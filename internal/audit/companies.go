package audit

import (
	"hash/maphash"
	"slices"
	"strings"

	"github.com/leakwatch/leakwatch/internal/party"
)

// companyTable accumulates the traffic of every company that received
// third-party requests. A capture can reach hundreds of thousands of
// one-off hosts, each its own company, so a company costs one record of a
// few words in a chunk (no map, set or slice of its own until it has a
// second host or domain, a category, a filter rule or a pixel fact) and
// its host's bytes, once.
type companyTable struct {
	index  nameIndex // company name → position
	chunks [][]companyAgg
	n      int
}

// companyChunk is the number of records in one chunk: chunks never move,
// so records can be pointed at while the table grows.
const companyChunk = 4096

// companyAgg is one company's traffic: its first host and domain inline,
// the rest in more.
type companyAgg struct {
	name, host, domain string
	requests, blocked  int
	known              bool
	more               *companyFacts
}

// companyFacts are a company's other hosts and domains, categories,
// filter rules and pixel facts.
type companyFacts struct {
	hosts, domains smallSet
	categories     smallSet
	rules          smallSet
	products       smallSet
	accounts       smallSet
	events         smallSet
}

// get returns the company's record, or nil.
func (t *companyTable) get(name string) *companyAgg {
	i := t.index.find(name, t.name)
	if i < 0 {
		return nil
	}
	return t.at(i)
}

func (t *companyTable) at(i int) *companyAgg { return &t.chunks[i/companyChunk][i%companyChunk] }

func (t *companyTable) name(i int) string { return t.at(i).name }

// add returns the record of p's company, making it with p's host and
// domain. They are copied (a party's host can be part of its request's
// URL); the domain shares the host's bytes, and the name the domain's.
func (t *companyTable) add(p party.Party) *companyAgg {
	if c := t.get(p.Company); c != nil {
		return c
	}
	if t.n%companyChunk == 0 {
		t.chunks = append(t.chunks, make([]companyAgg, 0, companyChunk))
	}
	c := companyAgg{host: strings.Clone(p.Host), domain: p.Domain}
	if strings.HasSuffix(c.host, p.Domain) {
		c.domain = c.host[len(c.host)-len(p.Domain):]
	} else {
		c.domain = strings.Clone(p.Domain)
	}
	c.name = c.domain
	if p.Company != p.Domain {
		c.name = strings.Clone(p.Company)
	}
	last := &t.chunks[len(t.chunks)-1]
	*last = append(*last, c)
	t.n++
	t.index.insert(c.name, t.n-1, t.name)
	return &(*last)[len(*last)-1]
}

// each calls f with every record, in the order the companies were first
// seen.
func (t *companyTable) each(f func(*companyAgg)) {
	for _, chunk := range t.chunks {
		for i := range chunk {
			f(&chunk[i])
		}
	}
}

func (s *state) addCompany(p party.Party) {
	c := s.companies.add(p)
	c.known = c.known || p.Known
	c.addHost(p.Host, p.Domain)
	for _, cat := range p.Categories {
		c.facts().categories.add(cat)
	}
	c.requests++
	if p.Filter != nil {
		c.blocked++
		c.facts().rules.add(p.Filter.Rule)
	}
}

// addHost records one more host and domain of the company.
func (c *companyAgg) addHost(host, domain string) {
	if host != "" && host != c.host {
		c.facts().hosts.add(host)
	}
	if domain != "" && domain != c.domain {
		c.facts().domains.add(domain)
	}
}

// facts returns the company's facts for adding, making them.
func (c *companyAgg) facts() *companyFacts {
	if c.more == nil {
		c.more = &companyFacts{}
	}
	return c.more
}

// seen returns the company's facts for reading; empty when none were added.
func (c *companyAgg) seen() *companyFacts {
	if c.more == nil {
		return &companyFacts{}
	}
	return c.more
}

// eachHost calls f with every host of the company, then eachDomain with
// every domain, in no order.
func (c *companyAgg) eachHost(f func(string)) {
	if c.host != "" {
		f(c.host)
	}
	if c.more != nil {
		c.more.hosts.each(f)
	}
}

func (c *companyAgg) eachDomain(f func(string)) {
	if c.domain != "" {
		f(c.domain)
	}
	if c.more != nil {
		c.more.domains.each(f)
	}
}

// sortedHosts and sortedDomains list them sorted.
func (c *companyAgg) sortedHosts() []string { return sortedEach(c.eachHost) }

func (c *companyAgg) sortedDomains() []string { return sortedEach(c.eachDomain) }

func sortedEach(each func(func(string))) []string {
	var out []string
	each(func(v string) { out = append(out, v) })
	slices.Sort(out)
	return out
}

// smallSet is a string set for the per-company facts: the first value is
// held inline; a map exists only from the second. Values are copied: they
// can be parts of a request.
type smallSet struct {
	first string
	rest  map[string]struct{}
}

func (s *smallSet) add(v string) {
	switch {
	case v == "" || v == s.first:
	case s.first == "":
		s.first = strings.Clone(v)
	default:
		if _, ok := s.rest[v]; ok {
			return
		}
		if s.rest == nil {
			s.rest = map[string]struct{}{}
		}
		s.rest[strings.Clone(v)] = struct{}{}
	}
}

// each calls f for every value, in no order.
func (s *smallSet) each(f func(string)) {
	if s.first != "" {
		f(s.first)
	}
	for v := range s.rest {
		f(v)
	}
}

func (s *smallSet) sorted() []string {
	if s.first == "" {
		return nil
	}
	return sortedEach(s.each)
}

// nameIndex finds a position by name: an open-addressing table of
// positions (4 bytes a slot, at most 3/4 full) over names the caller
// keeps, instead of a map holding a copy of each key.
type nameIndex struct {
	seed  maphash.Seed
	slots []int32 // position+1; 0 is empty
	n     int
}

// find returns the position of name, or -1; nameAt names a position.
func (x *nameIndex) find(name string, nameAt func(int) string) int {
	if len(x.slots) == 0 {
		return -1
	}
	mask := len(x.slots) - 1
	for i := int(maphash.String(x.seed, name)) & mask; x.slots[i] != 0; i = (i + 1) & mask {
		if p := int(x.slots[i]) - 1; nameAt(p) == name {
			return p
		}
	}
	return -1
}

// insert files a new name at position pos, growing the table as needed.
func (x *nameIndex) insert(name string, pos int, nameAt func(int) string) {
	if (x.n+1)*4 > len(x.slots)*3 {
		old := x.slots
		if len(old) == 0 {
			x.seed = maphash.MakeSeed()
		}
		x.slots = make([]int32, max(16, 2*len(old)))
		for _, s := range old {
			if s != 0 {
				x.place(nameAt(int(s)-1), int(s)-1)
			}
		}
	}
	x.place(name, pos)
	x.n++
}

func (x *nameIndex) place(name string, pos int) {
	mask := len(x.slots) - 1
	i := int(maphash.String(x.seed, name)) & mask
	for x.slots[i] != 0 {
		i = (i + 1) & mask
	}
	x.slots[i] = int32(pos + 1)
}
