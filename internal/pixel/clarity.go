package pixel

import (
	"net/url"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// microsoftClarity decodes Microsoft Clarity uploads: POST <x>.clarity.ms/collect
// with {"e":[envelope],"a":[...],"p":[...]}, gzip on intermediate uploads.
// Envelope positions: 0 version, 1 sequence, 2 start, 3 duration,
// 4 project, 5 user, 6 session, 7 page number, 8 upload, 9 end.
var microsoftClarity = Decoder{
	Vendor:  "Microsoft",
	Product: "Microsoft Clarity",
	Match: func(_ *traffic.Request, u *url.URL) bool {
		return hostIs(u, "clarity.ms") && pathIs(u, "/collect")
	},
	Decode: func(r *traffic.Request, u *url.URL) []Hit {
		hits := jsonHits("Microsoft", "Microsoft Clarity", clarityRules, requestBody(r), "-")
		q := paramHit("", "", clarityRules, queryParams(u))
		hits[0].Fields = append(q.Fields, hits[0].Fields...)
		hits[0].Event = "upload"
		return hits
	},
}

var clarityRules = makeRules(map[string]Meaning{
	"e.4": AccountID, "e.5": BrowserID, "e.6": BrowserID, "e.*": Technical,
	"a.*": CustomData, "p.*": CustomData,
})
