package pixel

// permutive decodes Permutive event calls to api.permutive.com (and
// api.permutive.app): /v2.0/events, /v2.0/batch/events, /v2.0/identify and
// the other /v2.0/ APIs. k is the project's API key; the JSON body holds
// user_id (Permutive's visitor ID), the event name and properties, among
// them the page (properties.client.url, .referrer, .title).
var permutive = paramVendor{
	Vendor: "Permutive", Product: "Permutive",
	Match: matchHostPath([]string{"permutive.com", "permutive.app"}, "/v2.0/", "/v2/", "/v3/"),
	Rules: makeRules(map[string]Meaning{
		"k": AccountID, "name": EventName, "user_id": BrowserID, "session_id": BrowserID,
		"view_id": Technical, "id": Technical, "time": Technical, "properties.client.url": PageURL,
		"properties.client.referrer": Referrer, "properties.client.title": Title,
		"properties.client.user_agent": Device, "properties.client.*": Technical, "properties.*": CustomData,
		"aliases.id": UserID, "aliases.tag": Technical, "identities.id": UserID, "identities.tag": Technical,
		"identities.*": Technical, "aliases.*": Technical, "segments": CustomData, "segments.*": CustomData,
	}),
	Event: pathLast,
	Body:  splitOn(""),
}.decoder()
