package pixel

import (
	"net/url"
	"strings"

	"github.com/leakwatch/leakwatch/internal/codec"
)

// zemantaPixel decodes the Zemanta (Outbrain's DSP) pixel:
// p1.zemanta.com/v2/p/js/<pixel>/<EVENT>/ and the legacy /p/<pixel>/...
// The pixel ID and event are path segments.
var zemantaPixel = paramVendor{
	Vendor: "Outbrain", Product: "Zemanta Pixel",
	Match: func(u *url.URL) bool {
		return hostIs(u, "zemanta.com") && pathHasPrefix(u, "/v2/p/", "/p/")
	},
	Rules: makeRules(map[string]Meaning{
		"referer": PageURL, "url": PageURL, "ref": Referrer, "cb": Technical,
	}),
	Account: func(u *url.URL) string {
		id, _ := zemantaPath(u)
		return id
	},
	Event: func(u *url.URL) string {
		_, ev := zemantaPath(u)
		return ev
	},
}.decoder()

// zemantaPath returns the pixel ID and event of a Zemanta pixel path:
// /v2/p/js/<id>/<event>/ or /p/[js/]<id>/<event>/.
func zemantaPath(u *url.URL) (id, event string) {
	var segs []string
	for _, s := range strings.Split(u.EscapedPath(), "/") {
		if s != "" && s != "v2" && s != "p" && s != "js" {
			segs = append(segs, codec.QueryUnescape(s))
		}
	}
	if len(segs) > 0 {
		id = segs[0]
	}
	event = "PAGE_VIEW"
	if len(segs) > 1 {
		event = segs[1]
	}
	return id, event
}
