package pixel

// tradeDeskPixel decodes The Trade Desk pixels on insight.adsrvr.org:
// the universal pixel /track/up (adv advertiser, upid pixel, ref page), the
// conversion and event trackers /track/pxl/, /track/conv/, /track/evnt/
// (ct "0:<tracker>", orderid, v value, td1..td10 custom data). A call
// without parameters (an iframe load) yields no hit; match.adsrvr.org ID
// syncs and js.adsrvr.org scripts are not pixels.
var tradeDeskPixel = paramVendor{
	Vendor: "The Trade Desk", Product: "The Trade Desk pixel",
	Match: matchHostPath([]string{"insight.adsrvr.org"}, "/track/"),
	Rules: makeRules(map[string]Meaning{
		"adv": AccountID, "ref": PageURL, "upid": CustomData, "ct": CustomData, "orderid": CustomData,
		"v": CustomData, "vf": CustomData, "td*": CustomData, "ttd_puid": UserID, "ttd_pid": Technical,
		"ttd_tpi": Technical, "upv": Technical, "fmt": Technical, "gtmcb": Technical, "ret": Technical,
		"paapi": Technical, "gdpr": Technical, "gdpr_consent": Technical, "us_privacy": Technical,
		"gpp": Technical, "gpp_sid": Technical, "dur": Technical, "tags": Technical,
	}),
	Event: pathLast,
}.decoder()
