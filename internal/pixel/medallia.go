package pixel

// medalliaDXA decodes Medallia DXA (Decibel Insight) collection calls,
// collection.decibelinsight.net/i/<account>/...: session-replay and
// analytics batches (JSON in the body) with wid the website, sid the
// session, pvid the page view.
var medalliaDXA = paramVendor{
	Vendor: "Medallia", Product: "Medallia DXA",
	Match: matchHostPath([]string{"decibelinsight.net"}, "/i/"),
	Rules: makeRules(map[string]Meaning{
		"wid": CustomData, "sid": BrowserID, "pvid": Technical, "type": Technical, "dnt": Technical,
		"dc": Technical, "dv": Technical, "dl": Technical, "retrycode": Technical,
		"pu": PageURL, "pt": Title, "ref": Referrer, "uid": UserID, "lid": BrowserID,
		"srw": Device, "srh": Device, "vpw": Device, "vph": Device, "lan": Device, "tz": Device,
		"v": Technical, "cv": Technical, "cjs": Technical, "htmlversion": Technical, "bot": Technical,
		"thash": Technical, "uhash": Technical, "navtype": Technical, "*": CustomData,
	}),
	Account: pathSegmentAt(1),
	Event:   eventNamed("session data"),
	Body:    splitOn("-"),
}.decoder()
