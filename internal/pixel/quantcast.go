package pixel

import (
	"net/url"
	"strings"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// quantcast decodes Quantcast Measure pixels: pixel.quantserve.com/pixel/
// p-<id>.gif?labels=... and the ";k=v" form /pixel;r=..;a=p-<id>;...
var quantcast = Decoder{
	Vendor:  "Quantcast",
	Product: "Quantcast Measure",
	Match: func(_ *traffic.Request, u *url.URL) bool {
		return hostIs(u, "pixel.quantserve.com", "pixel.quantcount.com") && pathHasPrefix(u, "/pixel")
	},
	Decode: func(r *traffic.Request, u *url.URL) []Hit {
		ps := append(matrixParams(u.EscapedPath()), allParams(r, u)...)
		h := paramHit("Quantcast", "Quantcast Measure", quantcastRules, ps)
		if seg := pathSegment(u, 1); strings.HasPrefix(seg, "p-") {
			h.Account = strings.TrimSuffix(seg, ".gif")
		}
		h.Event = "pixel"
		return []Hit{h}
	},
}

var quantcastRules = makeRules(map[string]Meaning{
	"a": AccountID, "labels": CustomData, "url": PageURL, "ref": Referrer, "ogl": CustomData,
	"fpa": BrowserID, "fpan": Technical, "sr": Device, "tzo": Device, "r": Technical, "ns": Technical,
	"ce": Technical, "cm": Technical, "je": Technical, "enc": Technical, "dst": Technical, "et": Technical,
	"rf": Technical, "uh": Technical, "uht": Technical, "gdpr": Technical, "gdpr_consent": Technical,
})
