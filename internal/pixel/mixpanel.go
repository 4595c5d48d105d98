package pixel

import (
	"bytes"
	"encoding/json"
	"net/url"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// mixpanel decodes Mixpanel calls: /track, /engage, /groups, /import with a
// data= parameter holding JSON, plain or base64 (query or form body), or a
// JSON body. An array is one hit per element: "data>0.event".
var mixpanel = Decoder{
	Vendor:  "Mixpanel",
	Product: "Mixpanel",
	Match: func(_ *traffic.Request, u *url.URL) bool {
		return hostIs(u, "api.mixpanel.com", "api-js.mixpanel.com", "api-eu.mixpanel.com",
			"api-in.mixpanel.com") && pathIs(u, "/track", "/engage", "/groups", "/import", "/record")
	},
	Decode: func(r *traffic.Request, u *url.URL) []Hit {
		return dataParamHits("Mixpanel", "Mixpanel", mixpanelRules, r, u, jsonValue)
	},
}

var mixpanelRules = makeRules(map[string]Meaning{
	"event": EventName, "properties.token": AccountID, "$token": AccountID,
	"properties.distinct_id": BrowserID, "$distinct_id": BrowserID,
	"properties.$device_id": BrowserID, "properties.$user_id": UserID, "$user_id": UserID,
	"properties.$current_url": PageURL, "properties.$referrer": Referrer,
	"properties.$initial_referrer": Referrer, "properties.mp_page": PageURL,
	"properties.$browser*": Device, "properties.$os": Device, "properties.$screen_*": Device,
	"properties.$device": Device, "properties.$lib_version": Technical, "properties.mp_lib": Technical,
	"properties.$insert_id": Technical, "properties.time": Technical, "properties.$time": Technical,
	"properties.*": CustomData, "$set*": PlainPII, "$set_once*": PlainPII, "$union*": PlainPII,
	"ip": Technical, "verbose": Technical, "_": Technical, "img": Technical, "callback": Technical,
})

// dataParamHits decodes a request whose payload is a data= parameter or a
// JSON body: JSON or base64 JSON, an object (one hit) or an array (a hit
// per element). The other parameters are shared by every hit.
func dataParamHits(vendor, product string, rl *rules, r *traffic.Request, u *url.URL,
	decodeData func(string) ([]byte, bool)) []Hit {
	var shared []param
	var payloads []param
	for _, p := range allParams(r, u) {
		if p.Name == "data" {
			if js, ok := decodeData(p.Value); ok {
				payloads = append(payloads, param{"data", string(js)})
				continue
			}
		}
		shared = append(shared, p)
	}
	if body := jsonBody(r); body != nil && len(payloads) == 0 {
		payloads = append(payloads, param{"", string(body)})
	}
	sh := paramHit(vendor, product, rl, shared)
	if len(payloads) == 0 {
		return []Hit{sh}
	}
	var out []Hit
	for _, p := range payloads {
		hits := jsonHits(vendor, product, rl, []byte(p.Value), autoSplit([]byte(p.Value)))
		for i := range hits {
			for j := range hits[i].Fields {
				hits[i].Fields[j].Name = joinPath(p.Name, hits[i].Fields[j].Name)
			}
			hits[i].Fields = append(sh.Fields[:len(sh.Fields):len(sh.Fields)], hits[i].Fields...)
		}
		out = append(out, hits...)
	}
	return out
}

// jsonValue returns v as valid JSON: as is, or base64-decoded.
func jsonValue(v string) ([]byte, bool) {
	if looksJSON(v) && json.Valid([]byte(v)) {
		return []byte(v), true
	}
	if b, ok := decodeBase64(v); ok && looksJSONBytes(b) && json.Valid(b) {
		return b, true
	}
	return nil, false
}

// autoSplit picks how jsonHits splits a payload: a root array by element,
// an object with a "batch" array by its elements, else one hit.
func autoSplit(data []byte) string {
	t := bytes.TrimSpace(data)
	switch {
	case len(t) > 0 && t[0] == '[':
		return ""
	case bytes.Contains(t, []byte(`"batch"`)):
		return "batch"
	}
	return "-"
}
