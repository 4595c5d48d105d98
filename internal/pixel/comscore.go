package pixel

import (
	"net/url"
	"strings"
)

// comscore decodes Comscore (Scorecard Research) beacons: /b, /b2, /p, /p2
// (and the ad-measurement /r, /r2) on scorecardresearch.com, and the same
// /b?c1=..&c2=.. beacon on a first-party proxy or CNAME, matched by its
// shape (/b or /b2 with c1 and a numeric c2). c2 is the Comscore client ID.
var comscore = paramVendor{
	Vendor: "Comscore", Product: "Comscore",
	Match: func(u *url.URL) bool {
		if hostIs(u, "scorecardresearch.com") {
			return pathIs(u, "/b", "/b2", "/p", "/p2", "/r", "/r2")
		}
		return pathIs(u, "/b", "/b2") && queryHas(u, "c1") && isDigits(u.Query().Get("c2"))
	},
	Rules: makeRules(map[string]Meaning{
		"c2": AccountID, "c1": Technical, "c3": CustomData, "c4": CustomData, "c5": CustomData,
		"c6": CustomData, "c7": PageURL, "c8": Title, "c9": Referrer, "c10": CustomData,
		"c12": BrowserID, "c14": CustomData, "c15": CustomData, "c16": CustomData,
		"cs_fpid": BrowserID, "cs_fpit": Technical, "cs_fpdm": Technical, "cs_fpdt": Technical,
		"cs_xi": BrowserID, "cs_ucfr": Technical, "cs_cfg": Technical, "cs_it": Technical,
		"cs_pv": Technical, "cs_si": Technical, "cs_*": Technical,
		"ns_c": Technical, "ns__t": Technical, "ns_type": Technical, "ns_*": CustomData,
		"rn": Technical, "cv": Technical, "cj": Technical, "gdpr": Technical, "gdpr_consent": Technical,
		"gdpr_li": Technical, "gdpr_pcc": Technical, "gdpr_purps": Technical, "us_privacy": Technical,
		"d.u": PageURL, "d.c": Technical, "d.t": Technical, "d.o": CustomData, "d.x": CustomData,
		"d.*": CustomData,
	}),
	Event: func(u *url.URL) string {
		if strings.HasPrefix(pathLast(u), "p") {
			return "pixel"
		}
		if strings.HasPrefix(pathLast(u), "r") {
			return "ad"
		}
		return "beacon"
	},
}.decoder()
