package pixel

import (
	"net/url"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// xPixel decodes the X (Twitter) website tag: image GETs to
// t.co/1/i/adsct and analytics.twitter.com/1/i/adsct, events in JSON.
var xPixel = Decoder{
	Vendor:  "X",
	Product: "X Pixel",
	Match: func(_ *traffic.Request, u *url.URL) bool {
		return hostIs(u, "t.co", "analytics.twitter.com", "ads-twitter.com", "ads-api.x.com") &&
			pathIs(u, "/1/i/adsct", "/i/adsct")
	},
	Decode: paramDecoder("X", "X Pixel", xRules),
}

var xRules = makeRules(map[string]Meaning{
	"txn_id": AccountID, "events>0.0": EventName, "events>*": CustomData,
	"tw_document_href": PageURL, "pt": Title, "twclid": ClickID,
	"tw_sale_amount": CustomData, "tw_order_quantity": CustomData,
	"dv": Device, "p_user_id": UserID,
	"p_id": Technical, "event_id": Technical, "pl_id": Technical, "tw_iframe_status": Technical,
	"bci": Technical, "eci": Technical, "integration": Technical, "tpx_cb": Technical,
	"type": Technical, "version": Technical,
})
