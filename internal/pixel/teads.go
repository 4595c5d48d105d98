package pixel

// teadsPixel decodes the Teads universal pixel, t.teads.tv/track?action=..
// &buyer_pixel_id=..&referer=<page>; a call without tag_version or
// buyer_pixel_id is not the pixel.
var teadsPixel = paramVendor{
	Vendor: "Teads", Product: "Teads Pixel",
	Match: matchHostPath([]string{"t.teads.tv"}, "/track"),
	Rules: makeRules(map[string]Meaning{
		"buyer_pixel_id": AccountID, "action": EventName, "referer": PageURL, "page_url": PageURL,
		"env": Technical, "tag_version": Technical, "hashed_email": HashedEmail, "price": CustomData,
		"currency": CustomData, "conversion_type": CustomData, "gdpr_status": Technical,
		"gdpr_consent": Technical, "ccpa_consent": Technical, "gpp": Technical, "gpp_sid": Technical,
		"auction_id": Technical, "cb": Technical, "teads_cid": ClickID,
	}),
}.decoder()
