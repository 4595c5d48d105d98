package pixel

import (
	"net/url"
	"strings"
)

// adobeTarget decodes Adobe Target calls to <client>.tt.omtrdc.net (and
// mboxedge hosts): the legacy /m2/<client>/mbox/json (mbox parameters in
// the query) and the Delivery API /rest/v1/delivery (JSON body). The /cdn/
// path serves files only.
var adobeTarget = paramVendor{
	Vendor: "Adobe", Product: "Adobe Target",
	Match: func(u *url.URL) bool {
		return hostIs(u, "tt.omtrdc.net") && pathHasPrefix(u, "/m2/", "/rest/")
	},
	Rules: makeRules(map[string]Meaning{
		"mbox": EventName, "client": AccountID, "mboxsession": BrowserID, "mboxpc": BrowserID,
		"mboxmcgvid": BrowserID, "mboxmcavid": BrowserID, "mboxmcglh": Technical, "mboxaamb": Technical,
		"mboxmcgl": Technical, "mboxmcsdid": Technical,
		"mboxurl": PageURL, "mboxreferrer": Referrer, "mboxhost": Technical, "mboxpage": Technical,
		"mboxrid": Technical, "mboxversion": Technical, "mboxcount": Technical, "mboxtime": Technical,
		"mboxxdomain": Technical, "mbox3rdpartyid": UserID, "vst.trk": Technical, "vst.trks": Technical,
		"vst.*": UserID, "profile.*": CustomData,
		"entity.*": CustomData, "screenheight": Device, "screenwidth": Device, "browserwidth": Device,
		"browserheight": Device, "browsertimeoffset": Device, "colordepth": Device, "webglrenderer": Device,
		"at_property": Technical, "sessionid": BrowserID, "version": Technical,
		"context.address.url": PageURL, "context.address.referringurl": Referrer, "context.*": Device,
		"id.tntid": BrowserID, "id.marketingcloudvisitorid": BrowserID, "id.thirdpartyid": UserID,
		"id.customerids.id": UserID, "id.customerids.integrationcode": Technical,
		"id.customerids.authenticatedstate": Technical, "experiencecloud.*": Technical, "requestid": Technical,
		"execute.mboxes.name": EventName, "prefetch.mboxes.name": EventName,
		"execute.pageload.parameters.*": CustomData, "execute.mboxes.parameters.*": CustomData,
		"execute.pageload.profileparameters.*": CustomData, "property.*": Technical,
	}),
	Account: func(u *url.URL) string {
		if pathHasPrefix(u, "/m2/") {
			return pathSegment(u, 1)
		}
		return u.Query().Get("client")
	},
	Event: eventNamed("mbox"),
	Body:  splitOn("-"),
}.decoder()

// adobeWebSDK decodes Adobe Experience Platform Web SDK (alloy) calls:
// /ee/[<region>/]v<n>/interact or /collect on edge.adobedc.net or a
// first-party CNAME, matched by that path shape and the configId
// (datastream) parameter. The JSON body holds one XDM event per element of
// "events", each a hit sharing the request's identity map.
var adobeWebSDK = paramVendor{
	Vendor: "Adobe", Product: "Adobe Experience Platform Web SDK",
	Match: func(u *url.URL) bool {
		p := strings.ToLower(u.EscapedPath())
		return strings.HasPrefix(p, "/ee/") && (strings.HasSuffix(p, "/interact") ||
			strings.HasSuffix(p, "/collect")) && (queryHas(u, "configId") || hostIs(u, "adobedc.net"))
	},
	Rules: makeRules(map[string]Meaning{
		"configid": AccountID, "requestid": Technical,
		"events.xdm.eventtype": EventName, "events.xdm.web.webpagedetails.url": PageURL,
		"events.xdm.web.webpagedetails.name": Title, "events.xdm.web.webreferrer.url": Referrer,
		"events.xdm.web.*": CustomData, "events.xdm.identitymap.ecid.id": BrowserID,
		"events.xdm.identitymap.*": UserID, "xdm.identitymap.ecid.id": BrowserID,
		"events.xdm.device.*": Device, "events.xdm.environment.*": Device, "events.xdm.placecontext.*": Device,
		"events.xdm.implementationdetails.*": Technical, "events.xdm.timestamp": Technical,
		"events.xdm._id": Technical, "events.xdm.*": CustomData, "events.data.*": CustomData,
		"events.query.*": Technical, "events.meta.*": Technical, "meta.*": Technical, "query.*": Technical,
	}),
	Event: pathLast,
	Body:  splitOn("events"),
}.decoder()
