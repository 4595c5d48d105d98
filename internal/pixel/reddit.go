package pixel

import (
	"net/url"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// redditPixel decodes the Reddit Pixel: GET alb.reddit.com/rp.gif.
var redditPixel = Decoder{
	Vendor:  "Reddit",
	Product: "Reddit Pixel",
	Match: func(_ *traffic.Request, u *url.URL) bool {
		return hostIs(u, "alb.reddit.com") && pathIs(u, "/rp.gif")
	},
	Decode: paramDecoder("Reddit", "Reddit Pixel", redditRules),
}

var redditRules = makeRules(map[string]Meaning{
	"id": AccountID, "event": EventName, "m.*": CustomData,
	"uuid": BrowserID, "click_id": ClickID, "em": HashedEmail, "external_id": UserID,
	"aaid": Device, "idfa": Device, "sh": Device, "sw": Device,
	"ts": Technical, "v": Technical, "integration": Technical, "opt_out": Technical,
	"dpm": Technical, "dpcc": Technical, "dprc": Technical,
})
