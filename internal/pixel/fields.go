package pixel

import (
	"bytes"
	"encoding/json"
	"io"
	"sort"
	"strings"
)

// Limits that keep one hostile request from producing unbounded output.
const (
	maxJSONLeaves = 4000  // JSON values flattened per parameter
	maxBodyLeaves = 50000 // JSON values flattened per request body
	maxJSONDepth  = 64
	// maxFields caps the fields of one hit; only a request with more
	// parameters than this loses any.
	maxFields = 60000
)

// rules maps field names to meanings. Keys are matched case-insensitively;
// a key ending in "*" is a prefix, longest prefix first.
type rules struct {
	exact    map[string]Meaning
	prefixes []string
	prefixM  map[string]Meaning
	// cased holds the names the table spells in more than one case
	// (Chartbeat's "i", the title, and "I", a flag), each as written: a
	// name spelled exactly so takes its own meaning first.
	cased map[string]Meaning
}

// makeRules builds rules from a table of names and "prefix*" patterns.
// Names that differ only in case (Chartbeat's "i" and "I") each keep
// their meaning when a field is spelled exactly so; another spelling
// takes the lower-case name's, whatever the order the table's map gives.
func makeRules(table map[string]Meaning) *rules {
	r := &rules{exact: map[string]Meaning{}, prefixM: map[string]Meaning{}}
	spellings := map[string]int{}
	for k := range table {
		spellings[strings.ToLower(k)]++
	}
	for k, m := range table {
		if spellings[strings.ToLower(k)] > 1 && !strings.HasSuffix(k, "*") {
			if r.cased == nil {
				r.cased = map[string]Meaning{}
			}
			r.cased[k] = m
		}
	}
	for _, k := range sortedKeys(table) {
		m := table[k]
		lower := strings.ToLower(k)
		if p, ok := strings.CutSuffix(lower, "*"); ok {
			if _, dup := r.prefixM[p]; !dup {
				r.prefixes = append(r.prefixes, p)
			}
			if _, dup := r.prefixM[p]; !dup || lower == k {
				r.prefixM[p] = m
			}
			continue
		}
		if _, dup := r.exact[lower]; !dup || lower == k {
			r.exact[lower] = m
		}
	}
	sort.Slice(r.prefixes, func(i, j int) bool {
		if len(r.prefixes[i]) != len(r.prefixes[j]) {
			return len(r.prefixes[i]) > len(r.prefixes[j])
		}
		return r.prefixes[i] < r.prefixes[j]
	})
	return r
}

// meaning returns the meaning of a field name; Raw when unknown. A nested
// name is also tried without array indexes ("events.0.event_type" as
// "events.event_type") and without its decoded-parameter base
// ("data>event" as "event").
func (r *rules) meaning(name string) Meaning {
	if r == nil {
		return Raw
	}
	if m := r.lookup(name); m != Raw {
		return m
	}
	s := stripIndexes(name)
	if s != name {
		if m := r.lookup(s); m != Raw {
			return m
		}
	}
	if _, rest, ok := strings.Cut(s, ">"); ok {
		if m := r.lookup(rest); m != Raw {
			return m
		}
	}
	if rest := afterContainer(name); rest != "" {
		return r.meaning(rest)
	}
	return Raw
}

// afterContainer returns what follows "<container>.<index>." (a batch or
// events array element), or "".
func afterContainer(name string) string {
	i := strings.IndexAny(name, ".>")
	if i < 0 {
		return ""
	}
	idx, rest, ok := strings.Cut(name[i+1:], ".")
	if !ok || !isDigits(idx) {
		return ""
	}
	return rest
}

// stripIndexes removes all-digit segments from a dotted/">" path
// ("e>0.event_type" becomes "e>event_type").
func stripIndexes(name string) string {
	if !strings.ContainsAny(name, "0123456789") {
		return name
	}
	var out strings.Builder
	var pending byte
	start := 0
	for i := 0; i <= len(name); i++ {
		if i < len(name) && name[i] != '.' && name[i] != '>' {
			continue
		}
		seg := name[start:i]
		var sep byte
		if start > 0 {
			sep = name[start-1]
		}
		start = i + 1
		if pending == '>' {
			sep = '>'
		}
		if isDigits(seg) {
			pending = sep
			continue
		}
		pending = 0
		if out.Len() > 0 && sep != 0 {
			out.WriteByte(sep)
		}
		out.WriteString(seg)
	}
	return out.String()
}

func (r *rules) lookup(name string) Meaning {
	if m, ok := r.cased[name]; ok {
		return m
	}
	n := strings.ToLower(name)
	if m, ok := r.exact[n]; ok {
		return m
	}
	for _, p := range r.prefixes {
		if strings.HasPrefix(n, p) {
			return r.prefixM[p]
		}
	}
	return Raw
}

// builder accumulates the fields of one hit.
type builder struct {
	hit   Hit
	rules *rules
}

func newBuilder(vendor, product string, r *rules) *builder {
	return &builder{hit: Hit{Vendor: vendor, Product: product}, rules: r}
}

