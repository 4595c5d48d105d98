package pixel

import (
	"net/url"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// tiktokPixel decodes TikTok Pixel events: JSON POSTs (fetch or beacon,
// often text/plain) to analytics.tiktok.com/api/v2/pixel[/act|/track], and
// batches under "batch"; also the SDK's other API calls (/api/v2/monitor
// telemetry, /api/v1/...), which carry the pixel code and page. Fields are
// flattened to dotted paths. A request with neither body nor query (a
// beacon whose body was not recorded, a preflight) yields no hit.
var tiktokPixel = Decoder{
	Vendor:  "TikTok",
	Product: "TikTok Pixel",
	Match: func(_ *traffic.Request, u *url.URL) bool {
		return hostIs(u, "analytics.tiktok.com", "analytics.us.tiktok.com") &&
			pathHasPrefix(u, "/api/v1/", "/api/v2/", "/api/v3/")
	},
	Decode: func(r *traffic.Request, u *url.URL) []Hit {
		body := requestBody(r)
		q := paramHit("TikTok", "TikTok Pixel", tiktokRules, queryParams(u))
		if len(body) == 0 && len(q.Fields) == 0 {
			return nil
		}
		hits := []Hit{q}
		if len(body) > 0 {
			hits = jsonHits("TikTok", "TikTok Pixel", tiktokRules, body, "batch")
			for i := range hits {
				hits[i].Fields = append(q.Fields[:len(q.Fields):len(q.Fields)], hits[i].Fields...)
			}
		}
		if !pathHasPrefix(u, "/api/v2/pixel", "/api/v1/track", "/api/v1/pixel") {
			for i := range hits {
				if !hasMeaning(hits[i].Fields, EventName) {
					hits[i].Event = pathLast(u)
				}
			}
		}
		return hits
	},
}

var tiktokRules = makeRules(map[string]Meaning{
	"event": EventName, "context.pixel.code": AccountID, "sdkid": AccountID,
	"context.page.url": PageURL, "context.page.referrer": Referrer,
	"context.user.anonymous_id": BrowserID, "context.session_id": BrowserID,
	"context.user.email": HashedEmail, "context.user.sha256_email": HashedEmail,
	"context.user.phone_number": HashedPhone, "context.user.sha256_phone_number": HashedPhone,
	"context.user.auto_phone_number": HashedPhone, "context.user.auto_email": HashedEmail,
	"context.user.sha256_phone": HashedPhone, "context.user.external_id": UserID, "context.user.*": HashedOther,
	"context.ad.callback": ClickID, "context.ad.*": Technical,
	"context.device.*": Device, "context.useragent": Device,
	"context.library.*": Technical, "context.pixel.*": Technical, "context.pageview_id": Technical,
	"context.variation_id": Technical, "context.index": Technical,
	"properties.*": CustomData, "properties": CustomData, "_inspection": Technical,
	"timestamp": Technical, "message_id": Technical, "event_id": Technical, "is_onsite": Technical,
	"_inspection.*": Technical, "signal_diagnostic_labels.*": Technical,
})
