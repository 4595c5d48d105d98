package pixel

// marfeelCompass decodes Marfeel Compass analytics ingestion calls,
// events.newsroom.bi/ingest.php (Compass's collection host). Field names
// beyond the account (ac) and page (url) are unconfirmed and kept Raw.
var marfeelCompass = beacon{
	Vendor: "Marfeel", Product: "Marfeel Compass",
	Match: hostPath([]string{"newsroom.bi", "marfeel.com"}, "/ingest.php", "/ingest"),
	Rules: makeRules(map[string]Meaning{
		"ac": AccountID, "url": PageURL,
	}),
	Event: fixed("page view"),
}.decoder()
