package pixel

import (
	"net/url"
	"strings"

	"github.com/leakwatch/leakwatch/internal/codec"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// maxymiser decodes Oracle Maxymiser content-generation calls,
// service.maxymiser.net/cg/<version><region>/, whose fv parameter packs
// ";"-separated "k=v" page facts (dmn domain, url page, ref referrer,
// scrw/scrh/clrd screen, cok cookies enabled), decoded as "fv>k". The
// mmapi.js and mmpackage scripts on the same host are not hits.
var maxymiser = Decoder{
	Vendor: "Oracle", Product: "Oracle Maxymiser",
	Match: func(_ *traffic.Request, u *url.URL) bool {
		return hostIs(u, "maxymiser.net", "maxymiser.com") && pathHasPrefix(u, "/cg/")
	},
	Decode: func(r *traffic.Request, u *url.URL) []Hit {
		var ps []param
		for _, p := range allParams(r, u) {
			if p.Name != "fv" || !strings.Contains(p.Value, "=") {
				ps = append(ps, p)
				continue
			}
			for _, kv := range strings.Split(p.Value, ";") {
				k, v, _ := strings.Cut(kv, "=")
				ps = append(ps, param{"fv>" + k, codec.QueryUnescape(v)})
			}
		}
		if len(ps) == 0 {
			return nil
		}
		h := paramHit("Oracle", "Oracle Maxymiser", maxymiserRules, ps)
		h.Account = fieldValue(h.Fields, "fv>dmn")
		h.Event = "content request"
		return []Hit{h}
	},
}

var maxymiserRules = makeRules(map[string]Meaning{
	"fv>url": PageURL, "fv>ref": Referrer, "fv>dmn": Technical, "fv>scrw": Device, "fv>scrh": Device,
	"fv>clrd": Device, "fv>cok": Technical, "lver": Technical, "jsncl": Technical, "ri": Technical,
	"srv": Technical, "pd": BrowserID, "uat": CustomData, "mmid": BrowserID, "rul": Technical,
	"fv>*": CustomData, "dmn": Technical,
})

// moatPixel decodes Oracle Moat measurement pings to px.moatads.com
// (pixel.gif and the /pixel/ variants); the z.moatads.com scripts that
// load the measurement are not hits.
var moatPixel = paramVendor{
	Vendor: "Oracle", Product: "Oracle Moat",
	Match: matchHostPath([]string{"px.moatads.com"}, "/pixel", "/"),
	Rules: makeRules(map[string]Meaning{
		"e": Technical, "i": AccountID, "qs": Technical, "cm": Technical, "ac": Technical,
		"bq": Technical, "f": Technical, "j": PageURL, "t": Technical, "de": Technical, "cs": Technical,
		"zMoatPS": CustomData, "zMoat*": CustomData, "ak": Technical, "q": Technical,
	}),
	Event: eventNamed("measurement"),
}.decoder()
