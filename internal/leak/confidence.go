package leak

import (
	"strings"
)

// How sure a pattern finding is comes from its context, read from tables
// so that a new rule is a new row: the name of the field that holds it,
// what surrounds it in the value, and whether a tag scraped it from the
// page. Findings are kept at every confidence (reports count high by
// default); only a match proven not to be a value at all is dropped.

// nameClass is what a field name says about the value it holds.
type nameClass uint8

const (
	nameNone       nameClass = iota
	nameTechnical            // random numbers, cache-busters, timestamps, counters, versions
	nameIdentifier           // IDs of users, sessions, devices, ads
	namePayment
	namePhone
	nameEmail
	nameAddress
	nameSSN
	nameTracking
)

// How a nameRule compares with a field name (lower case).
const (
	exact = iota
	prefix
	suffix
	contains
)

// nameRules classify the last segment of a finding's Location. The first
// matching row wins, so exact names come first and the loose suffix and
// substring rows last.
var nameRules = []struct {
	how   int
	text  string
	class nameClass
}{
	// Technical: the values ad servers and tags make up per hit.
	{exact, "cb", nameTechnical}, {exact, "ord", nameTechnical}, {exact, "rnd", nameTechnical},
	{exact, "rand", nameTechnical}, {exact, "random", nameTechnical}, {exact, "correlator", nameTechnical},
	{exact, "cachebuster", nameTechnical}, {exact, "cache_buster", nameTechnical}, {exact, "cache-buster", nameTechnical},
	{exact, "bust", nameTechnical}, {exact, "buster", nameTechnical}, {exact, "nocache", nameTechnical},
	{exact, "ts", nameTechnical}, {exact, "t", nameTechnical}, {exact, "_", nameTechnical},
	{exact, "time", nameTechnical}, {exact, "timestamp", nameTechnical}, {exact, "z", nameTechnical},
	{exact, "r", nameTechnical}, {exact, "c", nameTechnical}, {exact, "n", nameTechnical},
	{exact, "nonce", nameTechnical}, {exact, "seq", nameTechnical}, {exact, "sequence", nameTechnical},
	{exact, "v", nameTechnical}, {exact, "ver", nameTechnical}, {exact, "version", nameTechnical},
	{exact, "dt", nameTechnical}, {exact, "tm", nameTechnical}, {exact, "ms", nameTechnical},
	{exact, "cas", nameTechnical}, {exact, "it", nameTechnical}, {exact, "x", nameTechnical},
	{exact, "counter", nameTechnical}, {exact, "_t", nameTechnical}, {exact, "_r", nameTechnical},
	{exact, "_z", nameTechnical}, {exact, "_ts", nameTechnical}, {exact, "_rnd", nameTechnical},
	{suffix, "_ord", nameTechnical}, {suffix, "_cb", nameTechnical}, {suffix, "_ts", nameTechnical},
	{suffix, "_time", nameTechnical}, {suffix, "timestamp", nameTechnical}, {suffix, "random", nameTechnical},
	{prefix, "cachebust", nameTechnical}, {suffix, "nonce", nameTechnical}, {suffix, "correlator", nameTechnical},
	// Payment, phone, e-mail, address and SSN names, before the loose
	// identifier suffixes ("ccid" is still a card field).
	{exact, "cc", namePayment}, {exact, "ccn", namePayment}, {exact, "pan", namePayment},
	{exact, "cnum", namePayment}, {contains, "cardnum", namePayment}, {contains, "card_num", namePayment},
	{contains, "card-num", namePayment}, {contains, "creditcard", namePayment}, {contains, "credit_card", namePayment},
	{contains, "ccnum", namePayment}, {contains, "cc_num", namePayment}, {contains, "cc-num", namePayment},
	{contains, "ccno", namePayment}, {contains, "payment", namePayment}, {exact, "acct", namePayment},
	{exact, "acctnum", namePayment}, {exact, "acct_num", namePayment}, {exact, "acctno", namePayment},
	{contains, "cardno", namePayment}, {exact, "card", namePayment}, {prefix, "card_", namePayment},
	{prefix, "cc_", namePayment}, {prefix, "cc-", namePayment}, {suffix, "_pan", namePayment},
	{contains, "phone", namePhone}, {contains, "mobile", namePhone}, {exact, "tel", namePhone},
	{prefix, "tel_", namePhone}, {prefix, "telephone", namePhone}, {prefix, "telefon", namePhone},
	{exact, "ph", namePhone}, {exact, "pn", namePhone}, {exact, "cell", namePhone}, {exact, "fax", namePhone},
	{contains, "msisdn", namePhone}, {contains, "whatsapp", namePhone}, {exact, "sms", namePhone},
	{contains, "email", nameEmail}, {contains, "e-mail", nameEmail}, {contains, "mail", nameEmail},
	{exact, "em", nameEmail},
	{contains, "address", nameAddress}, {contains, "street", nameAddress}, {contains, "addr", nameAddress},
	{contains, "billing", nameAddress}, {contains, "shipping", nameAddress},
	{exact, "ssn", nameSSN}, {contains, "social_security", nameSSN}, {contains, "socialsecurity", nameSSN},
	{exact, "tin", nameSSN}, {contains, "taxid", nameSSN}, {contains, "tax_id", nameSSN},
	{contains, "tracking", nameTracking}, {contains, "tracknum", nameTracking}, {contains, "trackno", nameTracking},
	{contains, "track_no", nameTracking}, {exact, "track", nameTracking}, {contains, "shipment", nameTracking},
	{contains, "parcel", nameTracking}, {contains, "waybill", nameTracking}, {exact, "awb", nameTracking},
	{contains, "consignment", nameTracking}, {contains, "tlabel", nameTracking}, {contains, "fedex", nameTracking},
	// Identifiers.
	{exact, "id", nameIdentifier}, {exact, "uid", nameIdentifier}, {exact, "guid", nameIdentifier},
	{exact, "uuid", nameIdentifier}, {exact, "sid", nameIdentifier}, {exact, "cid", nameIdentifier},
	{exact, "vid", nameIdentifier}, {exact, "pid", nameIdentifier}, {exact, "aid", nameIdentifier},
	{exact, "tid", nameIdentifier}, {exact, "did", nameIdentifier}, {exact, "gid", nameIdentifier},
	{exact, "u", nameIdentifier}, {exact, "session", nameIdentifier}, {exact, "token", nameIdentifier},
	{exact, "hash", nameIdentifier}, {exact, "key", nameIdentifier}, {exact, "fbp", nameIdentifier},
	{exact, "fbc", nameIdentifier}, {exact, "_ga", nameIdentifier}, {exact, "ga", nameIdentifier},
	{suffix, "_id", nameIdentifier}, {suffix, "-id", nameIdentifier}, {suffix, "id", nameIdentifier},
	{suffix, "uuid", nameIdentifier}, {suffix, "guid", nameIdentifier}, {contains, "session", nameIdentifier},
	{suffix, "token", nameIdentifier}, {suffix, "_key", nameIdentifier}, {contains, "visitor", nameIdentifier},
	{contains, "clid", nameIdentifier}, {suffix, "_uid", nameIdentifier}, {contains, "cookie", nameIdentifier},
}

