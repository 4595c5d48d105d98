package pixel

import "net/url"

// taboola decodes Taboola calls on taboola.com: the pixel
// trc.taboola.com/<publisher>/log/3/unip?en=<event> (also trc-events.
// engagement pings and the other /log/3/ event types) and the feed request
// /<publisher>/trc/3/json whose data parameter is JSON describing the page
// and the visitor. /sg/ paths are ID syncs; libtrc scripts are not hits.
var taboola = paramVendor{
	Vendor: "Taboola", Product: "Taboola",
	Match: func(u *url.URL) bool {
		if !hostIs(u, "taboola.com") || pathHasPrefix(u, "/sg/", "/libtrc/") {
			return false
		}
		seg := pathSegment(u, 1)
		return (seg == "log" || seg == "trc") && pathSegment(u, 2) == "3"
	},
	Rules: makeRules(map[string]Meaning{
		"en": EventName, "name": EventName, "ui": BrowserID, "sd": BrowserID, "item-url": PageURL,
		"ref": Referrer, "vi": Technical, "ri": Technical, "tim": Technical, "cv": Technical,
		"tos": Technical, "scd": Technical, "ssd": Technical, "est": Technical, "ver": Technical,
		"isls": Technical, "src": Technical, "invt": Technical, "rv": Technical, "msa": Technical,
		"revenue": CustomData, "currency": CustomData, "orderid": CustomData, "quantity": CustomData,
		"data>u": PageURL, "data>ii": PageURL, "data>ui": BrowserID, "data>sd": BrowserID,
		"data>vi": Technical, "data>cv": Technical, "data>uiv": Technical, "data>*": CustomData,
		"id": AccountID, "tfa_*": CustomData, "cb": Technical, "llvl": Technical, "pi": Technical,
		"eflp": BrowserID, "uils": BrowserID,
	}),
	Account: pathSegmentAt(0),
	Event: func(u *url.URL) string {
		if pathSegment(u, 1) == "trc" {
			return "recommendations"
		}
		return pathSegment(u, 3)
	},
}.decoder()
