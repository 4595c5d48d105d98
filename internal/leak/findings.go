package leak

// record adds a match, keeping per (persona, field, value, channel,
// location) one finding with the fewest transforms and a count. Past the
// finding budget a new finding is only counted (see drop). It returns the
// finding's index in Matches, -1 when it was dropped.
func (s *scanner) record(c *candidate, loc string, chain, spelling []string, evidence []byte) int {
	s.events++
	n := len(chain) + len(spelling) + len(c.chain)
	key := matchKey{c.persona, c.field, c.value, s.ch, loc, c.partial}
	if i, ok := s.seen[key]; ok {
		m := &s.res.Matches[i]
		m.Count++
		if n < len(m.Encoding) {
			m.Encoding = encoding(chain, spelling, c.chain)
			m.Evidence = cut(evidence)
		}
		return i
	}
	if s.full() {
		s.drop(dropKey{persona: c.persona, field: c.field, value: c.value})
		return -1
	}
	s.seen[key] = len(s.res.Matches)
	s.res.Matches = append(s.res.Matches, Match{
		Persona:  s.p.labels[c.persona],
		Field:    c.field,
		Value:    c.value,
		Channel:  s.ch,
		Location: loc,
		Encoding: encoding(chain, spelling, c.chain),
		Evidence: cut(evidence),
		Count:    1,
		Partial:  c.partial,
	})
	return len(s.res.Matches) - 1
}

func encoding(parts ...[]string) []string {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	if n == 0 {
		return []string{}
	}
	enc := make([]string, 0, n)
	for _, p := range parts {
		enc = append(enc, p...)
	}
	return enc
}

// recordPattern adds a pattern finding, one per (rule, value, channel,
// location) with a count.
func (s *scanner) recordPattern(m PatternMatch, chain []string) {
	s.events++
	k := patternKey{m.Rule, m.Value, s.ch, m.Location}
	if i, ok := s.pseen[k]; ok {
		s.res.Patterns[i].Count++
		return
	}
	if s.full() {
		s.drop(dropKey{persona: -1, rule: m.Rule, value: m.Value})
		return
	}
	s.pseen[k] = len(s.res.Patterns)
	m.Channel, m.Count, m.Encoding = s.ch, 1, slicesClone(chain)
	s.res.Patterns = append(s.res.Patterns, m)
}

// full reports whether the request's finding budget is spent.
func (s *scanner) full() bool {
	return len(s.res.Matches)+len(s.res.Patterns) >= s.b.MaxFindings
}

// drop counts a finding past the budget under its value; past as many
// values again, it is only counted in the warning.
func (s *scanner) drop(k dropKey) {
	s.events++
	s.unlisted++
	if i, ok := s.drops[k]; ok {
		s.res.Dropped[i].Count++
		return
	}
	if len(s.res.Dropped) >= s.b.MaxFindings {
		return
	}
	if s.drops == nil {
		s.drops = map[dropKey]int{}
	}
	s.drops[k] = len(s.res.Dropped)
	d := Dropped{Field: k.field, Rule: k.rule, Value: k.value, Count: 1}
	if k.persona >= 0 {
		d.Persona = s.p.labels[k.persona]
	}
	s.res.Dropped = append(s.res.Dropped, d)
}

// maxNameLen caps a field name in a Location: a hostile request may name
// a parameter with megabytes, and every finding keeps its Location.
const maxNameLen = 256

// nameOf copies a field name, cut to maxNameLen bytes and marked "…"
// when longer.
func nameOf(b []byte) string {
	if len(b) <= maxNameLen {
		return string(b)
	}
	n := maxNameLen
	for n > 0 && b[n]&0xc0 == 0x80 {
		n--
	}
	return string(b[:n]) + "…"
}

// nameOfString is nameOf for a name held as a string: kept as it is
// when short enough, with no copy.
func nameOfString(s string) string {
	if len(s) <= maxNameLen {
		return s
	}
	return nameOf([]byte(s))
}

// cut copies at most 200 bytes of evidence, not splitting a UTF-8 rune.
func cut(b []byte) string {
	if len(b) <= 200 {
		return string(b)
	}
	n := 200
	for n > 0 && b[n]&0xc0 == 0x80 {
		n--
	}
	return string(b[:n])
}

func slicesClone(c []string) []string {
	if len(c) == 0 {
		return nil
	}
	return append([]string(nil), c...)
}
