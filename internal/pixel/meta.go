package pixel

import (
	"net/url"
	"strings"

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
	Decode: func(r *traffic.Request, u *url.URL) []Hit {
		hits := paramDecoder("Meta", "Meta Pixel", metaRules)(r, u)
		for i := range hits {
			addLimitedDataUse(&hits[i])
		}
		return hits
	},
}

// addLimitedDataUse spells out Meta's data processing options as Technical
// fields beside the raw ones: dpo "LDU" turns Limited Data Use on
// ("dpo>limited_data_use"); dpoco and dpost name the country and state it
// applies to (1 the United States, 1000 California, 0 let Meta geolocate).
func addLimitedDataUse(h *Hit) {
	dpo, ok := fieldOK(h.Fields, "dpo")
	if !ok {
		return
	}
	ldu := "off"
	if strings.Contains(strings.ToUpper(dpo), "LDU") {
		ldu = "on"
	}
	h.Fields = append(h.Fields, Field{Name: "dpo>limited_data_use", Value: ldu, Meaning: Technical})
	for _, c := range ldoCodes {
		v, ok := fieldOK(h.Fields, c.param)
		if !ok {
			continue
		}
		name, known := c.names[v]
		if !known {
			name = "code " + v
		}
		h.Fields = append(h.Fields, Field{Name: c.param + ">" + c.field, Value: name, Meaning: Technical})
	}
}

// ldoCodes are the documented codes of dpoco and dpost.
var ldoCodes = []struct {
	param, field string
	names        map[string]string
}{
	{"dpoco", "country", map[string]string{"0": "geolocated by Meta", "1": "United States"}},
	{"dpost", "state", map[string]string{"0": "geolocated by Meta", "1000": "California"}},
}

// fieldOK returns the value of the first field named name.
func fieldOK(fs []Field, name string) (string, bool) {
	for _, f := range fs {
		if f.Name == name {
			return f.Value, true
		}
	}
	return "", false
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
