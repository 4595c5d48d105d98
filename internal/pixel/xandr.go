package pixel

import "net/url"

// xandrPixel decodes Microsoft Xandr (AppNexus) pixels on adnxs.com: the
// universal pixel /pixie (pi pixel ID, e event, u page URL), conversion
// and segment pixels /px?id=..&seg=..&t=1|2 and /seg?add=..&t=1|2. The
// /getuid, /setuid, /bounce redirects are ID syncs, not pixel hits.
var xandrPixel = paramVendor{
	Vendor: "Microsoft", Product: "Xandr pixel",
	Match: func(u *url.URL) bool {
		return hostIs(u, "adnxs.com") && (pathIs(u, "/pixie", "/px", "/seg") || pathHasPrefix(u, "/pixie/"))
	},
	Rules: makeRules(map[string]Meaning{
		"pi": AccountID, "e": EventName, "u": PageURL, "r": Referrer, "id": AccountID,
		"member": AccountID, "seg": CustomData, "add": CustomData, "remove": CustomData,
		"t": Technical, "it": Technical, "st": Technical, "et": Technical, "v": Technical,
		"if": Technical, "redir": Technical, "order_id": CustomData, "value": CustomData,
		"other": CustomData, "item_*": CustomData, "gdpr": Technical, "gdpr_consent": Technical,
		"us_privacy": Technical, "gpp": Technical, "gpp_sid": Technical,
	}),
	Event: func(u *url.URL) string {
		if pathIs(u, "/pixie") || pathHasPrefix(u, "/pixie/") {
			return "pixie"
		}
		if pathIs(u, "/seg") {
			return "segment"
		}
		return "conversion"
	},
}.decoder()
