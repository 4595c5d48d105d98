package audit

import (
	"hash/maphash"
	"math"
	"slices"
	"strings"
	"unsafe"

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
	hosts  textArena // the first host of each company
}

// companyChunk is the number of records in one chunk: chunks never move,
// so records can be pointed at while the table grows.
const companyChunk = 4096

// companyAgg is one company's traffic: its first host inline, the first
// domain as a suffix of it, the rest in more.
type companyAgg struct {
	host     string // the first host, a copy
	more     *companyFacts
	requests int
	blocked  int32
	// domainLen is the length of the host's suffix that is the first
	// domain, or -1 when the domain is more.domain.
	domainLen int32
	known     bool
	// named is set when the company's name is not its first domain (an
	// entity's company): the name is more.name.
	named bool
}

// companyFacts are what most companies lack: a name other than the
// domain, a domain that is not the host's suffix, other hosts and domains,
// categories, filter rules and pixel facts.
type companyFacts struct {
	name, domain   string
	hosts, domains smallSet
	categories     smallSet
	rules          smallSet
	products       smallSet
	accounts       smallSet
	events         smallSet
}

// name is the company's name.
func (c *companyAgg) name() string {
	if c.named {
		return c.more.name
	}
	return c.domain()
}

// domain is the company's first domain.
func (c *companyAgg) domain() string {
	if c.domainLen < 0 {
		return c.more.domain
	}
	return c.host[len(c.host)-int(c.domainLen):]
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

func (t *companyTable) name(i int) string { return t.at(i).name() }

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
	c := companyAgg{host: t.hosts.clone(p.Host), domainLen: int32(len(p.Domain))}
	if !strings.HasSuffix(c.host, p.Domain) || len(p.Domain) > math.MaxInt32 {
		c.domainLen = -1
		c.facts().domain = strings.Clone(p.Domain)
	}
	if p.Company != p.Domain {
		c.named = true
		c.facts().name = strings.Clone(p.Company)
	}
	last := &t.chunks[len(t.chunks)-1]
	*last = append(*last, c)
	t.n++
	t.index.insert(c.name(), t.n-1, t.name)
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
	if p.Filter != nil && c.blocked < math.MaxInt32 {
		c.blocked++
		c.facts().rules.add(p.Filter.Rule)
	}
}

// addHost records one more host and domain of the company.
func (c *companyAgg) addHost(host, domain string) {
	if host != "" && host != c.host {
		c.facts().hosts.add(host)
	}
	if domain != "" && domain != c.domain() {
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
	if d := c.domain(); d != "" {
		f(d)
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

// textArena copies short strings back to back into large chunks: 300,000
// host names as as many small objects would fragment the heap. A chunk
// lives as long as a string in it; its bytes are never written again.
type textArena struct {
	chunk []byte
}

const (
	textChunk    = 64 << 10
	maxArenaText = 256 // longer strings are copied on their own
)

func (a *textArena) clone(s string) string {
	if len(s) == 0 || len(s) > maxArenaText {
		return strings.Clone(s)
	}
	if cap(a.chunk)-len(a.chunk) < len(s) {
		a.chunk = make([]byte, 0, textChunk)
	}
	off := len(a.chunk)
	a.chunk = append(a.chunk, s...)
	return unsafe.String(&a.chunk[off], len(s))
}
