package pixel

// tealiumCollect decodes Tealium collect calls to collect.tealiumiq.com:
// /<account>/<profile>/2/i.gif (a multipart "data" part holding the data
// layer as JSON) and the EventStream /event endpoint (a JSON body). The
// data layer names the page (dom.url, dom.referrer, dom.title), the
// visitor (tealium_visitor_id, ut.visitor_id) and the site's own variables.
var tealiumCollect = paramVendor{
	Vendor: "Tealium", Product: "Tealium Collect",
	Match: matchHostPath([]string{"collect.tealiumiq.com", "collect-eu-central-1.tealiumiq.com"}, "/"),
	Rules: makeRules(map[string]Meaning{
		"data>data.tealium_account": AccountID, "tealium_account": AccountID,
		"data>event": EventName, "data>data.tealium_event": EventName, "tealium_event": EventName,
		"data>data.tealium_visitor_id": BrowserID, "data>data.ut.visitor_id": BrowserID,
		"tealium_visitor_id": BrowserID, "data>data.ut.session_id": BrowserID, "data>data.tealium_session_id": BrowserID,
		"data>data.dom.url": PageURL, "dom.url": PageURL, "data>data.dom.referrer": Referrer,
		"dom.referrer": Referrer, "data>data.dom.title": Title, "dom.title": Title,
		"data>loader.cfg.*": Technical, "data>post_time": Technical, "data>data.ut.*": Technical,
		"data>data.tealium_*": Technical, "data>data.cp.*": CustomData, "data>*": CustomData,
		"tealium_*": Technical, "*": CustomData,
	}),
	Account: pathSegmentAt(0),
	Event:   eventNamed("collect"),
	Body:    splitOn("-"),
}.decoder()
