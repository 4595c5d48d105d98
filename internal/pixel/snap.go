package pixel

import (
	"net/url"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// snapPixel decodes the Snap Pixel: form POSTs to tr.snapchat.com/p (also
// the IPv6 host tr6.snapchat.com) and the cookie-matching GETs /cm/i and
// /cm/p. A POST whose body was not recorded carries nothing: no hit.
var snapPixel = Decoder{
	Vendor:  "Snap",
	Product: "Snap Pixel",
	Match: func(_ *traffic.Request, u *url.URL) bool {
		return hostIs(u, "tr.snapchat.com", "tr6.snapchat.com", "tr-shadow.snapchat.com") &&
			pathIs(u, "/p", "/cm/i", "/cm/p", "/gateway/p")
	},
	Decode: paramDecoder("Snap", "Snap Pixel", snapRules),
}

var snapRules = makeRules(map[string]Meaning{
	"pid": AccountID, "ev": EventName, "pl": PageURL, "rf": Referrer,
	"u_c1": BrowserID, "u_scsid": BrowserID, "u_sclid": ClickID, "sclid": ClickID,
	"u_hem": HashedEmail, "u_hpn": HashedPhone,
	"e_*": CustomData, "m_*": Technical,
	"ts": Technical, "v": Technical, "if": Technical, "bt": Technical, "ci": Technical,
	"d_a": Device, "d_ot": Device, "d_os": Device, "d_bvs": Device, "d_bv": Device,
})
