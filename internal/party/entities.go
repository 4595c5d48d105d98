package party

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"

	"golang.org/x/net/publicsuffix"
)

//go:generate go run ./gen -out data

// entitiesTSV is third-party-web's entity list in the line format written by
// gen (see gen/convert.go).
//
//go:embed data/entities.tsv
var entitiesTSV string

// ownersTSV maps entity names or company names to the owning company where
// third-party-web leaves the parent out (Instagram → Facebook).
//
//go:embed data/owners.tsv
var ownersTSV string

// extraTSV holds hand-maintained entities and domains merged after
// third-party-web's, in the same line format.
//
//go:embed data/extra.tsv
var extraTSV string

// webxrayTSV holds webXray's domain owners in the same line format when gen
// was run with -webxray; it may hold no entity.
//
//go:embed data/webxray.tsv
var webxrayTSV string

// domainRef is where a domain key points: an entity and whether the key is a
// public suffix shared by unrelated customers (*.github.io, *.herokuapp.com).
// A platform match names the operator, but does not make two sites on it the
// same company.
type domainRef struct {
	ent      int32
	platform bool
}

// entityIndex finds the entity owning a host. exact holds entries that match
// one host; wild holds "*.x" entries, keyed by x, matching x and every name
// below it. It is immutable once built, except by add during construction.
type entityIndex struct {
	ents   []Entity
	exact  map[string]domainRef
	wild   map[string]domainRef
	byName map[string]int32 // lowercased name → index
	owners map[string]string
	fam    families
}

var (
	embeddedOnce sync.Once
	embeddedIdx  *entityIndex
	embeddedErr  error
)

// embeddedIndex parses the embedded data once per process.
func embeddedIndex() (*entityIndex, error) {
	embeddedOnce.Do(func() {
		embeddedIdx, embeddedErr = buildEmbedded(embeddedTables(), ownersTSV, familiesTSV)
	})
	return embeddedIdx, embeddedErr
}

// entityTable is one embedded entity file.
type entityTable struct{ file, text string }

// embeddedTables are the entity files in merge order.
func embeddedTables() []entityTable {
	return []entityTable{{"webxray.tsv", webxrayTSV}, {"entities.tsv", entitiesTSV}, {"extra.tsv", extraTSV}}
}

// buildEmbedded indexes the entity tables in order, later ones winning for
// a domain they share (webXray's, third-party-web's, then the hand-maintained
// additions), and binds the family rules to the result.
func buildEmbedded(tables []entityTable, owners, fams string) (*entityIndex, error) {
	own, err := parseOwners(owners)
	if err != nil {
		return nil, err
	}
	var ents []Entity
	for _, t := range tables {
		more, err := parseEntityTable(t.text, t.file)
		if err != nil {
			return nil, err
		}
		ents = append(ents, more...)
	}
	if len(ents) == 0 {
		return nil, fmt.Errorf("embedded entity tables hold no entities")
	}
	x := newIndex(own, len(ents))
	for _, e := range ents {
		x.add(e)
	}
	if x.fam, err = parseFamilies(fams, x.byName); err != nil {
		return nil, err
	}
	return x, nil
}

func newIndex(owners map[string]string, size int) *entityIndex {
	return &entityIndex{
		exact:  make(map[string]domainRef, size/4),
		wild:   make(map[string]domainRef, size*2),
		byName: make(map[string]int32, size),
		owners: owners,
	}
}

func parseOwners(s string) (map[string]string, error) {
	m := make(map[string]string)
	for n, line := range strings.Split(s, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		k, v, ok := strings.Cut(line, "\t")
		if !ok || k == "" || v == "" {
			return nil, fmt.Errorf("embedded owners.tsv line %d: want name<TAB>owner", n+1)
		}
		m[k] = v
	}
	return m, nil
}

