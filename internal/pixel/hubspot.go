package pixel

// hubspotAnalytics decodes HubSpot tracking pixels, track.hubspot.com/
// __ptq.gif (page views, events): a the portal (account), pu the page, t
// the title, r the referrer, vi/u the hubspotutk visitor, b the session,
// bfp a browser fingerprint, k the kind of call, id a custom event (its
// value in value), ct the content type, po the page path.
var hubspotAnalytics = paramVendor{
	Vendor: "HubSpot", Product: "HubSpot Analytics",
	Match: matchHostPath([]string{"track.hubspot.com", "track-eu1.hubspot.com"}, "/__ptq.gif", "/__pt.gif"),
	Rules: makeRules(map[string]Meaning{
		"a": AccountID, "pu": PageURL, "t": Title, "r": Referrer, "vi": BrowserID, "u": BrowserID,
		"b": BrowserID, "bfp": BrowserID, "k": Technical, "id": EventName, "value": CustomData,
		"ct": Technical, "po": PageURL,
		"sd": Device, "cd": Device, "cs": Device, "ln": Device, "v": Technical, "cts": Technical,
		"nc": Technical, "ce": Technical, "cc": Technical, "pi": Technical, "ps": Technical,
		"ccu": PageURL, "lvc": Technical, "m": CustomData, "pt": Technical, "hs_*": CustomData,
	}),
	Event: eventNamed("page view"),
}.decoder()
