package pixel

// outbrainPixel decodes the Outbrain pixel: tr.outbrain.com/pixel and
// /unifiedPixel (marketerId, name event, dl page) and the Amplify pixel
// amplifypixel.outbrain.com/pixel (mid marketer). /cachedClickId only
// fetches a stored click ID and the widget scripts are not hits.
var outbrainPixel = paramVendor{
	Vendor: "Outbrain", Product: "Outbrain Pixel",
	Match: matchHostPath([]string{"tr.outbrain.com", "amplifypixel.outbrain.com"},
		"/pixel", "/unifiedpixel"),
	Rules: makeRules(map[string]Meaning{
		"marketerid": AccountID, "mid": AccountID, "name": EventName, "dl": PageURL, "ref": Referrer,
		"optout": Technical, "bust": Technical, "obapiversion": Technical, "obtpversion": Technical,
		"orderid": CustomData, "ordervalue": CustomData, "currency": CustomData, "ob_click_id": ClickID,
		"obclid": ClickID, "cb": Technical, "cnsnt": Technical, "cnsntv": Technical, "gdpr": Technical,
		"gdpr_consent": Technical, "us_privacy": Technical, "bt": Technical, "ver": Technical,
	}),
	Event: eventNamed("PAGE_VIEW"),
}.decoder()
