package pixel

// nielsen decodes Nielsen Digital Content Ratings static pings to
// <region>.imrworldwide.com/cgi-bin/m (also /cgi-bin/gn): ci is the client
// ID, si the page, rp the referrer, cg the content group.
var nielsen = paramVendor{
	Vendor: "Nielsen", Product: "Nielsen DCR",
	Match: matchHostPath([]string{"imrworldwide.com"}, "/cgi-bin/"),
	Rules: makeRules(map[string]Meaning{
		"ci": AccountID, "si": PageURL, "rp": Referrer, "cg": CustomData, "cc": Technical,
		"ts": Technical, "rnd": Technical, "ja": Technical, "c*": CustomData, "uoo": Technical,
	}),
	Event: eventNamed("page view"),
}.decoder()
