package pixel

// moreDecodeCases are the cases of the decoders added for the endpoints
// measured on real sites. Requests marked "real" are copied from the shared
// captures (file and entry named; long queries cut after the fields the
// case checks); the others are built from the vendor's documented shape
// where no capture holds one.
func moreDecodeCases() []decodeCase {
	return []decodeCase{
		// real: chrome-devtools-brightcheck-optout #12
		{name: "google tag ccm", product: "Google tag", event: "page_view",
			req: post("https://www.google.com/ccm/collect?en=page_view&dl=https%3A%2F%2Fwww.brightcheck.com%2Fopt-out-preferences"+
				"&scrsrc=www.googletagmanager.com&frm=0&rnd=169864053.1752526451&dt=Not%20Found&auid=1697185306.1752526451"+
				"&navt=n&npa=0&gtm=45He57a0v9138712402za200&gcd=13l3l3l3l1l1&dma=0", "", ""),
			fields: []wantField{{"dl", "https://www.brightcheck.com/opt-out-preferences", PageURL}, {"dt", "Not Found", Title},
				{"auid", "1697185306.1752526451", BrowserID}, {"gcd>ad_storage", "unknown (not set, implicit granted)", Technical}}},
		// real: chrome-har-connectforhealthco #92
		{name: "google tag ccm with tid", product: "Google tag", account: "AW-11008580020", event: "page_view",
			req: post("https://www.google.com/ccm/collect?tid=AW-11008580020&en=page_view&dl=https%3A%2F%2Fconnectforhealthco.com%2F", "", "")},
		// real: chrome-har-nevadahealthlink #173 (a country domain below is the same request on google.com.ar)
		{name: "google ads 1p-conversion country domain", product: "Google Ads", account: "388099485", event: "1p-conversion",
			req: get("https://www.google.com.ar/pagead/1p-conversion/388099485/?random=584017494&cv=11&fst=1745853804507" +
				"&bg=ffffff&guid=ON&async=1&gcl_ctr=1&gtm=45be54n0z871460865za201zb898007499&gcd=13r3r3r2r5l1&dma=0&npa=1"),
			fields: []wantField{{"gcd>ad_storage", "granted (update over a denied default)", Technical},
				{"gcd>ad_user_data", "granted (update over a denied default)", Technical}}},
		{name: "google ads 1p-user-list co.uk", product: "Google Ads", account: "953853616", event: "1p-user-list",
			req: get("https://www.google.co.uk/pagead/1p-user-list/953853616/?random=1&cv=11&fst=1&gcs=G101&gcd=13p3t3p3p5")},
		// real: pagexray-verizon / chrome-har-* www.google.bg/ads/user-lists
		{name: "google ads user-lists", product: "Google Ads", account: "986255830", event: "user-list",
			req: get("https://www.google.bg/ads/user-lists/986255830/?script=0&random=1&cdct=2&is_vtc=1")},
		{name: "google ads measurement conversion", product: "Google Ads", account: "AW-123", event: "purchase",
			req: get("https://www.google.com/measurement/conversion/?random=1&cv=11&tid=AW-123&en=purchase&value=9&gcs=G111")},
		{name: "google ads register-conversion", product: "Google Ads", account: "abc", event: "register-conversion",
			req: get("https://www.googleadservices.com/pagead/privacy-sandbox/register-conversion?cv=11&label=abc&gcd=13v3v3v3v5")},
		// real: chrome-har-plannedparenthood #43
		{name: "ga.js classic", product: "Google Analytics (ga.js)", account: "UA-8867852-42", event: "page",
			req: get("https://ssl.google-analytics.com/j/__utm.gif?utmwv=5.7.2&utms=1&utmn=1980825839&utmhn=www.plannedparenthood.org" +
				"&utmdt=Planned%20Parenthood%20%7C%20Official%20Site&utmr=-&utmp=%2F&utmac=UA-8867852-42" +
				"&utmcc=__utma%3D34810208.1369221122.1634566018.1634566019.1634566019.1%3B"),
			fields: []wantField{{"utmp", "/", PageURL}, {"utmdt", "Planned Parenthood | Official Site", Title},
				{"utmcc", "__utma=34810208.1369221122.1634566018.1634566019.1634566019.1;", BrowserID}}},
		// real: chrome-har-capturer-cnn #155
		{name: "comscore r", product: "Comscore", account: "6035748", event: "ad",
			req:    get("http://b.scorecardresearch.com/r?c2=6035748&d.c=gif&d.o=cnn-adbp-intl&d.x=232807706&d.t=page&d.u=http%3A%2F%2Fedition.cnn.com%2F"),
			fields: []wantField{{"d.u", "http://edition.cnn.com/", PageURL}}},
		// real: chrome-har-savethechildren #266
		{name: "comscore p", product: "Comscore", account: "18896682", event: "pixel",
			req:    get("https://ads.scorecardresearch.com/p?c1=9&c2=18896682&c3=2&cs_xi=28825357-8069-4acc-989b-d76450ed2544"),
			fields: []wantField{{"cs_xi", "28825357-8069-4acc-989b-d76450ed2544", BrowserID}}},
		{name: "comscore first-party proxy", product: "Comscore", account: "1000001", event: "beacon",
			req:    get("https://metrics.news.example/b?c1=2&c2=1000001&c7=https%3A%2F%2Fnews.example%2Fa&c8=Story&cs_ucfr=1&ns__t=1"),
			fields: []wantField{{"c7", "https://news.example/a", PageURL}, {"c8", "Story", Title}, {"cs_ucfr", "1", Technical}}},
		// real: chrome-har-capturer-cnn #113
		{name: "integral ad science", product: "Integral Ad Science", account: "925660", event: "pub",
			req: get("http://pixel.adsafeprotected.com/services/pub?anId=925660&slot=%7Bid:ad_bnr_atf_01,ss:%5B970.250%5D,p:/8663477/CNNi/homepage%7D" +
				"&wr=1280.960&sr=1280.960"),
			fields: []wantField{{"slot", "{id:ad_bnr_atf_01,ss:[970.250],p:/8663477/CNNi/homepage}", CustomData}}},
		// real: chrome-har-everydayhealth #257
		{name: "integral ad science mon", product: "Integral Ad Science", account: "8008", event: "mon",
			req:    get("https://pixel.adsafeprotected.com/mon?anId=8008&advId=5368809&campId=23506139&adsafe_url=https%3A%2F%2Fwww.everydayhealth.com%2F"),
			fields: []wantField{{"adsafe_url", "https://www.everydayhealth.com/", PageURL}}},
		// real: chrome-har-capturer-cnn #281
		{name: "krux pixel", product: "Salesforce Krux", account: "ITb_4eqO", event: "report",
			req: get("https://beacon.krxd.net/pixel.gif?source=smarttag&fired=report&confid=ITb_4eqO" +
				"&_kpid=e9eaedd3-c1da-4334-82f0-d7e3ff883c87&_kcp_s=CNN&_kcp_d=edition.cnn.com&_kuid=Lm-9qVlU"),
			fields: []wantField{{"_kuid", "Lm-9qVlU", BrowserID}}},
		// real: chrome-har-capturer-cnn #102
		{name: "krux usermatch", product: "Salesforce Krux", event: "usermatch.gif",
			req:    get("https://beacon.krxd.net/usermatch.gif?partner=nativo&partner_uid=3cb779f4-9f4a-4491-9f65-91c7fd7a484a"),
			fields: []wantField{{"partner_uid", "3cb779f4-9f4a-4491-9f65-91c7fd7a484a", BrowserID}}},
		// real: dpm.demdex.net/id, chrome-har-savethechildren #35; CNAME form, chrome-har-theclinickc #69
		{name: "adobe ecid", product: "Adobe Experience Cloud ID", account: "6B0E659F56A9E70D7F000101@AdobeOrg", event: "id",
			req: get("https://dpm.demdex.net/id?d_visid_ver=5.2.0&d_fieldgroup=MC&d_rtbd=json&d_ver=2&d_verify=1" +
				"&d_orgid=6B0E659F56A9E70D7F000101%40AdobeOrg&d_nsid=0&ts=1634654850711")},
		{name: "adobe ecid cname", product: "Adobe Experience Cloud ID", account: "3B6E35F15A82BBB00A495D91@AdobeOrg", event: "id",
			req: get("https://mcclatchy.sc.omtrdc.net/id?d_visid_ver=5.2.0&d_fieldgroup=A&mcorgid=3B6E35F15A82BBB00A495D91%40AdobeOrg" +
				"&mid=10040509313924939193627850475200614610&ts=1634246302508"),
			fields: []wantField{{"mid", "10040509313924939193627850475200614610", BrowserID}}},
		// real: chrome-har-capturer-cnn #193
		{name: "adobe audience manager ibs", product: "Adobe Audience Manager", account: "66757", event: "id sync",
			req:    get("http://dpm.demdex.net/ibs:dpid=66757&&dpuuid=Lm-9qVlU&redir=http%3A%2F%2Fbeacon.krxd.net%2Fusermatch.gif"),
			fields: []wantField{{"dpuuid", "Lm-9qVlU", BrowserID}}},
		// real: chrome-har-capturer-cnn #197
		{name: "adobe audience manager demconf", product: "Adobe Audience Manager", account: "66757", event: "id sync",
			req:    get("https://dpm.demdex.net/demconf.jpg?et:ibs%7cdata:dpid=66757&&dpuuid=Lm-9qVlU&redir=http%3A%2F%2Fbeacon.krxd.net%2F"),
			fields: []wantField{{"demconf>et", "ibs", Technical}, {"dpuuid", "Lm-9qVlU", BrowserID}}},
		{name: "adobe audience manager event", product: "Adobe Audience Manager", account: "", event: "event",
			req:    get("https://shop.demdex.net/event?d_uuid=123&c_zip=94107&p_segment=x&d_rtbd=json"),
			fields: []wantField{{"c_zip", "94107", CustomData}, {"d_uuid", "123", BrowserID}}},
		// real: chrome-har-cityofhope #19
		{name: "adobe target mbox", product: "Adobe Target", account: "cityofhope", event: "target-global-mbox",
			req: get("https://cityofhope.tt.omtrdc.net/m2/cityofhope/mbox/json?mbox=target-global-mbox&mboxSession=7a3d639130c045d0859acf3042b55934" +
				"&mboxPC=&mboxURL=https%3A%2F%2Fwww.cityofhope.org%2Fhomepage&mboxReferrer=&browserHeight=812"),
			fields: []wantField{{"mboxURL", "https://www.cityofhope.org/homepage", PageURL},
				{"mboxSession", "7a3d639130c045d0859acf3042b55934", BrowserID}}},
		{name: "adobe target delivery api", product: "Adobe Target", account: "acme", event: "home",
			req: post("https://acme.tt.omtrdc.net/rest/v1/delivery?client=acme&sessionId=s1", "application/json",
				`{"id":{"tntId":"t1","marketingCloudVisitorId":"m1"},"context":{"address":{"url":"https://a.example/p"}},"execute":{"mboxes":[{"name":"home","index":0}]}}`),
			fields: []wantField{{"context.address.url", "https://a.example/p", PageURL}, {"id.tntId", "t1", BrowserID}}},
		{name: "adobe web sdk", product: "Adobe Experience Platform Web SDK", account: "0d0e1f2a-1111-2222-3333-444455556666",
			event: "web.webpagedetails.pageViews", hit: 1, hits: 2,
			req: post("https://metrics.shop.example/ee/irl1/v1/interact?configId=0d0e1f2a-1111-2222-3333-444455556666&requestId=r1", "text/plain",
				`{"events":[{"xdm":{"eventType":"web.webinteraction.linkClicks"}},{"xdm":{"eventType":"web.webpagedetails.pageViews",`+
					`"web":{"webPageDetails":{"URL":"https://shop.example/account","name":"Account"}},"identityMap":{"ECID":[{"id":"e1"}]}}}]}`),
			fields: []wantField{{"events.1.xdm.web.webPageDetails.URL", "https://shop.example/account", PageURL},
				{"events.1.xdm.identityMap.ECID.0.id", "e1", BrowserID}}},
		// real: chrome-har-capturer-cnn #263
		{name: "chartbeat mab", product: "Chartbeat", event: "mab",
			req:    get("http://mabping.chartbeat.net/ping/mab?h=edition.cnn.com&p=%2F&d=edition.cnn.com&u=BKwNe27L-kuDVeFM6&c=0&x=[6b4b959b]&v=B&ml=m&e=-1"),
			fields: []wantField{{"p", "/", PageURL}, {"u", "BKwNe27L-kuDVeFM6", BrowserID}}},
		// real: firebug-cnn #96
		{name: "chartbeat ping", product: "Chartbeat", account: "37612", event: "ping",
			req: get("http://ping.chartbeat.net/ping?h=cnn.com&p=%2F&u=DJtwxCDO0dg3DeI6W1&d=cnn.com&g=37612&g0=homepage&n=1"),
		},
		// real: chrome-har-capturer-cnn #103
		{name: "nielsen", product: "Nielsen DCR", account: "us-204044h", event: "page view",
			req:    get("http://secure-us.imrworldwide.com/cgi-bin/m?ci=us-204044h&cg=0&cc=1&si=http%3A//edition.cnn.com/&rp=&ts=compact&rnd=1510574583823"),
			fields: []wantField{{"si", "http://edition.cnn.com/", PageURL}}},
		// real: pagexray-ferguson #118
		{name: "maxymiser", product: "Oracle Maxymiser", account: "ferguson.com", event: "content request",
			req: get("https://service.maxymiser.net/cg/v5us/?fv=dmn%3Dferguson.com%3Bref%3D%3Burl%3Dhttps%253A%252F%252Fwww.ferguson.com%252F" +
				"%3Bscrw%3D1680%3Bscrh%3D1050%3Bclrd%3D30%3Bcok%3D1&lver=1.18&jsncl=mmRequestCallbacks%5B1%5D&ri=1"),
			fields: []wantField{{"fv>url", "https://www.ferguson.com/", PageURL}}},
		{name: "moat", product: "Oracle Moat", account: "ACMECONTENT1", event: "measurement",
			req: get("https://px.moatads.com/pixel.gif?e=17&i=ACMECONTENT1&cm=1&j=https%3A%2F%2Fnews.example%2F&t=1")},
		// real: chrome-devtools-kidsa-z-button-click #47
		{name: "new relic rum", product: "New Relic Browser", account: "1808120481", event: "page view",
			req: post("https://bam.nr-data.net/1/NRBR-2a3c0ee6b50f1017756?a=1808120481&v=1.247.0&rst=562&ck=0&s=eb2483570ad06b70"+
				"&ref=https://www.kidsa-z.com/main/Login", "", ""),
			fields: []wantField{{"ref", "https://www.kidsa-z.com/main/Login", PageURL}, {"s", "eb2483570ad06b70", BrowserID}}},
		// real: chrome-devtools-kidsa-z-button-click #48
		{name: "new relic events", product: "New Relic Browser", account: "1808120481", event: "events",
			req: post("https://bam.nr-data.net/events/1/NRBR-2a3c0ee6b50f1017756?a=1808120481&v=1.247.0&rst=1", "text/plain",
				"bel.7;1,2,,hw,hw,16,'initialPageLoad,'https://www.kidsa-z.com/main/Login,1,1,,,,"),
			fields: []wantField{{"body", "bel.7;1,2,,hw,hw,16,'initialPageLoad,'https://www.kidsa-z.com/main/Login,1,1,,,,", Raw}}},
		{name: "at internet", product: "AT Internet", account: "123456", event: "page view",
			req:    get("https://logs1412.xiti.com/hit.xiti?s=123456&s2=2&p=account::orders&idclient=abc-123&ref=https%3A%2F%2Fa.example%2F&an=77"),
			fields: []wantField{{"p", "account::orders", Title}, {"idclient", "abc-123", BrowserID}, {"an", "77", UserID}}},
		{name: "at internet first party", product: "AT Internet", account: "9", event: "page view",
			req: get("https://stats.shop.example/hit.xiti?s=9&p=home")},
		{name: "gemius", product: "Gemius", account: "zIg1aGr1a3Lw", event: "view",
			req:    get("https://gapl.hit.gemius.pl/_1700000000000/redot.gif?l=30&id=zIg1aGr1a3Lw&fpdata=fp1&href=https%3A%2F%2Fwww.portal.pl%2Fa&ref="),
			fields: []wantField{{"href", "https://www.portal.pl/a", PageURL}, {"fpdata", "fp1", BrowserID}}},
		{name: "permutive", product: "Permutive", account: "k-1", event: "Pageview",
			req: post("https://api.permutive.com/v2.0/events?k=k-1", "application/json",
				`{"user_id":"u-1","name":"Pageview","properties":{"client":{"url":"https://news.example/a","title":"A"}}}`),
			fields: []wantField{{"user_id", "u-1", BrowserID}, {"properties.client.url", "https://news.example/a", PageURL}}},
		// real: chrome-har-cityofhope #78
		{name: "xandr pixie", product: "Xandr pixel", account: "19661fcf-fd23-4249-9d52-81c618e4489d", event: "PageView",
			req: get("https://ib.adnxs.com/pixie?e=PageView&pi=19661fcf-fd23-4249-9d52-81c618e4489d&it=1634740783940&v=0.0.20" +
				"&u=https%3A%2F%2Fwww.cityofhope.org%2Fhomepage&st=1634740783939&et=1634740783941&if=0"),
			fields: []wantField{{"u", "https://www.cityofhope.org/homepage", PageURL}}},
		// real: chrome-har-cityofhope #41
		{name: "xandr segment pixel", product: "Xandr pixel", account: "1155242", event: "conversion",
			req: get("https://secure.adnxs.com/px?id=1155242&seg=19081763&t=2")},
		// real: chrome-har-capturer-cnn #90
		{name: "outbrain pixel", product: "Outbrain Pixel", account: "006eb1f8dded486e0974a6b4a7b9805f5f", event: "PAGE_VIEW",
			req:    get("http://tr.outbrain.com/pixel?marketerId=006eb1f8dded486e0974a6b4a7b9805f5f&obApiVersion=1.0.4&name=PAGE_VIEW&dl=http%3A%2F%2Fedition.cnn.com%2F&bust=08125158190210295"),
			fields: []wantField{{"dl", "http://edition.cnn.com/", PageURL}}},
		// real: chrome-har-everydayhealth #69
		{name: "outbrain amplify", product: "Outbrain Pixel", account: "003cce4b8a7ed2d6ba38bcd07c67bdf56e", event: "PAGE_VIEW",
			req: get("https://amplifypixel.outbrain.com/pixel?mid=003cce4b8a7ed2d6ba38bcd07c67bdf56e&dl=https%3A%2F%2Fwww.everydayhealth.com%2F&bust=03937410681093383")},
		// real: chrome-har-everydayhealth #88
		{name: "taboola unip", product: "Taboola", account: "1977", event: "page_view",
			req: get("https://trc.taboola.com/1977/log/3/unip?en=page_view&tim=1582917912831&vi=1582917912733&ri=ac28635639799039ed12a22a54195706" +
				"&sd=v2_c31c7c4557eeb663dd3a21796843f4da_198e4798-4875-413a-9f71-4516fd0cedea-tuct552ee98_1582917912_1582917912_CAQQuQ"),
			fields: []wantField{{"sd", "v2_c31c7c4557eeb663dd3a21796843f4da_198e4798-4875-413a-9f71-4516fd0cedea-tuct552ee98_1582917912_1582917912_CAQQuQ", BrowserID}}},
		// real: chrome-har-everydayhealth #76
		{name: "taboola feed", product: "Taboola", account: "1977", event: "recommendations",
			req:    get("https://trc.taboola.com/1977/trc/3/json?tim=1582917912836&data=%7B%22id%22%3A272%2C%22ii%22%3A%22%2F%22%2C%22u%22%3A%22https%3A%2F%2Fwww.everydayhealth.com%2F%22%7D"),
			fields: []wantField{{"data>u", "https://www.everydayhealth.com/", PageURL}}},
		// real: chrome-har-ppgulfcoast #112
		{name: "teads", product: "Teads Pixel", account: "1842", event: "pageView",
			req:    get("https://t.teads.tv/track?action=pageView&env=js-web&tag_version=4.0.0_450e737&buyer_pixel_id=1842&referer=https%3A%2F%2Fwww.plannedparenthood.org%2Fplanned-parenthood-gulf-coast"),
			fields: []wantField{{"referer", "https://www.plannedparenthood.org/planned-parenthood-gulf-coast", PageURL}}},
		{name: "marfeel compass", product: "Marfeel Compass", account: "1234", event: "page view",
			req: get("https://events.newsroom.bi/ingest.php?ac=1234&url=https%3A%2F%2Fnews.example%2Fa&x=1")},
		// real: chrome-har-everydayhealth #419
		{name: "trade desk universal", product: "The Trade Desk pixel", account: "0ofee5v", event: "up",
			req:    get("https://insight.adsrvr.org/track/up?adv=0ofee5v&ref=https%3A%2F%2Fwww.everydayhealth.com%2Fulcerative-colitis%2Fguide%2F&upid=wo0gwvg&upv=1.1.0&ret=12&gdpr=0"),
			fields: []wantField{{"ref", "https://www.everydayhealth.com/ulcerative-colitis/guide/", PageURL}}},
		// real: chrome-har-cityofhope #172
		{name: "trade desk conversion", product: "The Trade Desk pixel", account: "veejov4", event: "pxl",
			req: get("https://insight.adsrvr.org/track/pxl/?adv=veejov4&ct=0:jiw1cmg&fmt=3&orderid=&vf=&v=&td1=17c9e24ca1f-tags8-22c939c7c5dfc4")},
		// real: chrome-devtools-xtramath #51
		{name: "hubspot", product: "HubSpot Analytics", account: "8348326", event: "page view",
			req: get("https://track.hubspot.com/__ptq.gif?k=1&sd=1512x982&bfp=1342778728&v=1.1&a=8348326&r=https%3A%2F%2Fxtramath.org%2F" +
				"&pu=https%3A%2F%2Fhome.xtramath.org%2F&t=XtraMath+-+10+minutes+a+day+for+math+fact+fluency&vi=365f52fed0feb2964f658915a37a291d"),
			fields: []wantField{{"pu", "https://home.xtramath.org/", PageURL}, {"vi", "365f52fed0feb2964f658915a37a291d", BrowserID}}},
		// real shape: chrome-har-plannedparenthood #131 (multipart data part, data layer shortened)
		{name: "tealium collect", product: "Tealium Collect", account: "plannedparenthood", event: "view",
			req: post("https://collect.tealiumiq.com/plannedparenthood/main/2/i.gif", "multipart/form-data; boundary=B",
				"--B\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\n"+
					`{"event":"view","data":{"tealium_visitor_id":"0176abc","dom.url":"https://www.plannedparenthood.org/","cp.utag_main_ses_id":"1"}}`+
					"\r\n--B--\r\n"),
			fields: []wantField{{"data>data.dom.url", "https://www.plannedparenthood.org/", PageURL},
				{"data>data.tealium_visitor_id", "0176abc", BrowserID}}},
		// real: chrome-har-marchofdimes #106 (shortened)
		{name: "optimizely", product: "Optimizely", account: "7780304902", event: "client_activation",
			req: post("https://logx.optimizely.com/v1/events", "text/plain;charset=UTF-8",
				`{"account_id":"7780304902","anonymize_ip":false,"client_name":"js","visitors":[{"visitor_id":"oeu1634685429305r0.9257868271849685",`+
					`"session_id":"AUTO","attributes":[],"snapshots":[{"decisions":[],"events":[{"e":null,"y":"client_activation"}]}]}]}`),
			fields: []wantField{{"visitors.0.visitor_id", "oeu1634685429305r0.9257868271849685", BrowserID}}},
		// real: chrome-har-savethechildren #141 (body shortened)
		{name: "medallia dxa", product: "Medallia DXA", account: "13874", event: "session data",
			req: post("https://collection.decibelinsight.net/i/13874/da/?type=page&wid=253647&sid=3514B67F8E33AEAAD5FFAA1348CF7DABD5&pvid=1634654862717",
				"text/plain;charset=UTF-8", "lid=0627854C9A73EA3140AEBB990ACD37A066&pt=Save%20the%20Children&pu=https%3A%2F%2Fwww.savethechildren.org%2F"),
			fields: []wantField{{"pu", "https://www.savethechildren.org/", PageURL}, {"sid", "3514B67F8E33AEAAD5FFAA1348CF7DABD5", BrowserID}}},
		{name: "meta limited data use", product: "Meta Pixel", account: "42", event: "PageView",
			req: get("https://www.facebook.com/tr/?id=42&ev=PageView&dpo=LDU&dpoco=1&dpost=1000"),
			fields: []wantField{{"dpo", "LDU", Technical}, {"dpo>limited_data_use", "on", Technical},
				{"dpoco>country", "United States", Technical}, {"dpost>state", "California", Technical}}},
		{name: "meta limited data use geolocated", product: "Meta Pixel", account: "42", event: "PageView",
			req:    get("https://www.facebook.com/tr/?id=42&ev=PageView&dpo=LDU&dpoco=0&dpost=0"),
			fields: []wantField{{"dpoco>country", "geolocated by Meta", Technical}, {"dpost>state", "geolocated by Meta", Technical}}},
		{name: "meta data processing off", product: "Meta Pixel", account: "42", event: "PageView",
			req:    get("https://www.facebook.com/tr/?id=42&ev=PageView&dpo="),
			fields: []wantField{{"dpo>limited_data_use", "off", Technical}}},
		// real: chrome-devtools-abcmouse-login #5
		{name: "uet pageHide beacon", product: "Microsoft UET", account: "4021041", event: "pageHide",
			req: post("https://bat.bing.com/actionp/0?ti=4021041&Ver=2&mid=baec78d4-366e-4c15-95fa-a338e4becc9c"+
				"&sid=8f760d4083fe11eeab5977abde535b86&vid=8f762e2083fe11ee95c079c968a16957&vids=0&msclkid=N&evt=pageHide", "", ""),
			fields: []wantField{{"vid", "8f762e2083fe11ee95c079c968a16957", BrowserID}}},
		// real: chrome-har-ppgulfcoast #88
		{name: "yahoo dot", product: "Yahoo Dot", account: "10015862", event: "page view",
			req: get("https://sp.analytics.yahoo.com/sp.pl?a=10000&d=Thu%2C%2014%20Oct%202021%2020%3A20%3A17%20GMT&n=0" +
				"&b=Planned%20Parenthood%20Gulf%20Coast%2C%20Inc.&.yp=10015862&f=https%3A%2F%2Fwww.plannedparenthood.org%2Fplanned-parenthood-gulf-coast&enc=UTF-8"),
			fields: []wantField{{"f", "https://www.plannedparenthood.org/planned-parenthood-gulf-coast", PageURL},
				{"b", "Planned Parenthood Gulf Coast, Inc.", Title}}},
		// real: chrome-har-marchofdimes #180
		{name: "heap", product: "Heap", account: "2111332626", event: "page view",
			req: get("https://heapanalytics.com/h?a=2111332626&u=7770866953201292&v=4066001823029807&s=326369717362858&b=web&tv=4.0&z=0" +
				"&h=%2F&d=www.marchofdimes.org&t=Home%20%7C%20March%20of%20Dimes"),
			fields: []wantField{{"u", "7770866953201292", BrowserID}, {"t", "Home | March of Dimes", Title}}},
		{name: "parsely", product: "Parse.ly", account: "news.example", event: "pageview",
			req: get("https://p1.parsely.com/px/?rand=1&idsite=news.example&url=https%3A%2F%2Fnews.example%2Fa&urlref=&action=pageview" +
				"&data=%7B%22parsely_uuid%22%3A%22u-1%22%7D"),
			fields: []wantField{{"data>parsely_uuid", "u-1", BrowserID}, {"url", "https://news.example/a", PageURL}}},
		{name: "matomo", product: "Matomo", account: "3", event: "site search",
			req: get("https://stats.shop.example/matomo.php?idsite=3&rec=1&url=https%3A%2F%2Fshop.example%2Fs&action_name=Search" +
				"&_id=abcdef0123456789&uid=jane%40example.com&search=blood%20test"),
			fields: []wantField{{"uid", "jane@example.com", UserID}, {"search", "blood test", CustomData}, {"_id", "abcdef0123456789", BrowserID}}},
		{name: "matomo bulk", product: "Matomo", account: "4", event: "signup", hit: 1, hits: 2,
			req: post("https://analytics.example/piwik.php", "application/json",
				`{"requests":["?idsite=4&rec=1&url=https%3A%2F%2Fa.example%2F","?idsite=4&rec=1&e_c=form&e_a=signup"]}`),
			fields: []wantField{{"e_c", "form", CustomData}}},
		{name: "piwik pro", product: "Piwik PRO", account: "0f0e-site", event: "page view",
			req: get("https://acme.piwik.pro/ppms.php?idsite=0f0e-site&rec=1&url=https%3A%2F%2Facme.example%2F&_id=v1")},
		{name: "adform trackpoint", product: "Adform", account: "123456", event: "Checkout|Order",
			req:    get("https://track.adform.net/Serving/TrackPoint/?pm=123456&ADFPageName=Checkout%7COrder&ADFdivider=%7C&ord=1&loc=https%3A%2F%2Fshop.example%2Fcheckout"),
			fields: []wantField{{"loc", "https://shop.example/checkout", PageURL}}},
		{name: "amazon ad tag", product: "Amazon Ad Tag", account: "0a1b2c3d-0000-1111-2222-333344445555", event: "PageView",
			req: get("https://s.amazon-adsystem.com/iu3?pid=0a1b2c3d-0000-1111-2222-333344445555&event=PageView&ts=1")},
		{name: "rtb house", product: "RTB House", account: "pr_AbCdEf_home", event: "tag",
			req: get("https://creativecdn.com/tags?id=pr_AbCdEf_home&ncm=1")},
		{name: "zemanta", product: "Zemanta Pixel", account: "12345", event: "PURCHASE",
			req:    get("https://p1.zemanta.com/v2/p/js/12345/PURCHASE/?cb=1&referer=https%3A%2F%2Fshop.example%2Fthanks"),
			fields: []wantField{{"referer", "https://shop.example/thanks", PageURL}}},
		{name: "hubspot custom event", product: "HubSpot Analytics", account: "8348326", event: "000001234",
			req: get("https://track.hubspot.com/__ptq.gif?a=8348326&id=000001234&value=10&pu=https%3A%2F%2Fa.example%2F")},
		{name: "tiktok monitor", product: "TikTok Pixel", account: "C25EUNFMU8Q03RAI4CE0", event: "monitor",
			req: post("https://analytics.tiktok.com/api/v2/monitor", "text/plain",
				`{"metric_name":"pixel_init","context":{"pixel":{"code":"C25EUNFMU8Q03RAI4CE0"},"page":{"url":"https://a.example/"}}}`),
			fields: []wantField{{"context.page.url", "https://a.example/", PageURL}}},
	}
}
