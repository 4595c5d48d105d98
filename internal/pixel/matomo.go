package pixel

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// matomo decodes Matomo (formerly Piwik) tracking requests, /matomo.php or
// /piwik.php on the site's own Matomo or Matomo Cloud, and Piwik PRO's
// /ppms.php (reported as Piwik PRO), matched by that distinctive path. A
// bulk POST {"requests":["?idsite=1&rec=1&...", ...]} is one hit per
// request, each merged over the query.
var matomo = Decoder{
	Vendor: "Matomo", Product: "Matomo",
	Match: func(_ *traffic.Request, u *url.URL) bool {
		p := strings.ToLower(u.EscapedPath())
		return strings.HasSuffix(p, "/matomo.php") || strings.HasSuffix(p, "/piwik.php") ||
			strings.HasSuffix(p, "/ppms.php")
	},
	Decode: decodeMatomo,
}

var matomoRules = makeRules(map[string]Meaning{
	"idsite": AccountID, "action_name": Title, "url": PageURL, "urlref": Referrer,
	"_id": BrowserID, "cid": BrowserID, "uid": UserID, "_ref": Referrer, "e_a": EventName,
	"e_c": CustomData, "e_n": CustomData, "e_v": CustomData, "search": CustomData, "search_cat": CustomData,
	"search_count": CustomData, "ec_id": CustomData, "ec_items": CustomData, "revenue": CustomData,
	"ec_st": CustomData, "ec_tx": CustomData, "ec_sh": CustomData, "ec_dt": CustomData, "idgoal": CustomData,
	"_cvar": CustomData, "cvar": CustomData, "dimension*": CustomData, "link": PageURL, "download": PageURL,
	"c_n": CustomData, "c_p": CustomData, "c_t": CustomData, "c_i": CustomData,
	"res": Device, "ua": Device, "lang": Device, "uadata": Device, "cookie": Device, "fla": Device,
	"java": Device, "pdf": Device, "qt": Device, "realp": Device, "wma": Device, "ag": Device,
	"dir": Device, "gears": Device, "h": Technical, "m": Technical, "s": Technical,
	"rec": Technical, "r": Technical, "apiv": Technical, "_idts": Technical, "_idvc": Technical,
	"_idn": Technical, "_viewts": Technical, "_rcn": Technical, "_rck": Technical, "send_image": Technical,
	"pv_id": Technical, "pf_net": Technical, "pf_srv": Technical, "pf_tfr": Technical, "pf_dm1": Technical,
	"pf_dm2": Technical, "pf_onl": Technical, "ping": Technical, "ca": Technical, "bots": Technical,
	"cs": Technical, "new_visit": Technical, "_fvts": Technical, "_ects": Technical,
})

func decodeMatomo(r *traffic.Request, u *url.URL) []Hit {
	query := queryParams(u)
	var bulk struct {
		Requests []string `json:"requests"`
	}
	body := bytes.TrimSpace(requestBody(r))
	if looksJSONBytes(body) && json.Unmarshal(body, &bulk) == nil && len(bulk.Requests) > 0 {
		out := make([]Hit, 0, len(bulk.Requests))
		for _, line := range bulk.Requests {
			line = strings.TrimPrefix(line, "?")
			out = append(out, matomoHit(u, mergeParams(query, parseQuery(line))))
		}
		return out
	}
	ps := allParams(r, u)
	if len(ps) == 0 {
		return nil
	}
	h := matomoHit(u, ps)
	addBodyRest(&h, r, matomoRules)
	return []Hit{h}
}

// matomoHit names one tracking request; a page view unless it is an event,
// a site search, a goal or an outlink/download.
func matomoHit(u *url.URL, ps []param) Hit {
	vendor := "Matomo"
	if strings.HasSuffix(strings.ToLower(u.EscapedPath()), "/ppms.php") {
		vendor = "Piwik PRO"
	}
	h := paramHit(vendor, vendor, matomoRules, ps)
	if hasMeaning(h.Fields, EventName) {
		return h
	}
	switch {
	case fieldValue(h.Fields, "search") != "":
		h.Event = "site search"
	case fieldValue(h.Fields, "idgoal") != "":
		h.Event = "goal"
	case fieldValue(h.Fields, "link") != "", fieldValue(h.Fields, "download") != "":
		h.Event = "outlink"
	case fieldValue(h.Fields, "ping") != "":
		h.Event = "ping"
	default:
		h.Event = "page view"
	}
	return h
}
