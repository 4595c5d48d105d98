package pixel

import (
	"net/url"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// pinterestTag decodes Pinterest Tag hits: ct.pinterest.com/v3/ with JSON in
// the ad, pd and ed parameters (no-script form pd[em]=), and /user/ syncs.
// The ct.html document is the tag's iframe, not an event: it yields no hit,
// nor does a request with no parameters.
var pinterestTag = Decoder{
	Vendor:  "Pinterest",
	Product: "Pinterest Tag",
	Match: func(_ *traffic.Request, u *url.URL) bool {
		return hostIs(u, "ct.pinterest.com") && pathIs(u, "/v3", "/user", "/ct.html", "/v3/user")
	},
	Decode: func(r *traffic.Request, u *url.URL) []Hit {
		if pathIs(u, "/ct.html") || len(allParams(r, u)) == 0 && len(r.Body) == 0 {
			return nil
		}
		return paramDecoder("Pinterest", "Pinterest Tag", pinterestRules)(r, u)
	},
}

var pinterestRules = makeRules(map[string]Meaning{
	"tid": AccountID, "event": EventName,
	"ad>loc": PageURL, "ad>ref": Referrer, "ad>*": Technical,
	"ad>sw": Device, "ad>sh": Device, "ad>mh": BrowserID, "ad>platform": Device,
	"pd>em": HashedEmail, "pd[em]": HashedEmail, "pd>np": Technical, "pd>*": CustomData,
	"ed>*": CustomData, "ed[*": CustomData,
	"cb": Technical, "noscript": Technical, "dep": Technical, "pdt": Technical,
	"epik": ClickID, "aem": HashedEmail,
})
