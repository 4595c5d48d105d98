package pixel

import (
	"net/url"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// oracleInfinity decodes Oracle Infinity (formerly WebTrends) hits:
// dc.oracleinfinity.io/<account>/dcs.gif (or /v3/<account>) with dcs* and
// wt.* parameters plus the site's own.
var oracleInfinity = Decoder{
	Vendor:  "Oracle",
	Product: "Oracle Infinity",
	Match: func(_ *traffic.Request, u *url.URL) bool {
		return hostIs(u, "dc.oracleinfinity.io") && (pathHasPrefix(u, "/v3/") || pathSegment(u, 1) == "dcs.gif")
	},
	Decode: func(r *traffic.Request, u *url.URL) []Hit {
		h := paramHit("Oracle", "Oracle Infinity", oracleRules, allParams(r, u))
		addBodyRest(&h, r, oracleRules)
		h.Account = pathSegment(u, 0)
		if h.Account == "v3" {
			h.Account = pathSegment(u, 1)
		}
		return []Hit{h}
	},
}

var oracleRules = makeRules(map[string]Meaning{
	"dcsuri": PageURL, "dcsref": Referrer, "dcsqry": PageURL, "wt.es": PageURL, "wt.ti": Title,
	"wt.dl": EventName, "wt.ev": EventName, "wt.co_f": BrowserID, "wt.vtid": BrowserID,
	"wt.vt_sid": BrowserID, "wt.vt_f*": Technical, "wt.seg_*": CustomData,
	"wt.bh": Device, "wt.bs": Device, "wt.sr": Device, "wt.cd": Device, "wt.ul": Device,
	"wt.tz": Device, "wt.jo": Device, "wt.js": Device, "wt.jv": Device, "wt.ct": Device,
	"wt.*": Technical, "dcssip": Technical, "dcsdat": Technical, "ora.*": Technical, "dcs*": Technical,
})