// add appends a field with the meaning the rules give its name.
func (b *builder) add(name, value string) {
	b.addAs(name, value, b.rules.meaning(name))
}

// addAs appends a field with an explicit meaning.
func (b *builder) addAs(name, value string, m Meaning) {
	if len(b.hit.Fields) >= maxFields {
		return
	}
	b.hit.Fields = append(b.hit.Fields, Field{Name: name, Value: value, Meaning: m})
}

// addParams adds params by rules, expanding values that are JSON objects or
// arrays into nested fields (see addValue).
func (b *builder) addParams(ps []param) {
	for _, p := range ps {
		b.addValue(p.Name, p.Value)
	}
}

// addValue adds one parameter. A JSON object or array value is flattened to
// fields named "<name>><path>", each with its own rule's meaning or, when it
// has none, the parameter's; invalid or oversized JSON is kept whole.
func (b *builder) addValue(name, value string) {
	m := b.rules.meaning(name)
	if !looksJSON(value) || !b.addJSON(name, []byte(value), m) {
		b.addAs(name, value, m)
	}
}

// addJSON flattens data under base (no prefix when base is ""). Leaves take
// the rules' meaning of their full name, else fallback. It reports false and
// adds nothing when data is not valid JSON or is too large to flatten.
func (b *builder) addJSON(base string, data []byte, fallback Meaning) bool {
	limit := maxJSONLeaves
	if base == "" {
		limit = maxBodyLeaves
	}
	leaves, ok := flattenJSON(base, data, limit)
	if !ok {
		return false
	}
	for _, l := range leaves {
		m := b.rules.meaning(l.Name)
		if m == Raw {
			m = fallback
		}
		b.addAs(l.Name, l.Value, m)
	}
	return true
}

// looksJSON reports whether s starts like a JSON object or array.
func looksJSON(s string) bool {
	s = strings.TrimSpace(s)
	return len(s) >= 2 && (s[0] == '{' && s[len(s)-1] == '}' || s[0] == '[' && s[len(s)-1] == ']')
}

// looksJSONBytes is looksJSON of a body, without copying it to a string.
func looksJSONBytes(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) >= 2 && (b[0] == '{' && b[len(b)-1] == '}' || b[0] == '[' && b[len(b)-1] == ']')
}

// joinPath names a nested value: "base>path" for a decoded parameter,
// "path" at the root, dotted below.
func joinPath(base, path string) string {
	switch {
	case base == "":
		return path
	case path == "":
		return base
	}
	return base + ">" + path
}

// flattenJSON turns a JSON document into leaves named by dotted paths in
// document order (array elements by index). Empty objects and arrays are
// kept as "{}" and "[]" leaves.
// At most limit leaves are produced; a larger document is not flattened.
func flattenJSON(base string, data []byte, limit int) ([]param, bool) {
	if !json.Valid(data) {
		return nil, false
	}
	f := newFlattener(data)
	f.limit = limit
	if err := f.value(""); err != nil {
		return nil, false
	}
	out := f.out
	for i := range out {
		out[i].Name = joinPath(base, out[i].Name)
	}
	return out, true
}

func newFlattener(data []byte) *flattener {
	f := &flattener{dec: json.NewDecoder(bytes.NewReader(data)), limit: maxJSONLeaves}
	f.dec.UseNumber()
	return f
}

type flattener struct {
	dec   *json.Decoder
	out   []param
	depth int
	limit int
}

var errTooBig = io.ErrShortBuffer

func (f *flattener) leaf(path, value string) error {
	if len(f.out) >= f.limit {
		return errTooBig
	}
	f.out = append(f.out, param{path, value})
	return nil
}

func (f *flattener) value(path string) error {
	tok, err := f.dec.Token()
	if err != nil {
		return err
	}
	switch t := tok.(type) {
	case json.Delim:
		f.depth++
		if f.depth > maxJSONDepth {
			return errTooBig
		}
		defer func() { f.depth-- }()
		if t == '{' {
			return f.object(path)
		}
		return f.array(path)
	case string:
		return f.leaf(path, t)
	case json.Number:
		return f.leaf(path, t.String())
	case bool:
		if t {
			return f.leaf(path, "true")
		}
		return f.leaf(path, "false")
	default:
		return f.leaf(path, "null")
	}
}

func (f *flattener) object(path string) error {
	n := 0
	for f.dec.More() {
		tok, err := f.dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		if err := f.value(dotted(path, key)); err != nil {
			return err
		}
		n++
	}
	if _, err := f.dec.Token(); err != nil {
		return err
	}
	if n == 0 {
		return f.leaf(path, "{}")
	}
	return nil
}

func (f *flattener) array(path string) error {
	n := 0
	for f.dec.More() {
		if err := f.value(dotted(path, itoa(n))); err != nil {
			return err
		}
		n++
	}
	if _, err := f.dec.Token(); err != nil {
		return err
	}
	if n == 0 {
		return f.leaf(path, "[]")
	}
	return nil
}

func dotted(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var buf [20]byte
	i := len(buf)
	for n > 0 {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	return string(buf[i:])
}
