package pixel

import (
	"net/url"
	"strings"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// criteoOneTag decodes Criteo OneTag events: GET sslwidget.criteo.com/event
// (and the measurement-api conversion mirror) where each pN parameter is
// itself a query: fields "p1>e", "p2>m".
var criteoOneTag = Decoder{
	Vendor:  "Criteo",
	Product: "Criteo OneTag",
	Match: func(_ *traffic.Request, u *url.URL) bool {
		return hostIs(u, "sslwidget.criteo.com", "widget.criteo.com", "dis.criteo.com") && pathIs(u, "/event") ||
			hostIs(u, "measurement-api.criteo.com") && pathIs(u, "/conversiontracking")
	},
	Decode: decodeCriteo,
}

var criteoRules = makeRules(map[string]Meaning{
	"a": AccountID, "fu": PageURL, "pu": Referrer, "ref": Referrer,
	"bundle": BrowserID, "ceid": Technical, "v": Technical, "tld": Technical, "dy": Technical,
	"adce": Technical, "dtycbr": Technical, "cb": Technical, "sc_r": Device, "sc_l": Device,
	"ptv": Technical, "rt": Technical, "gdpr": Technical, "gdpr_consent": Technical,
})

// criteoNested names the keys of a pN event query.
var criteoNested = makeRules(map[string]Meaning{
	"e": EventName, "p": CustomData, "item": CustomData, "id": CustomData, "ci": UserID,
	"site_type": Device, "tms": Technical, "h": Technical, "k": CustomData, "c": CustomData,
	"dc": CustomData, "price": CustomData, "quantity": CustomData, "currency": CustomData,
	"zip": PlainPII, "checkin_date": CustomData, "checkout_date": CustomData,
})

func decodeCriteo(r *traffic.Request, u *url.URL) []Hit {
	b := newBuilder("Criteo", "Criteo OneTag", criteoRules)
	var events []string
	for _, p := range allParams(r, u) {
		if len(p.Name) < 2 || p.Name[0] != 'p' || !isDigits(p.Name[1:]) || !strings.Contains(p.Value, "=") {
			b.addValue(p.Name, p.Value)
			continue
		}
		for _, sub := range parseQuery(p.Value) {
			m := criteoNested.meaning(sub.Name)
			if sub.Name == "m" {
				m = criteoEmailMeaning(sub.Value)
			}
			if m == EventName && sub.Value != "" {
				events = append(events, sub.Value)
			}
			b.addAs(p.Name+">"+sub.Name, sub.Value, m)
		}
	}
	b.hit.Event = strings.Join(events, ",")
	return []Hit{b.hit}
}

// criteoEmailMeaning tags an "m" (email) value: it may be sent in
// plaintext, MD5 or SHA-256, bracketed as "[...]".
func criteoEmailMeaning(v string) Meaning {
	v = strings.Trim(v, "[]\"")
	if v == "" || looksHashed(v) {
		return HashedEmail
	}
	return PlainPII
}
