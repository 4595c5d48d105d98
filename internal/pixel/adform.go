package pixel

// adformTrackPoint decodes Adform tracking points,
// track.adform.net/Serving/TrackPoint/ (also a1.adform.net and the
// first-party-looking adform.net subdomains): pm is the tracking setup ID,
// ADFPageName the page or event name, loc the page, ord a cache buster;
// the advertiser's own variables (itm, Set1...) are kept Raw.
var adformTrackPoint = paramVendor{
	Vendor: "Adform", Product: "Adform",
	Match: matchHostPath([]string{"adform.net"}, "/serving/trackpoint"),
	Rules: makeRules(map[string]Meaning{
		"pm": AccountID, "adfpagename": EventName, "loc": PageURL, "ord": Technical,
		"adfdivider": Technical, "adftpmode": Technical, "gdpr": Technical, "gdpr_consent": Technical,
	}),
	Event: eventNamed("trackpoint"),
}.decoder()
