package pixel

import (
	"net/url"
	"strings"

	"github.com/leakwatch/leakwatch/internal/codec"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// postHog decodes PostHog capture calls (/e/, /batch/, /i/v0/e/, /capture/,
// /track/, /engage/, /s/ for recordings). The payload is a JSON body (gzip
// with compression=gzip-js) or a data= form field, base64 or lz-string
// (compression=lz64); an array or {"batch":[...]} is one hit per event.
var postHog = Decoder{
	Vendor:  "PostHog",
	Product: "PostHog",
	Match: func(_ *traffic.Request, u *url.URL) bool {
		return hostIs(u, "posthog.com") &&
			pathIs(u, "/e", "/batch", "/i/v0/e", "/capture", "/track", "/engage", "/s")
	},
	Decode: func(r *traffic.Request, u *url.URL) []Hit {
		lz := strings.EqualFold(paramValue(allParams(r, u), "compression"), "lz64")
		return dataParamHits("PostHog", "PostHog", postHogRules, r, u, func(v string) ([]byte, bool) {
			if lz {
				if s, err := codec.LZFromBase64(v, maxBody); err == nil && looksJSON(s) {
					return []byte(s), true
				}
			}
			return jsonValue(v)
		})
	},
}

// paramValue returns the value of the first parameter named name.
func paramValue(ps []param, name string) string {
	for _, p := range ps {
		if p.Name == name {
			return p.Value
		}
	}
	return ""
}

var postHogRules = makeRules(map[string]Meaning{
	"event": EventName, "api_key": AccountID, "token": AccountID, "properties.token": AccountID,
	"distinct_id": BrowserID, "properties.distinct_id": BrowserID,
	"properties.$session_id": BrowserID, "properties.$device_id": BrowserID,
	"properties.$window_id": Technical, "properties.$user_id": UserID,
	"properties.$current_url": PageURL, "properties.$pathname": PageURL,
	"properties.$referrer": Referrer, "properties.$initial_referrer": Referrer,
	"properties.title": Title, "properties.$title": Title,
	"properties.$set*": PlainPII, "properties.$set_once*": PlainPII, "$set*": PlainPII,
	"properties.$os*": Device, "properties.$browser*": Device, "properties.$screen_*": Device,
	"properties.$viewport_*": Device, "properties.$device_type": Device, "properties.$raw_user_agent": Device,
	"properties.$lib*": Technical, "properties.$insert_id": Technical, "properties.$time": Technical,
	"properties.$host": Technical, "timestamp": Technical, "uuid": Technical, "offset": Technical,
	"properties.$snapshot_data*": CustomData, "properties.*": CustomData,
	"compression": Technical, "ver": Technical, "_": Technical, "ip": Technical,
})
