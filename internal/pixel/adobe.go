package pixel

import (
	"net/url"
	"strings"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// adobeAnalytics decodes Adobe Analytics image requests
// /b/ss/<rsid>/<n>/<version>/s<rand>, on Adobe hosts or a first-party
// CNAME. Context data between "c." and ".c" markers (and nested "x." ...
// ".x" blocks) is named by its dotted path, e.g. "c.a.activitymap.page".
var adobeAnalytics = Decoder{
	Vendor:  "Adobe",
	Product: "Adobe Analytics",
	Match: func(_ *traffic.Request, u *url.URL) bool {
		return pathHasPrefix(u, "/b/ss/") && pathSegment(u, 2) != ""
	},
	Decode: decodeAdobe,
}

var adobeRules = makeRules(map[string]Meaning{
	"pagename": Title, "gn": Title, "g": PageURL, "r": Referrer, "-g": PageURL,
	"v*": CustomData, "c*": CustomData, "l*": CustomData, "h*": CustomData,
	"events": EventName, "products": CustomData, "purchaseid": CustomData,
	"zip": PlainPII, "state": PlainPII, "ch": CustomData, "server": CustomData,
	"cc": CustomData, "xact": CustomData, "pev1": PageURL, "pev2": CustomData, "pev3": CustomData,
	"mid": BrowserID, "aid": BrowserID, "vid": BrowserID, "fid": BrowserID, "mcmid": BrowserID,
	"pe": Technical, "aqb": Technical, "aqe": Technical, "ndh": Technical, "pf": Technical,
	"t": Technical, "ts": Technical, "ce": Technical, "cdp": Technical, "cl": Technical,
	"callback": Technical, "et": Technical, "fpcookiedomainperiods": Technical, "mcorgid": Technical,
	"mcaamlh": Technical, "mcaamb": Technical, "aamlh": Technical, "lrt": Technical, "pccr": Technical,
	"ns": Technical, "sv": Technical, "rs": Technical, "sdid": Technical, "aamb": Technical,
	"s": Device, "c": Device, "j": Device, "v": Device, "k": Device, "bw": Device, "bh": Device,
	"p": Device, "jv": Device, "ct": Device, "hp": Device, "dfa": Technical,
	"c.*": CustomData,
})

func decodeAdobe(r *traffic.Request, u *url.URL) []Hit {
	b := newBuilder("Adobe", "Adobe Analytics", adobeRules)
	b.hit.Account = pathSegment(u, 2)
	var stack []string
	for _, p := range allParams(r, u) {
		switch {
		case strings.HasSuffix(p.Name, ".") && p.Value == "" && len(p.Name) > 1:
			stack = append(stack, strings.TrimSuffix(p.Name, "."))
			continue
		case strings.HasPrefix(p.Name, ".") && p.Value == "" && len(stack) > 0 &&
			p.Name[1:] == stack[len(stack)-1]:
			stack = stack[:len(stack)-1]
			continue
		}
		if len(stack) > 0 {
			b.addAs(strings.Join(stack, ".")+"."+p.Name, p.Value, CustomData)
			continue
		}
		b.addValue(p.Name, p.Value)
	}
	if b.hit.Event == "" && !hasMeaning(b.hit.Fields, EventName) {
		b.hit.Event = "page view"
		if pe := fieldValue(b.hit.Fields, "pe"); pe != "" {
			b.hit.Event = pe
		}
	}
	return []Hit{b.hit}
}
