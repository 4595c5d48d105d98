package consent

import (
	"fmt"
	"strconv"
	"strings"
)

// place is a set of places in a request a channel is read from.
type place uint8

// Places of a request.
const (
	inQuery  place = 1 << iota // URL query, and ;-separated or path parameters
	inForm                     // form-encoded body
	inJSON                     // JSON body, any depth
	inCookie                   // cookies sent
)

// channel is one way a consent value travels: the field names it uses
// (matched case-insensitively) and where. A strict channel has a name other
// things use too ("consent", "usp"): its value counts only when it decodes.
type channel struct {
	kind   Kind
	names  []string
	where  place
	strict bool
}

// channels is where consent shows in traffic, from the IAB TCF, GPP and
// US Privacy implementation guides, OpenRTB 2.5/2.6 (user.ext.consent,
// regs.gdpr, regs.gpp, regs.gpp_sid, regs.us_privacy) and CMP cookies.
var channels = []channel{
	{kind: KindTCF, where: inQuery | inForm | inJSON, names: []string{"gdpr_consent", "gdpr_consent_string",
		"gdprconsent", "euconsent", "euconsent-v2", "tc_string", "tcstring", "consent_string", "gdpr_pd_consent"}},
	{kind: KindTCF, where: inCookie, names: []string{"euconsent-v2", "euconsent"}},
	{kind: KindTCF, where: inQuery | inForm | inJSON, strict: true, names: []string{"consent", "gdpr_consent_v2", "tcf_consent"}},
	{kind: KindGDPRApplies, where: inQuery | inForm | inJSON, names: []string{"gdpr", "gdpr_applies", "gdprapplies"}},
	{kind: KindGPP, where: inQuery | inForm | inJSON, names: []string{"gpp_string", "gppstring"}},
	{kind: KindGPP, where: inQuery | inForm | inJSON, strict: true, names: []string{"gpp"}},
	{kind: KindGPP, where: inCookie, names: []string{"__gpp", "otgppconsent"}},
	{kind: KindGPPSID, where: inQuery | inForm | inJSON, names: []string{"gpp_sid", "gppsid", "gpp_sids"}},
	{kind: KindGPPSID, where: inCookie, names: []string{"__gpp_sid"}},
	{kind: KindUSP, where: inQuery | inForm | inJSON | inCookie, names: []string{"us_privacy", "usprivacy"}},
	{kind: KindUSP, where: inQuery | inForm | inJSON, strict: true, names: []string{"usp", "ccpa", "us_privacy_string"}},
	{kind: KindAddtlConsent, where: inQuery | inForm | inJSON | inCookie, names: []string{"addtl_consent", "addtlconsent"}},
}

// channelFor returns the channel a field name in a place belongs to: the
// first of the table, matching the name case-insensitively (Unicode
// simple folding, as strings.EqualFold).
func channelFor(name string, at place) (channel, bool) {
	if !isASCII(name) {
		return channelForFold(name, at)
	}
	for _, i := range channelNames.lookup(name) {
		if channels[i].where&at != 0 {
			return channels[i], true
		}
	}
	return channel{}, false
}

// channelForFold is channelFor by a walk of the table, for names a
// lower-case ASCII index cannot answer: non-ASCII ones, which may fold to
// a channel's name ("ſ" is "s").
func channelForFold(name string, at place) (channel, bool) {
	for _, c := range channels {
		if c.where&at == 0 {
			continue
		}
		for _, n := range c.names {
			if strings.EqualFold(n, name) {
				return c, true
			}
		}
	}
	return channel{}, false
}

// maxIndexedName bounds the names a nameIndex holds (TestNameIndexes).
const maxIndexedName = 64

// nameIndex finds lower-case ASCII names of a table: the positions of
// the entries naming each, and by first byte (both cases) a mask of the
// names' lengths (bit n for length n), to pass over most other names
// without a lookup. Names are at most maxIndexedName bytes.
type nameIndex struct {
	index map[string][]int
	lens  [256]uint64
}

// add indexes one lower-case ASCII name of table entry i.
func (x *nameIndex) add(name string, i int) {
	if x.index == nil {
		x.index = map[string][]int{}
	}
	if ps := x.index[name]; len(ps) == 0 || ps[len(ps)-1] != i {
		x.index[name] = append(ps, i)
	}
	x.lens[name[0]] |= 1 << len(name)
	x.lens[upperASCII(name[0])] |= 1 << len(name)
}