// classifyName returns the class of a field name and the name as written.
func classifyName(loc string) (nameClass, string) {
	name := lastName(loc)
	low := strings.ToLower(name)
	if low == "" {
		return nameNone, name
	}
	for _, r := range nameRules {
		var ok bool
		switch r.how {
		case exact:
			ok = low == r.text
		case prefix:
			ok = strings.HasPrefix(low, r.text)
		case suffix:
			ok = strings.HasSuffix(low, r.text)
		default:
			ok = strings.Contains(low, r.text)
		}
		if ok {
			return r.class, name
		}
	}
	return nameNone, name
}

// genericNames say nothing about what they hold; the name of the field
// around them does ("fields[].phone.value" is a phone).
var genericNames = map[string]bool{"value": true, "val": true, "text": true, "data": true,
	"content": true, "input": true, "answer": true, "response": true}

// lastName is the innermost meaningful field name of a Location: of the
// names joined by " > ", '.' and brackets ("ud[em]" -> "em", "e[].x" ->
// "x"), the last one that is not generic.
func lastName(loc string) string {
	loc = strings.TrimPrefix(loc, "Set-Cookie: ")
	if i := strings.LastIndex(loc, " > "); i >= 0 && !genericNames[strings.ToLower(strings.Trim(loc[i+3:], "[]"))] {
		loc = loc[i+3:]
	}
	end := len(loc)
	for end > 0 {
		start := strings.LastIndexAny(loc[:end], ".[]>")
		name := strings.TrimLeft(strings.TrimSpace(loc[start+1:end]), ";/#?$@")
		if name != "" && !genericNames[strings.ToLower(name)] {
			return name
		}
		end = max(start, 0)
	}
	return ""
}

