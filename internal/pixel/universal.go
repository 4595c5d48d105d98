package pixel

import (
	"net/url"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// universalAnalytics decodes legacy Universal Analytics (v=1) hits:
// /collect, /j/collect, /r/collect and /batch (one hit per body line).
var universalAnalytics = Decoder{
	Vendor:  "Google",
	Product: "Universal Analytics",
	Match: func(_ *traffic.Request, u *url.URL) bool {
		return hostIs(u, "google-analytics.com", "stats.g.doubleclick.net") &&
			pathIs(u, "/collect", "/j/collect", "/r/collect", "/batch", "/j/batch")
	},
	Decode: decodeUA,
}

var uaRules = makeRules(map[string]Meaning{
	"tid": AccountID, "t": EventName,
	"dl": PageURL, "dp": PageURL, "dh": PageURL, "dt": Title, "dr": Referrer,
	"uid": UserID, "cid": BrowserID, "_gid": BrowserID, "gclid": ClickID, "dclid": ClickID,
	"cd*": CustomData, "cm*": CustomData, "cg*": CustomData,
	"ec": CustomData, "ea": CustomData, "el": CustomData, "ev": CustomData,
	"pa": CustomData, "cos": CustomData, "col": CustomData, "ti": CustomData, "tr": CustomData, "pr*": CustomData, "il*": CustomData,
	"cu": CustomData, "ta": CustomData, "tcc": CustomData, "in": CustomData, "iv": CustomData,
	"ul": Device, "sr": Device, "sd": Device, "vp": Device, "de": Device, "je": Device, "fl": Device,
	"v": Technical, "_v": Technical, "a": Technical, "_s": Technical, "_u": Technical,
	"jid": Technical, "gjid": Technical, "_r": Technical, "_slc": Technical, "z": Technical,
	"ni": Technical, "gtm": Technical, "aip": Technical, "_gaz": Technical, "npa": Technical,
	"_utma": BrowserID, "_utmz": CustomData, "_utmht": Technical, "ds": Technical,
})

func decodeUA(r *traffic.Request, u *url.URL) []Hit {
	query := queryParams(u)
	lines := bodyLines(r)
	if len(lines) == 0 {
		return []Hit{uaHit(query)}
	}
	out := make([]Hit, 0, len(lines))
	for _, line := range lines {
		out = append(out, uaHit(mergeParams(query, parseQuery(line))))
	}
	return out
}

func uaHit(ps []param) Hit {
	h := googleHit("Universal Analytics", uaRules, ps)
	if ea := fieldValue(h.Fields, "ea"); ea != "" && fieldValue(h.Fields, "t") == "event" {
		h.Event = ea
	}
	return h
}
