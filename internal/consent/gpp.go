package consent

import (
	"errors"
	"fmt"
	"strings"
)

// GPP is a decoded IAB Global Privacy Platform string: the header's version
// and section ids, and each section, decoded where the package knows it.
type GPP struct {
	Version    int          `json:"version"`
	SectionIDs []int        `json:"section_ids"`
	Sections   []GPPSection `json:"sections"`
}

// GPPSection is one section of a GPP string. At most one of TC, USP, US is
// set; Err says why a known section could not be decoded.
type GPPSection struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
	Raw  string `json:"raw"`
	// TC is the decoded tcfeuv2 section.
	TC *TCString `json:"tc,omitempty"`
	// USP is the decoded uspv1 section.
	USP *USP `json:"usp,omitempty"`
	// US is the decoded usnat or US state section.
	US  *USSection `json:"us,omitempty"`
	Err string     `json:"error,omitempty"`
}

// Section returns the section with the given id.
func (g *GPP) Section(id int) (*GPPSection, bool) {
	for i := range g.Sections {
		if g.Sections[i].ID == id {
			return &g.Sections[i], true
		}
	}
	return nil, false
}

// gppSectionNames are the section ids of the GPP specification's registry.
var gppSectionNames = map[int]string{
	1: "tcfeuv1", 2: "tcfeuv2", 3: "header", 4: "gpp signal integrity", 5: "tcfcav1", 6: "uspv1",
	7: "usnat", 8: "usca", 9: "usva", 10: "usco", 11: "usut", 12: "usct", 13: "usfl", 14: "usmt",
	15: "usor", 16: "ustx", 17: "usde", 18: "usia", 19: "usne", 20: "usnh", 21: "usnj", 22: "ustn", 23: "usmn",
}

// GPPSectionName returns the registry name of a GPP section id
// ("section N" when unknown).
func GPPSectionName(id int) string {
	if n, ok := gppSectionNames[id]; ok {
		return n
	}
	return fmt.Sprintf("section %d", id)
}

// maxGPPSections bounds the number of sections read.
const maxGPPSections = 64

// ParseGPP decodes a GPP string ("DBABMA~CP...~1YNN"). A bad header is an
// error with no result; sections that fail to decode keep their raw value
// and Err, and the returned error joins their errors.
func ParseGPP(s string) (*GPP, error) {
	if len(s) > maxEncodedLen {
		return nil, fmt.Errorf("GPP string: %d characters, more than %d", len(s), maxEncodedLen)
	}
	parts := strings.Split(s, "~")
	if len(parts)-1 > maxGPPSections {
		return nil, fmt.Errorf("GPP string: %d sections, more than %d", len(parts)-1, maxGPPSections)
	}
	g, err := parseGPPHeader(parts[0], len(parts)-1)
	if err != nil {
		return nil, fmt.Errorf("GPP header: %w", err)
	}
	var errs []error
	for i, id := range g.SectionIDs {
		sec := decodeGPPSection(id, parts[i+1])
		if sec.Err != "" {
			errs = append(errs, fmt.Errorf("GPP section %s: %s", sec.Name, sec.Err))
		}
		g.Sections = append(g.Sections, sec)
	}
	return g, errors.Join(errs...)
}

// parseGPPHeader reads type (6 bits, 3), version (6 bits) and the section
// ids, a Fibonacci range; there must be one id per section that follows.
func parseGPPHeader(h string, sections int) (*GPP, error) {
	r, err := newBitReader(h)
	if err != nil {
		return nil, err
	}
	typ, err := r.int(6)
	if err != nil {
		return nil, err
	}
	if typ != 3 {
		return nil, fmt.Errorf("type %d, not 3", typ)
	}
	g := &GPP{}
	if g.Version, err = r.int(6); err != nil {
		return nil, fmt.Errorf("version: %w", err)
	}
	if g.SectionIDs, err = readFibonacciRange(r, sections); err != nil {
		return nil, fmt.Errorf("section ids: %w", err)
	}
	if len(g.SectionIDs) != sections {
		return nil, fmt.Errorf("%d section ids for %d sections", len(g.SectionIDs), sections)
	}
	return g, nil
}

// readFibonacciRange reads a count (12 bits) and that many entries, each
// an id or a range (IsARange bit), as Fibonacci offsets: an id from the
// previous one, a range's end from its start. It stops with an error once
// more than limit ids are named.
func readFibonacciRange(r *bitReader, limit int) ([]int, error) {
	n, err := r.int(12)
	if err != nil {
		return nil, err
	}
	var ids []int
	last := 0
	for i := 0; i < n; i++ {
		isRange, err := r.bool()
		if err != nil {
			return nil, err
		}
		off, err := r.fibonacci()
		if err != nil {
			return nil, err
		}
		from, to := last+off, last+off
		if isRange {
			span, err := r.fibonacci()
			if err != nil {
				return nil, err
			}
			to = from + span
		}
		if to-from+1 > limit-len(ids) {
			return nil, fmt.Errorf("more section ids than the %d sections", limit)
		}
		for id := from; id <= to; id++ {
			ids = append(ids, id)
		}
		last = to
	}
	return ids, nil
}

// decodeGPPSection decodes one section by id.
func decodeGPPSection(id int, raw string) GPPSection {
	sec := GPPSection{ID: id, Name: GPPSectionName(id), Raw: raw}
	var err error
	switch id {
	case 2:
		sec.TC, err = ParseTC(raw)
	case 6:
		var u USP
		if u, err = ParseUSP(raw); err == nil {
			sec.USP = &u
		}
	default:
		for _, spec := range usSpecs {
			if spec.id == id {
				sec.US, err = parseUS(spec, raw)
			}
		}
	}
	if err != nil {
		sec.Err = err.Error()
	}
	return sec
}
