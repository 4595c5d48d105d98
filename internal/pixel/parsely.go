package pixel

// parsely decodes Parse.ly pixels, p1.parsely.com/px/ and
// srv.pixel.parsely.com/plogger/: idsite the site (account), url the page,
// urlref the referrer, action the event, data JSON of the site's metadata
// and the parsely_uuid/parsely_site_uuid visitor ID, sid/slts/sts the session.
var parsely = paramVendor{
	Vendor: "Parse.ly", Product: "Parse.ly",
	Match: matchHostPath([]string{"parsely.com"}, "/px", "/plogger"),
	Rules: makeRules(map[string]Meaning{
		"idsite": AccountID, "url": PageURL, "urlref": Referrer, "action": EventName,
		"data>parsely_uuid": BrowserID, "data>parsely_site_uuid": BrowserID, "data>*": CustomData,
		"sid": BrowserID, "slts": Technical, "sts": Technical, "pvid": Technical, "rand": Technical,
		"screen": Device, "date": Technical, "u": BrowserID, "inc": Technical, "tt": Technical,
		"metadata*": CustomData,
	}),
	Event: eventNamed("pageview"),
}.decoder()
