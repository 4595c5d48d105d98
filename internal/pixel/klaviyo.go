package pixel

import (
	"net/url"
	"strings"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// klaviyo decodes Klaviyo onsite tracking: a.klaviyo.com/api/track and
// /api/identify (data= JSON, base64 in a GET, or a multipart field),
// /api/onsite/identify (a JSON body, sent as a form content type), and the
// newer /client/events and /client/profiles JSON APIs.
var klaviyo = Decoder{
	Vendor:  "Klaviyo",
	Product: "Klaviyo",
	Match: func(_ *traffic.Request, u *url.URL) bool {
		return hostIs(u, "a.klaviyo.com") &&
			pathIs(u, "/api/track", "/api/identify", "/api/onsite/identify", "/client/events",
				"/client/profiles", "/client/subscriptions")
	},
	Decode: func(r *traffic.Request, u *url.URL) []Hit {
		hits := dataParamHits("Klaviyo", "Klaviyo", klaviyoRules, r, u, jsonValue)
		kind := strings.TrimPrefix(strings.ToLower(strings.TrimSuffix(u.Path, "/")), "/api/")
		for i := range hits {
			if !hasMeaning(hits[i].Fields, EventName) {
				hits[i].Event = kind
			}
		}
		return hits
	},
}

var klaviyoRules = makeRules(map[string]Meaning{
	"token": AccountID, "c": AccountID, "company_id": AccountID, "event": EventName,
	"properties.$email": PlainPII, "customer_properties.$email": PlainPII,
	"properties.$phone_number": PlainPII, "customer_properties.$phone_number": PlainPII,
	"properties.$first_name": PlainPII, "properties.$last_name": PlainPII,
	"customer_properties.$first_name": PlainPII, "customer_properties.$last_name": PlainPII,
	"properties.$exchange_id": BrowserID, "customer_properties.$exchange_id": BrowserID,
	"$exchange_id": BrowserID, "properties.$referrer*": Referrer,
	"properties.$referrer.ts": Technical, "customer_properties.$referrer.ts": Technical,
	"properties.$last_referrer.ts": Technical, "customer_properties.$last_referrer.ts": Technical,
	"properties.$referrer.first_page": PageURL, "customer_properties.$referrer.first_page": PageURL,
	"properties.$last_referrer.first_page": PageURL, "customer_properties.$last_referrer.first_page": PageURL, "customer_properties.$referrer*": Referrer,
	"properties.$last_referrer*": Referrer, "customer_properties.$last_referrer*": Referrer,
	"properties.page": PageURL, "properties.url": PageURL, "properties.browser": Device,
	"properties.os": Device, "properties.$use_ip": Technical, "properties.$is_session_activity": Technical,
	"properties.*": CustomData, "customer_properties.*": PlainPII,
	"data.attributes.profile.data.attributes.email": PlainPII, "data.attributes.*": CustomData,
})
