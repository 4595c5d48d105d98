package pixel

import (
	"net/url"
	"strings"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// hotjar decodes Hotjar API calls (visit data, recordings, surveys) on
// *.hotjar.com / *.hotjar.io under /api/, and its WebSocket messages; the
// site ID is the path segment after "sites". Frame format is unconfirmed:
// sent JSON frames are flattened as "frame<n>>...", others kept raw.
var hotjar = Decoder{
	Vendor:  "Hotjar",
	Product: "Hotjar",
	Match: func(r *traffic.Request, u *url.URL) bool {
		return hostIs(u, "hotjar.com", "hotjar.io") &&
			(pathHasPrefix(u, "/api/") || len(r.WebSocket) > 0)
	},
	Decode: decodeHotjar,
}

var hotjarRules = makeRules(map[string]Meaning{
	"site_id": AccountID, "url": PageURL, "page_url": PageURL, "referrer": Referrer,
	"user_id": UserID, "identity*": PlainPII, "user_attributes*": PlainPII,
	"r_value": Technical, "window_width": Device, "window_height": Device,
	"user_agent": Device,
})

func decodeHotjar(r *traffic.Request, u *url.URL) []Hit {
	b := newBuilder("Hotjar", "Hotjar", hotjarRules)
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	for i, s := range segs {
		if s == "sites" && i+1 < len(segs) {
			b.hit.Account = segs[i+1]
			if i+2 < len(segs) {
				b.hit.Event = strings.Join(segs[i+2:], "/")
			}
		}
	}
	b.addParams(allParams(r, u))
	h := b.hit
	addBodyRest(&h, r, hotjarRules)
	b.hit = h
	n := 0
	for _, f := range r.WebSocket {
		if !f.Sent {
			continue
		}
		name := "frame" + itoa(n)
		n++
		if f.Opcode != 1 || !looksJSONBytes(f.Data) || !b.addJSON(name, f.Data, CustomData) {
			b.addAs(name, string(f.Data), Raw)
		}
	}
	return []Hit{b.hit}
}