// mayHold reports whether an ASCII name may be indexed, by its first
// byte and length.
func (x *nameIndex) mayHold(name string) bool {
	return len(name) > 0 && len(name) < maxIndexedName && x.lens[name[0]]&(1<<len(name)) != 0
}

// lookup returns the entries an ASCII name (any case) names.
func (x *nameIndex) lookup(name string) []int {
	if !x.mayHold(name) {
		return nil
	}
	var buf [maxIndexedName]byte
	return x.index[string(lowerASCII(buf[:0], name))]
}

// channelNames indexes the channels' names; the table's names are lower
// case ASCII name bytes (TestChannelNames), each holding an anchor.
var channelNames = func() (x nameIndex) {
	for i, c := range channels {
		for _, n := range c.names {
			x.add(n, i)
		}
	}
	return x
}()

// isASCII reports whether s is all ASCII.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// lowerASCII appends s in ASCII lower case to dst.
func lowerASCII(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// upperASCII returns c in ASCII upper case.
func upperASCII(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - ('a' - 'A')
	}
	return c
}

// placeholder reports an ad-server macro left unfilled in place of a
// value ("${GDPR_CONSENT_755}", "[gdpr_consent]", "{{GDPR}}", "%%GDPR%%"):
// no consent value was sent, so there is nothing to report.
func placeholder(v string) bool {
	for _, p := range []string{"${", "{{", "%%", "[", "__"} {
		if strings.HasPrefix(v, p) {
			return true
		}
	}
	return strings.EqualFold(v, "undefined") || strings.EqualFold(v, "null")
}

// decodeValue fills s for a value of kind k. ok is false when a strict
// channel's value does not decode, or the value is not one at all.
func decodeValue(s *Signal, c channel) (ok bool) {
	var err error
	switch c.kind {
	case KindTCF:
		s.TC, err = ParseTC(s.Raw)
	case KindGPP:
		s.GPP, err = ParseGPP(s.Raw)
	case KindUSP:
		var u USP
		if u, err = ParseUSP(s.Raw); err == nil {
			s.USP = &u
		}
	case KindGDPRApplies:
		b, known := boolValue(s.Raw)
		if !known {
			return false // gdpr=... with another meaning
		}
		s.Applies = &b
	case KindGPPSID:
		s.SectionIDs, err = sectionIDs(s.Raw)
	case KindAddtlConsent:
		s.ACProviders, err = parseAddtlConsent(s.Raw)
	}
	if err != nil {
		// A strict channel's value that does not decode is something else;
		// a GPP string whose header decoded is one, with a bad section.
		if c.strict && (c.kind != KindGPP || s.GPP == nil) {
			return false
		}
		s.Err = err.Error()
	}
	return true
}

// boolValue reads 0/1/true/false.
func boolValue(v string) (b, ok bool) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true":
		return true, true
	case "0", "false":
		return false, true
	}
	return false, false
}

// sectionIDs reads a gpp_sid list: ids joined by "," or "_" (JSON arrays
// arrive joined by ","); -1 means none applies.
func sectionIDs(v string) ([]int, error) {
	var out []int
	for _, p := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == '_' || r == ' ' }) {
		n, err := strconv.Atoi(p)
		if err != nil || n < -1 || n > 1<<16 {
			return nil, fmt.Errorf("gpp_sid %q: %q is not a section id", clip(v), p)
		}
		if len(out) == maxGPPSections {
			return nil, fmt.Errorf("gpp_sid: more than %d ids", maxGPPSections)
		}
		out = append(out, n)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("gpp_sid %q: no ids", clip(v))
	}
	return out, nil
}

// parseAddtlConsent reads Google's Additional Consent string, "1~" then
// consented provider ids joined by "." (version 2 adds "~dv." and the
// disclosed ids, not returned).
func parseAddtlConsent(v string) ([]int, error) {
	parts := strings.Split(v, "~")
	if len(parts) < 2 || (parts[0] != "1" && parts[0] != "2") {
		return nil, fmt.Errorf("additional consent %q: not version 1 or 2", clip(v))
	}
	var out []int
	for _, p := range strings.Split(parts[1], ".") {
		if p == "" {
			continue
		}
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("additional consent: %q is not a provider id", clip(p))
		}
		out = append(out, n)
	}
	return out, nil
}
