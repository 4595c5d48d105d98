package party

import "strings"

// legalForms are the company-form words that end registered names ("Ltd",
// "GmbH", "S.p.A."), lowercase, longest first where one ends another. A
// company name from the entity data loses them; a name written on the right
// of data/owners.tsv is canonical and kept as written.
var legalForms = []string{
	"pty ltd", "pty. ltd.", "co ltd", "co. ltd.", "co., ltd.", "sp. z o.o.", "gmbh & co. kg",
	"limited", "ltd.", "ltd", "incorporated", "inc.", "inc", "l.l.c.", "llc", "llp", "plc",
	"corporation", "corp.", "corp", "co.", "co", "gmbh", "ag", "kg", "s.a.s.", "sas",
	"s.a.r.l.", "sarl", "s.r.l.", "srl", "s.p.a.", "s.p.a", "spa", "s.a.", "sa",
	"b.v.", "bv", "n.v.", "nv", "ab", "oyj", "oy", "a/s", "aps", "asa", "pty.", "pty", "k.k.", "kk",
}

// maxOwnerChain bounds owners.tsv chains (A → B → C) and breaks cycles.
const maxOwnerChain = 8

// ownerOf resolves the owning company of an entity: the owners table entry
// for its name, else its company field (its name when empty) through the
// owners table, else that name without a trailing legal form.
func (x *entityIndex) ownerOf(e Entity) string {
	if o, ok := x.owners[e.Name]; ok {
		return x.resolve(o, true)
	}
	c := e.Company
	if c == "" {
		c = e.Name
	}
	return x.resolve(c, false)
}

// resolve follows the owners table from name. canonical says name itself
// came from the table's right-hand side and is kept as written; any other
// name is looked up again without its legal form ("Facebook, Inc." →
// "Facebook" → "Meta").
func (x *entityIndex) resolve(name string, canonical bool) string {
	for range maxOwnerChain {
		if o, ok := x.owners[name]; ok {
			if o == name {
				return name
			}
			name, canonical = o, true
			continue
		}
		if canonical {
			return name
		}
		s := stripLegalForm(name)
		if s == name {
			return name
		}
		name = s
	}
	return name
}

// stripLegalForm removes trailing legal forms ("Fing Co Ltd." → "Fing") and
// the separators before them. A name that is nothing but a legal form stays.
func stripLegalForm(name string) string {
	s := strings.TrimSpace(name)
	for changed := true; changed; {
		changed = false
		low := strings.ToLower(s)
		for _, f := range legalForms {
			if len(low) <= len(f)+1 || !strings.HasSuffix(low, f) {
				continue
			}
			rest := s[:len(s)-len(f)]
			if !strings.HasSuffix(rest, " ") && !strings.HasSuffix(rest, ",") {
				continue // a word ending in the form's letters ("Vivocha" ≠ "… SpA")
			}
			if t := strings.TrimRight(rest, " ,&-"); t != "" {
				s, changed = t, true
				break
			}
		}
	}
	return s
}

// Company returns the canonical company name for any spelling the data or
// another layer uses: an entity name ("Google Analytics" → "Google",
// "TikTok" → "ByteDance"), a company spelling ("ByteDance Ltd" →
// "ByteDance", "Twitter" → "X", "META" → "Meta") or an unknown name,
// returned without a trailing legal form. Case is ignored; "" gives "".
func (c *Classifier) Company(name string) string {
	name = strings.TrimSpace(name)
	if name == "" {
		return ""
	}
	if i, ok := c.idx.byName[strings.ToLower(name)]; ok {
		return c.idx.ents[i].Company
	}
	s := c.idx.resolve(name, false)
	if canon, ok := c.companies[strings.ToLower(s)]; ok {
		return canon
	}
	return s
}

// companyNames maps every canonical company name, lowercased, to its
// spelling.
func companyNames(x *entityIndex) map[string]string {
	m := make(map[string]string, len(x.ents)/2)
	for _, e := range x.ents {
		m[strings.ToLower(e.Company)] = e.Company
	}
	return m
}
