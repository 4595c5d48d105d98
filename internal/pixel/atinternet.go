package pixel

import "net/url"

// atInternet decodes AT Internet (Piano Analytics) hits: /hit.xiti on
// logs*.xiti.com or a first-party collection domain (the path is
// distinctive), and Piano Analytics /event?s=<site> on *.pa-cd.com. s is
// the site number, idclient the visitor, an/at the site's own visitor IDs.
var atInternet = paramVendor{
	Vendor: "Piano", Product: "AT Internet",
	Match: func(u *url.URL) bool {
		return pathIs(u, "/hit.xiti") || hostIs(u, "xiti.com", "pa-cd.com") && pathIs(u, "/event", "/hit.xiti")
	},
	Rules: makeRules(map[string]Meaning{
		"s": AccountID, "idclient": BrowserID, "an": UserID, "at": UserID, "ac": CustomData,
		"p": Title, "s2": CustomData, "ref": Referrer, "mc": CustomData, "np": CustomData,
		"click": EventName, "type": EventName, "pclick": CustomData, "s2click": CustomData,
		"x*": CustomData, "f*": CustomData, "ptype": CustomData, "aisl": CustomData,
		"r": Device, "re": Device, "lng": Device, "dg": Device, "hl": Device,
		"ts": Technical, "vtag": Technical, "ptag": Technical, "col": Technical, "from": Technical,
		"idp": Technical, "jv": Technical, "cn": Technical, "m*": CustomData, "events": CustomData,
	}),
	Event: eventNamed("page view"),
}.decoder()
