package pixel

// yahooDot decodes the Yahoo (formerly Oath / Verizon Media) "dot" pixel,
// sp.analytics.yahoo.com/sp.pl and /spp.pl: .yp the pixel ID, a the
// project, f the page, e the referrer, b the title, ea/el/ev/gv event
// action, label, value and revenue.
var yahooDot = paramVendor{
	Vendor: "Yahoo", Product: "Yahoo Dot",
	Match: matchHostPath([]string{"sp.analytics.yahoo.com"}, "/sp.pl", "/spp.pl"),
	Rules: makeRules(map[string]Meaning{
		".yp": AccountID, "a": Technical, "f": PageURL, "e": Referrer, "b": Title,
		"ea": EventName, "ec": CustomData, "el": CustomData, "ev": CustomData, "gv": CustomData,
		"d": Technical, "n": Technical, "enc": Technical, "yv": Technical, "tagmgr": Technical,
		"js": Technical, "et": Technical, "_": Technical,
	}),
	Event: eventNamed("page view"),
}.decoder()
