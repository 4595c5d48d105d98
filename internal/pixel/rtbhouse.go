package pixel

// rtbHouseTag decodes RTB House retargeting tags, creativecdn.com/tags?id=..
// (the id names the advertiser's pixel and, after it, the page type and
// product, e.g. pr_<key>_offer_<sku>). /cm-notify and other paths are ID
// syncs, not tags.
var rtbHouseTag = paramVendor{
	Vendor: "RTB House", Product: "RTB House",
	Match: matchHostPath([]string{"creativecdn.com"}, "/tags"),
	Rules: makeRules(map[string]Meaning{
		"id": AccountID, "ncm": Technical, "tc": Technical, "cd": Technical, "type": Technical,
	}),
	Event: eventNamed("tag"),
}.decoder()
