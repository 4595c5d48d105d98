package pixel

import (
	"net/url"
	"strings"

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
		h := paramHit("Google", "Google Ad Manager audience pixel", gamRules, ps)
		h.Event = "audience"
		return []Hit{h}
	},
}

var gamRules = makeRules(map[string]Meaning{
	"dc_iu": AccountID, "dc_seg": CustomData, "campaignid": CustomData, "lineitemid": CustomData,
	"creativeid": CustomData, "burtid": Technical, "ord": Technical, "dc_*": Technical,
})

// googleAnalyticsAudiences decodes Universal Analytics remarketing audience
// hits to www.google.<tld>/ads/ga-audiences (UA parameters, t=sr).
var googleAnalyticsAudiences = Decoder{
	Vendor:  "Google",
	Product: "Google Analytics audiences",
	Match: func(_ *traffic.Request, u *url.URL) bool {
		return strings.HasPrefix(host(u), "www.google.") && pathIs(u, "/ads/ga-audiences")
	},
	Decode: func(r *traffic.Request, u *url.URL) []Hit {
		return []Hit{googleHit("Google Analytics audiences", uaRules, allParams(r, u))}
	},
}
