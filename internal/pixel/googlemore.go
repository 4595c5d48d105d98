package pixel

import (
	"net/url"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// googleAdManagerAudience decodes Google Ad Manager audience pixels:
// pubads.g.doubleclick.net/activity;dc_iu=<ad unit>;dc_seg=<segment>;...
var googleAdManagerAudience = Decoder{
	Vendor:  "Google",
	Product: "Google Ad Manager audience pixel",
	Match: func(_ *traffic.Request, u *url.URL) bool {
		return hostIs(u, "pubads.g.doubleclick.net") && pathHasPrefix(u, "/activity;")
	},
	Decode: func(r *traffic.Request, u *url.URL) []Hit {
		ps := append(matrixParams(u.EscapedPath()), allParams(r, u)...)
		b := newBuilder("Google", "Google Ad Manager audience pixel", gamRules)
		b.addParams(ps)
		addConsentFields(b)
		b.hit.Event = "audience"
		return []Hit{b.hit}
	},
}

var gamRules = makeRules(map[string]Meaning{
	"dc_iu": AccountID, "dc_seg": CustomData, "campaignid": CustomData, "lineitemid": CustomData,
	"creativeid": CustomData, "burtid": Technical, "ord": Technical, "dc_*": Technical,
	"gcs": Technical, "gcd": Technical, "npa": Technical, "dma": Technical, "dma_cps": Technical,
})

// googleAnalyticsAudiences decodes Universal Analytics remarketing audience
// hits to www.google.<any public suffix>/ads/ga-audiences (UA parameters,
// t=sr).
var googleAnalyticsAudiences = Decoder{
	Vendor:  "Google",
	Product: "Google Analytics audiences",
	Match: func(_ *traffic.Request, u *url.URL) bool {
		return pathIs(u, "/ads/ga-audiences") && isGoogleDomain(u)
	},
	Decode: func(r *traffic.Request, u *url.URL) []Hit {
		return []Hit{googleHit("Google Analytics audiences", uaRules, allParams(r, u))}
	},
}

// googleTagCCM decodes the Google tag's /ccm/collect hits ("cross-channel
// measurement": the page view a Google tag for Google Ads or Floodlight
// sends to www.google.<tld>), a GA4-shaped parameter set whose tid names
// the AW-, DC- or G- destination (often absent).
var googleTagCCM = Decoder{
	Vendor:  "Google",
	Product: "Google tag",
	Match: func(_ *traffic.Request, u *url.URL) bool {
		return pathIs(u, "/ccm/collect") && isGoogleAdsHost(u)
	},
	Decode: func(r *traffic.Request, u *url.URL) []Hit {
		ps := allParams(r, u)
		if len(ps) == 0 {
			return nil
		}
		return []Hit{googleHit("Google tag", ccmRules, ps)}
	},
}

var ccmRules = makeRules(map[string]Meaning{
	"tid": AccountID, "en": EventName,
	"dl": PageURL, "dr": Referrer, "dt": Title, "auid": BrowserID, "cid": BrowserID,
	"gclid": ClickID, "gclaw": ClickID, "gac": ClickID, "gbraid": ClickID, "wbraid": ClickID,
	"uaa": Device, "uab": Device, "uafvl": Device, "uamb": Device, "uam": Device, "uap": Device,
	"uapv": Device, "uaw": Device, "ul": Device, "sr": Device,
	"scrsrc": Technical, "frm": Technical, "rnd": Technical, "navt": Technical, "npa": Technical,
	"gtm": Technical, "gcs": Technical, "gcd": Technical, "dma": Technical, "dma_cps": Technical,
	"pscdl": Technical, "tag_exp": Technical, "did": Technical, "gdid": Technical, "tft": Technical,
	"tfd": Technical, "apve": Technical, "apvf": Technical, "_tu": Technical, "ngs": Technical,
	"gcu": Technical, "gcut": Technical, "gdpr": Technical, "gdpr_consent": Technical, "em": HashedEmail,
})

// googleAnalyticsClassic decodes classic Google Analytics (ga.js) hits,
// /__utm.gif on google-analytics.com (or stats.g.doubleclick.net): utmac
// the property, utmp the page path, utmdt the title, utmr the referrer,
// utmcc the __utma/__utmz cookies, utmt the hit type, utme events.
var googleAnalyticsClassic = paramVendor{
	Vendor: "Google", Product: "Google Analytics (ga.js)",
	Match: func(u *url.URL) bool {
		return hostIs(u, "google-analytics.com", "stats.g.doubleclick.net") &&
			pathIs(u, "/__utm.gif", "/r/__utm.gif", "/j/__utm.gif")
	},
	Rules: makeRules(map[string]Meaning{
		"utmac": AccountID, "utmp": PageURL, "utmhn": PageURL, "utmdt": Title, "utmr": Referrer,
		"utmcc": BrowserID, "utmt": EventName, "utme": CustomData, "utmipc": CustomData,
		"utmipn": CustomData, "utmipr": CustomData, "utmiqt": CustomData, "utmiva": CustomData,
		"utmtid": CustomData, "utmtto": CustomData, "utmttx": CustomData, "utmtsp": CustomData,
		"utmtst": CustomData, "utmtci": CustomData, "utmtrg": CustomData, "utmtco": CustomData,
		"utmsr": Device, "utmvp": Device, "utmsc": Device, "utmul": Device, "utmje": Device,
		"utmfl": Device, "utmcs": Device, "utmwv": Technical, "utms": Technical, "utmn": Technical,
		"utmu": Technical, "utmht": Technical, "utmhid": Technical, "utmjid": Technical,
		"utmredir": Technical, "aip": Technical, "utmni": Technical, "utmgclid": ClickID,
	}),
	Event: eventNamed("page"),
}.decoder()
