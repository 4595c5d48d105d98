package pixel

// chartbeat decodes Chartbeat pings: ping.chartbeat.net/ping (engaged
// time, every few seconds) and mabping.chartbeat.net/ping/mab (headline
// tests). h is the site, p the page path, u the visitor token, g the
// account ID, i the title, r the referrer.
var chartbeat = paramVendor{
	Vendor: "Chartbeat", Product: "Chartbeat",
	Match: matchHostPath([]string{"chartbeat.net"}, "/ping"),
	Rules: makeRules(map[string]Meaning{
		"g": AccountID, "h": Technical, "d": Technical, "p": PageURL, "i": Title, "r": Referrer,
		"u": BrowserID, "t": BrowserID, "g0": CustomData, "g1": CustomData, "g2": CustomData,
		"g3": CustomData, "g4": CustomData, "g5": CustomData, "v": CustomData, "x": Technical,
		"y": Technical, "o": Device, "w": Device, "j": Technical, "b": Technical, "c": Technical,
		"n": Technical, "f": Technical, "m": Technical, "e": Technical, "E": Technical,
		"R": Technical, "W": Technical, "I": Technical, "_": Technical, "me": Technical,
		"ml": Technical, "a": Technical, "sn": Technical, "sv": Technical, "sr": Technical,
		"tz": Device, "sd": Technical, "mu": Technical, "ref": Referrer, "pv": Technical,
	}),
	Event: pathLast,
}.decoder()
