package pixel

// heapAnalytics decodes Heap pixels, heapanalytics.com/h (and /api/):
// a the environment (account), u Heap's user ID, s the session, v the page
// view, h the path, d the domain, t the title, r the referrer; sp and pp
// repeat as key, value, key, value (session and page-view properties).
var heapAnalytics = paramVendor{
	Vendor: "Heap", Product: "Heap",
	Match: matchHostPath([]string{"heapanalytics.com"}, "/h", "/api/track", "/api/identify"),
	Rules: makeRules(map[string]Meaning{
		"a": AccountID, "u": BrowserID, "s": BrowserID, "v": Technical, "h": PageURL,
		"d": Technical, "t": Title, "r": Referrer, "sp": CustomData, "pp": CustomData,
		"k": CustomData, "b": Technical, "tv": Technical, "z": Technical, "ts": Technical,
		"st": Technical, "q": CustomData, "i": UserID, "identity": UserID,
	}),
	Event: eventNamed("page view"),
}.decoder()
