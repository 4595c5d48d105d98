package pixel

// marfeelCompass decodes Marfeel Compass analytics calls to its collection
// host events.newsroom.bi: /ingest.php (page views and engagement, polled
// while the page is open) and /recirculation/ (module impressions). The
// parameter names account (ac) and page (url) are unconfirmed; all other
// parameters are kept Raw.
var marfeelCompass = paramVendor{
	Vendor: "Marfeel", Product: "Marfeel Compass",
	Match: matchHostPath([]string{"newsroom.bi", "marfeel.com"}, "/ingest.php", "/ingest", "/recirculation/"),
	Rules: makeRules(map[string]Meaning{
		"ac": AccountID, "url": PageURL,
	}),
	Event: eventNamed("page view"),
}.decoder()