// scrapedRules mark page content a tag read and sent: the site's own
// published text, links and structured data, usually the site's contact
// details rather than a visitor's. A row matches a Location containing
// its text (lower case).
var scrapedRules = []struct{ text, what string }{
	{"buttonfeatures", "a button or link on the page that the tag described (Meta's automatic events)"},
	{"buttontext", "the text of a button on the page that the tag read"},
	{"formfeatures", "a form's description that the tag read from the page"},
	{"pagefeatures", "page text that the tag read"},
	{"json-ld", "the page's schema.org structured data (JSON-LD) that the tag scraped"},
	{"schema.org", "the page's schema.org structured data that the tag scraped"},
	{"microdata", "the page's structured data that the tag scraped"},
	{"opengraph", "the page's Open Graph meta tags that the tag scraped"},
	{"cd[meta]", "the page's meta tags that the tag scraped"},
	{"og:", "the page's Open Graph meta tags that the tag scraped"},
	{"didom", "a DOM snapshot of the page for session replay (Decibel Insight)"},
	{"childnodes", "a DOM snapshot of the page for session replay"},
	{"innertext", "the text of a page element that the tag read"},
	{"innerhtml", "the markup of a page element that the tag read"},
	{"outerhtml", "the markup of a page element that the tag read"},
	{"textcontent", "the text of a page element that the tag read"},
	{"link_text", "the text of a link the visitor clicked, which the tag read"},
	{"linktext", "the text of a link the visitor clicked, which the tag read"},
	{"link_url", "the target of a link the visitor clicked, which the tag read"},
	{"linkurl", "the target of a link the visitor clicked, which the tag read"},
	{"clicktext", "the text of an element the visitor clicked, which the tag read"},
	{"click_text", "the text of an element the visitor clicked, which the tag read"},
	{"clickurl", "the target of a link the visitor clicked, which the tag read"},
	{"click_url", "the target of a link the visitor clicked, which the tag read"},
	{"elementtext", "the text of an element the visitor clicked, which the tag read"},
	{"element_text", "the text of an element the visitor clicked, which the tag read"},
	{"elementurl", "the target of a link the visitor clicked, which the tag read"},
	{"destination", "the target of a link on the page that the tag read"},
	{"href", "a link on the page that the tag read"},
}

// scrapedPrefixes mark a value that is the target of a link.
var scrapedPrefixes = []struct{ text, what string }{
	{"mailto:", "a mailto: link on the page"},
	{"tel:", "a tel: link on the page"},
	{"callto:", "a callto: link on the page"},
	{"sms:", "an sms: link on the page"},
}

// scraped says what page content the finding sits in, or "".
func scraped(loc string, v []byte, start int) string {
	low := strings.ToLower(loc)
	for _, r := range scrapedRules {
		if strings.Contains(low, r.text) {
			return r.what
		}
	}
	for _, p := range scrapedPrefixes {
		if n := len(p.text); start >= n && strings.EqualFold(string(v[start-n:start]), p.text) {
			return p.what
		}
		if n := len(p.text); start+n <= len(v) && strings.EqualFold(string(v[start:start+n]), p.text) {
			return p.what
		}
	}
	return ""
}