// parseEntityTable reads the generated line format.
func parseEntityTable(s, file string) ([]Entity, error) {
	var out []Entity
	for n, line := range strings.Split(s, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 5 || f[0] == "" {
			return nil, fmt.Errorf("embedded %s line %d: want 5 tab-separated fields, have %d", file, n+1, len(f))
		}
		e := Entity{Name: f[0], Company: f[1], Homepage: f[2], Domains: strings.Fields(f[4])}
		if f[3] != "" {
			e.Categories = []string{f[3]}
		}
		out = append(out, e)
	}
	return out, nil
}

// clone copies the index so user entities can be merged without touching
// the shared embedded one.
func (x *entityIndex) clone() *entityIndex {
	c := &entityIndex{
		ents:   make([]Entity, len(x.ents)),
		exact:  make(map[string]domainRef, len(x.exact)),
		wild:   make(map[string]domainRef, len(x.wild)),
		byName: make(map[string]int32, len(x.byName)),
		owners: x.owners,
		fam:    x.fam,
	}
	for i, e := range x.ents {
		e.Domains = slices.Clone(e.Domains)
		c.ents[i] = e
	}
	for k, v := range x.exact {
		c.exact[k] = v
	}
	for k, v := range x.wild {
		c.wild[k] = v
	}
	for k, v := range x.byName {
		c.byName[k] = v
	}
	return c
}

// add merges e into the index. An entity with a known name (case-insensitive)
// gains e's domains and non-empty fields; otherwise e is appended. Every
// domain of e now points at it, taking the domain away from whichever entity
// held it before: later data wins.
func (x *entityIndex) add(e Entity) {
	key := strings.ToLower(e.Name)
	i, ok := x.byName[key]
	if !ok {
		i = int32(len(x.ents))
		x.byName[key] = i
		x.ents = append(x.ents, Entity{Name: e.Name})
	}
	cur := &x.ents[i]
	if e.Homepage != "" {
		cur.Homepage = e.Homepage
	}
	if e.Company != "" || !ok {
		cur.Company = x.ownerOf(e)
	}
	for _, c := range e.Categories {
		if !slices.Contains(cur.Categories, c) {
			cur.Categories = append(cur.Categories, c)
		}
	}
	cur.Categories = slices.Clip(cur.Categories)
	for _, d := range e.Domains {
		x.addDomain(i, d)
	}
	cur.Domains = slices.Clip(cur.Domains)
}

// addDomain points one domain entry at entity i. Entries naming an ICANN
// public suffix ("*.net.pl") are ignored: nobody owns every site under one.
func (x *entityIndex) addDomain(i int32, d string) {
	d = strings.TrimRight(lower(strings.TrimSpace(d)), ".")
	wild := strings.HasPrefix(d, "*.")
	k := strings.TrimPrefix(d, "*.")
	if k == "" {
		return
	}
	ref := domainRef{ent: i}
	m := x.exact
	if wild {
		m = x.wild
		ps, icann := publicsuffix.PublicSuffix(k)
		if ps == k && !isIP(k) {
			if icann {
				return
			}
			ref.platform = true
		}
	}
	if prev, ok := m[k]; ok && prev.ent != i {
		p := &x.ents[prev.ent]
		p.Domains = slices.DeleteFunc(p.Domains, func(s string) bool { return s == d })
	}
	m[k] = ref
	if !slices.Contains(x.ents[i].Domains, d) {
		x.ents[i].Domains = append(x.ents[i].Domains, d)
	}
}

// lookup finds the entity of a normalized host: an exact entry first, then
// the most specific wildcard entry covering it.
func (x *entityIndex) lookup(host string) (domainRef, bool) {
	if host == "" {
		return domainRef{}, false
	}
	if r, ok := x.exact[host]; ok {
		return r, true
	}
	for h := host; ; {
		if r, ok := x.wild[h]; ok {
			return r, true
		}
		i := strings.IndexByte(h, '.')
		if i < 0 {
			return domainRef{}, false
		}
		h = h[i+1:]
	}
}
