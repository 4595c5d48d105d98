package pixel

import (
	"net/url"
	"strings"

	"github.com/leakwatch/leakwatch/internal/codec"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// adobeECID decodes Experience Cloud ID Service calls, /id?d_visid_ver=..
// on dpm.demdex.net, *.omtrdc.net or a first-party CNAME (matched by that
// shape on any host): the visitor's ECID (mid, d_mid), the organisation
// (d_orgid, mcorgid) and declared customer IDs (d_cid, d_cid_ic).
var adobeECID = paramVendor{
	Vendor: "Adobe", Product: "Adobe Experience Cloud ID",
	Match: func(u *url.URL) bool {
		return pathIs(u, "/id", "/id/rd") && queryHas(u, "d_visid_ver")
	},
	Rules: adobeIDRules,
	Event: eventNamed("id"),
}.decoder()

var adobeIDRules = makeRules(map[string]Meaning{
	"d_orgid": AccountID, "mcorgid": AccountID, "d_mid": BrowserID, "mid": BrowserID,
	"d_uuid": BrowserID, "dpuuid": BrowserID, "d_cid": UserID, "d_cid_ic": UserID, "d_cid.*": UserID,
	"d_dpid": AccountID, "dpid": AccountID, "d_visid_ver": Technical, "d_fieldgroup": Technical,
	"d_rtbd": Technical, "d_ver": Technical, "d_verify": Technical, "d_nsid": Technical, "d_cb": Technical,
	"d_blob": Technical, "dcs_region": Technical, "d_coppa": Technical, "d_coop_safe": Technical,
	"d_coop_unsafe": Technical, "d_dst": Technical, "d_dst_filter": Technical, "d_ptfm": Technical,
	"d_caller": Technical, "d_event": EventName, "d_jsonv": Technical, "d_nsid.*": Technical,
	"d_*": Technical, "ts": Technical, "callback": Technical, "gdpr": Technical, "gdpr_consent": Technical,
	"redir": Technical, "c_*": CustomData, "p_*": CustomData, "h_referer": PageURL, "h_*": Technical,
	"google_error": Technical, "demconf>*": Technical,
})

// adobeAudienceManager decodes Audience Manager calls to demdex.net:
// /event (data collection: c_ customer and p_ private traits), /ibs:...
// ID syncs whose parameters ride in the path ("ibs:dpid=<partner>&dpuuid=
// <partner's user ID>"), and demconf.jpg sync confirmations. The
// destination-publishing frame (dest5.html) and scripts are not hits.
var adobeAudienceManager = Decoder{
	Vendor: "Adobe", Product: "Adobe Audience Manager",
	Match: func(_ *traffic.Request, u *url.URL) bool {
		return hostIs(u, "demdex.net") && (pathIs(u, "/event", "/demconf.jpg") ||
			pathHasPrefix(u, "/ibs:", "/event/", "/pixel/"))
	},
	Decode: func(r *traffic.Request, u *url.URL) []Hit {
		ps := allParams(r, u)
		if strings.HasPrefix(u.RawQuery, "et:") {
			ps = append(adobeDemconf(u.RawQuery), formParams(r)...)
		}
		if rest, ok := strings.CutPrefix(u.EscapedPath(), "/ibs:"); ok {
			ps = append(parseQuery(rest), ps...)
		}
		if len(ps) == 0 && len(r.Body) == 0 {
			return nil
		}
		h := paramHit("Adobe", "Adobe Audience Manager", adobeIDRules, ps)
		addBodyRest(&h, r, adobeIDRules)
		if !hasMeaning(h.Fields, EventName) {
			h.Event = "event"
			if pathHasPrefix(u, "/ibs:") || strings.HasPrefix(u.RawQuery, "et:") {
				h.Event = "id sync"
			}
		}
		return []Hit{h}
	},
}

// adobeDemconf reads a demconf.jpg query "et:ibs|data:dpid=1&dpuuid=2":
// "|"-separated "key:value" pairs, the data pair itself a query.
func adobeDemconf(raw string) []param {
	raw = strings.NewReplacer("%7c", "|", "%7C", "|").Replace(raw)
	var out []param
	for _, part := range strings.Split(raw, "|") {
		k, v, _ := strings.Cut(part, ":")
		if k == "data" {
			out = append(out, parseQuery(v)...)
			continue
		}
		if k != "" {
			out = append(out, param{"demconf>" + codec.QueryUnescape(k), codec.QueryUnescape(v)})
		}
	}
	return out
}
