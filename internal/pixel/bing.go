package pixel

import (
	"net/url"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// microsoftUET decodes Microsoft Advertising Universal Event Tracking hits,
// GET (or POST) bat.bing.com/action/<n>, and the beacon form /actionp/<n>
// sent when the page is hidden (evt=pageHide).
var microsoftUET = Decoder{
	Vendor:  "Microsoft",
	Product: "Microsoft UET",
	Match: func(_ *traffic.Request, u *url.URL) bool {
		return hostIs(u, "bat.bing.com", "bat.bing.net") && pathHasPrefix(u, "/action/", "/actionp/")
	},
	Decode: decodeUET,
}

var uetRules = makeRules(map[string]Meaning{
	"ti": AccountID, "evt": EventName,
	"p": PageURL, "r": Referrer, "tl": Title, "kw": CustomData,
	"sid": BrowserID, "vid": BrowserID, "vids": Technical, "msclkid": ClickID,
	"lg": Device, "sw": Device, "sh": Device, "sc": Device,
	"ea": CustomData, "ec": CustomData, "el": CustomData, "ev": CustomData,
	"gv": CustomData, "gc": CustomData, "prodid": CustomData, "pagetype": CustomData,
	"page_path": PageURL, "spa": Technical, "asc": Technical, "rn": Technical,
	"ver": Technical, "tm": Technical, "mid": Technical, "lt": Technical, "pi": Technical,
	"nwd": Technical, "sv": Technical, "ifm": Technical, "gtm_tag_source": Technical,
	"cdb": Technical, "ecomm_*": CustomData, "items": CustomData, "tpp": Technical, "bo": Technical, "uach": Device, "en": Technical,
})

func decodeUET(r *traffic.Request, u *url.URL) []Hit {
	h := paramHit("Microsoft", "Microsoft UET", uetRules, allParams(r, u))
	addBodyRest(&h, r, uetRules)
	if ea := fieldValue(h.Fields, "ea"); ea != "" && fieldValue(h.Fields, "evt") == "custom" {
		h.Event = ea
	}
	return []Hit{h}
}

// fieldValue returns the value of the first field named name, or "".
func fieldValue(fs []Field, name string) string {
	for _, f := range fs {
		if f.Name == name {
			return f.Value
		}
	}
	return ""
}
