package pixel

import (
	"net/url"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// metaPixel decodes Meta Pixel events: /tr on facebook.com or instagram.com,
// sent as an image GET, a form POST or a multipart beacon (rqm says which).
var metaPixel = Decoder{
	Vendor:  "Meta",
	Product: "Meta Pixel",
	Match: func(_ *traffic.Request, u *url.URL) bool {
		return hostIs(u, "facebook.com", "instagram.com") && pathIs(u, "/tr")
	},
	Decode: paramDecoder("Meta", "Meta Pixel", metaRules),
}

var metaRules = makeRules(map[string]Meaning{
	"id": AccountID, "ev": EventName,
	"dl": PageURL, "rl": Referrer,
	"fbp": BrowserID, "fbc": ClickID,
	"sw": Device, "sh": Device,
	"if": Technical, "ts": Technical, "v": Technical, "r": Technical, "a": Technical,
	"ec": Technical, "it": Technical, "eid": Technical, "o": Technical, "rqm": Technical,
	"noscript": Technical, "cs_est": Technical, "coo": Technical, "es": Technical,
	"tm": Technical, "exp": Technical, "ler": Technical, "cdl": Technical, "plt": Technical,
	"ped": Technical, "dpo": Technical, "dpoco": Technical, "dpost": Technical,
	"expv2*": Technical, "rrf": Technical, "cas": Technical,
	"cd*": CustomData, "par*": CustomData, "pmd[title]": Title, "pmd*": CustomData,
	"ud[em]": HashedEmail, "ud[ph]": HashedPhone,
	"ud[fn]": HashedName, "ud[ln]": HashedName,
	"ud[ct]": HashedAddress, "ud[st]": HashedAddress, "ud[zp]": HashedAddress, "ud[country]": HashedAddress,
	"ud[db]": HashedOther, "ud[ge]": HashedOther,
	"ud[external_id]": UserID, "ud[uid]": UserID, "ud*": HashedOther,
	"udff[em]": HashedEmail, "udff[ph]": HashedPhone,
	"udff[fn]": HashedName, "udff[ln]": HashedName,
	"udff[ct]": HashedAddress, "udff[st]": HashedAddress, "udff[zp]": HashedAddress, "udff[country]": HashedAddress,
	"udff[db]": HashedOther, "udff[ge]": HashedOther,
	"udff[external_id]": UserID, "udff*": HashedOther,
})
