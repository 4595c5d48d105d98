package pixel

import "net/url"

// kruxBeacon decodes Salesforce Audience Studio (Krux) beacons:
// beacon.krxd.net/pixel.gif (page view), data.gif / event.gif (data and
// events), usermatch.gif and usermatch.krxd.net/um/ (partner ID matching).
// Control-tag scripts (cdn.krxd.net) and JSONP lookups (/cookie2json,
// /optout_check) carry no event data and are not matched. The _kua_
// user attributes (zip, age, gender) are the publisher's, kept as custom data.
var kruxBeacon = paramVendor{
	Vendor: "Salesforce", Product: "Salesforce Krux",
	Match: func(u *url.URL) bool {
		if hostIs(u, "usermatch.krxd.net") {
			return pathHasPrefix(u, "/um/")
		}
		return hostIs(u, "beacon.krxd.net") &&
			pathIs(u, "/pixel.gif", "/data.gif", "/event.gif", "/usermatch.gif", "/smarttag.gif")
	},
	Rules: makeRules(map[string]Meaning{
		"confid": AccountID, "_kpid": AccountID, "_kdpid": CustomData, "pub": AccountID,
		"_kcp_d": Technical, "_kcp_s": CustomData, "_kcp_sc": CustomData, "_kcp_ssc": CustomData,
		"_kpref_": Referrer, "_kpa_*": CustomData,
		"_kua_*": CustomData, "_kuid": BrowserID, "kuid_status": Technical,
		"partner_uid": BrowserID, "partner_user_id": BrowserID, "puid": BrowserID, "bk_uuid": BrowserID,
		"google_gid": BrowserID, "partner": Technical, "partner_id": Technical, "google_cver": Technical,
		"redir": Technical, "source": Technical, "fired": EventName, "_k_*": CustomData,
		"dlxid": BrowserID, "dlxdata": CustomData, "geo_*": CustomData, "sview": Technical,
		"t_navigation_type": Technical, "t_dns": Technical, "t_tcp": Technical, "t_http_request": Technical,
		"t_http_response": Technical, "t_content_ready": Technical, "t_window_load": Technical,
		"t_redirect": Technical, "interchange_ran": Technical, "_knifr": Technical, "_kcrid": Technical,
		"_test": Technical, "url": PageURL, "_kl": Technical, "jsonp": Technical,
	}),
	Event: pathLast,
}.decoder()
