package pixel

import "net/url"

// integralAdScience decodes Integral Ad Science (adsafeprotected.com)
// measurement calls: pixel.adsafeprotected.com/jload, /mon, /rfw/...,
// /services/pub and the viewability pings dt.adsafeprotected.com/dt. The
// library hosts (static., cdn.) serve scripts only; a request without
// parameters carries no data and yields no hit.
var integralAdScience = paramVendor{
	Vendor: "Integral Ad Science", Product: "Integral Ad Science",
	Match: func(u *url.URL) bool {
		return hostIs(u, "adsafeprotected.com") && !hostIs(u, "static.adsafeprotected.com", "cdn.adsafeprotected.com")
	},
	Rules: makeRules(map[string]Meaning{
		"anid": AccountID, "advid": CustomData, "advEntityId": AccountID, "pubid": CustomData,
		"campid": CustomData, "chanid": CustomData, "placementid": CustomData, "pubcreative": CustomData,
		"puborder": CustomData, "custom*": CustomData, "slot": CustomData,
		"adsafe_url": PageURL, "url": PageURL, "adsafe_jsinfo": Technical, "adsafe_type": Technical,
		"adsafe_par": Technical, "asid": Technical, "tv": Technical, "br": Device, "cb": Technical,
		"ias_callback": Technical, "sr": Device, "wr": Technical, "ref": Referrer,
	}),
	Event: pathLast,
}.decoder()
