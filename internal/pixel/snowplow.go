package pixel

import (
	"net/url"
	"strings"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// snowplow decodes Snowplow tracker-protocol events: GET /i (recognised by
// the e and tv parameters, collectors are often first-party) and POST
// /com.snowplowanalytics.snowplow/tp2 with {"schema","data":[events]}.
// ue_px and cx are base64url JSON ("ue_px>data.data.x"); ue_pr and co JSON.
var snowplow = Decoder{
	Vendor:  "Snowplow",
	Product: "Snowplow",
	Match: func(_ *traffic.Request, u *url.URL) bool {
		if pathIs(u, "/com.snowplowanalytics.snowplow/tp2") {
			return true
		}
		return pathIs(u, "/i") && queryHas(u, "e", "tv")
	},
	Decode: decodeSnowplow,
}

var snowplowRules = makeRules(map[string]Meaning{
	"e": EventName, "aid": AccountID, "url": PageURL, "refr": Referrer, "page": Title,
	"uid": UserID, "duid": BrowserID, "sid": BrowserID, "nuid": BrowserID, "tnuid": BrowserID,
	"ue_px*": CustomData, "ue_pr*": CustomData, "cx*": CustomData, "co*": CustomData,
	"se_*": CustomData, "tr_*": CustomData, "ti_*": CustomData, "pp_*": Technical,
	"res": Device, "vp": Device, "ds": Device, "cd": Device, "cs": Device, "lang": Device,
	"cookie": Device, "tz": Device, "f_*": Device, "fp": Device, "tid": Technical, "p": Device, "ua": Device, "ip": Device,
	"tna": Technical, "tv": Technical, "vid": Technical, "dtm": Technical, "stm": Technical,
	"rtm": Technical, "eid": Technical, "schema": Technical, "ttm": Technical,
})

func decodeSnowplow(r *traffic.Request, u *url.URL) []Hit {
	if !pathIs(u, "/i") {
		hits := jsonHits("Snowplow", "Snowplow", snowplowRules, requestBody(r), "data")
		for i := range hits {
			hits[i] = expandSnowplow(hits[i])
		}
		return hits
	}
	return []Hit{expandSnowplow(paramHit("Snowplow", "Snowplow", snowplowRules, allParams(r, u)))}
}

// expandSnowplow names the fields of one event without its "data.<n>."
// prefix and decodes its JSON and base64url JSON fields.
func expandSnowplow(h Hit) Hit {
	b := newBuilder(h.Vendor, h.Product, snowplowRules)
	for _, f := range h.Fields {
		name := f.Name
		if rest, ok := strings.CutPrefix(name, "data."); ok {
			if _, key, ok := strings.Cut(rest, "."); ok {
				name = key
			}
		}
		switch name {
		case "ue_px", "cx":
			if js, ok := decodeBase64(f.Value); ok && b.addJSON(name, js, CustomData) {
				continue
			}
		}
		b.addValue(name, f.Value)
	}
	b.hit.Event = snowplowEvent(b.hit.Fields)
	return b.hit
}

// snowplowEvent names the event: the self-describing event's schema name
// for e=ue, the action for e=se, else the e code.
func snowplowEvent(fs []Field) string {
	e := fieldValue(fs, "e")
	switch e {
	case "ue":
		for _, f := range fs {
			if (strings.HasPrefix(f.Name, "ue_px>") || strings.HasPrefix(f.Name, "ue_pr>")) &&
				strings.HasSuffix(f.Name, "data.schema") {
				s := strings.TrimPrefix(f.Value, "iglu:")
				if parts := strings.Split(s, "/"); len(parts) >= 2 {
					return parts[1]
				}
			}
		}
	case "se":
		if a := fieldValue(fs, "se_ac"); a != "" {
			return a
		}
	}
	return e
}
