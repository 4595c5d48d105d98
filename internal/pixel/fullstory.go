package pixel

import (
	"net/url"
	"strings"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// fullStory decodes FullStory recording uploads: rs.fullstory.com/rec/page
// and /rec/bundle (JSON bodies; identifiers also in the query).
var fullStory = Decoder{
	Vendor:  "FullStory",
	Product: "FullStory",
	Match: func(_ *traffic.Request, u *url.URL) bool {
		return hostIs(u, "fullstory.com") && pathHasPrefix(u, "/rec/")
	},
	Decode: func(r *traffic.Request, u *url.URL) []Hit {
		b := newBuilder("FullStory", "FullStory", fullStoryRules)
		b.addParams(allParams(r, u))
		h := b.hit
		addBodyRest(&h, r, fullStoryRules)
		h.Event = strings.Trim(strings.ToLower(u.Path), "/")
		return []Hit{h}
	},
}

var fullStoryRules = makeRules(map[string]Meaning{
	"orgid": AccountID, "userid": BrowserID, "sessionid": BrowserID, "uid": UserID,
	"url": PageURL, "referrer": Referrer, "doctitle": Title,
	"displayname": PlainPII, "email": PlainPII, "useragent": Device,
	"scrw": Device, "scrh": Device, "pageid": Technical, "seq": Technical,
	"clienttime": Technical, "pagestart": Technical, "prevbundletime": Technical,
	"evts*": CustomData,
})
