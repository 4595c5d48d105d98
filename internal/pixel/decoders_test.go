package pixel

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"net/url"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// sha256("test@test.com"), from pixel-protocols.md.
const testEmailHash = "f660ab912ec121d1b1e928a0bb4bc61b15f5ad44d5efdc4e1c92a25e99b8e44a"

// sha256("example@example.com") as base64url, from pixel-protocols.md.
const exampleEmailB64 = "McVUPBc00lxyBvX9WRUl0Clb7G_oT_gvlGo0_pcKHmY"

// wantField is a field a hit must contain.
type wantField struct {
	name, value string
	meaning     Meaning
}

type decodeCase struct {
	name    string
	req     *traffic.Request
	product string
	account string
	event   string
	hit     int // which hit of the request the expectations are about
	hits    int // how many hits the request yields (0 means 1)
	fields  []wantField
}

func get(rawURL string) *traffic.Request {
	return &traffic.Request{Index: 7, Method: "GET", URL: rawURL}
}

func post(rawURL, mime, body string) *traffic.Request {
	return &traffic.Request{Index: 7, Method: "POST", URL: rawURL, BodyMIME: mime, Body: []byte(body)}
}

func gzipB64(t testing.TB, s string) string {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write([]byte(s))
	_ = zw.Close()
	return base64.StdEncoding.EncodeToString(buf.Bytes())
}

func gzipBytes(s string) string {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write([]byte(s))
	_ = zw.Close()
	return buf.String()
}

func b64url(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func decodeCases(t testing.TB) []decodeCase {
	return append(baseDecodeCases(t), moreDecodeCases()...)
}

func baseDecodeCases(t testing.TB) []decodeCase {
	return []decodeCase{
		{name: "meta GET advanced matching", product: "Meta Pixel", account: "1234567890", event: "Purchase",
			req: get("https://www.facebook.com/tr/?id=1234567890&ev=Purchase&dl=https%3A%2F%2Fshop.example%2Fdashboard" +
				"&ud[em]=" + testEmailHash + "&ud[zp]=abc&udff[ph]=ff&cd[value]=12.5" +
				"&cd[contents]=%5B%7B%22id%22%3A%22sku1%22%2C%22quantity%22%3A2%7D%5D&fbp=fb.1.1.2&newthing=x"),
			fields: []wantField{{"ud[em]", testEmailHash, HashedEmail}, {"ud[zp]", "abc", HashedAddress},
				{"udff[ph]", "ff", HashedPhone}, {"cd[value]", "12.5", CustomData},
				{"cd[contents]>0.id", "sku1", CustomData}, {"cd[contents]>0.quantity", "2", CustomData},
				{"dl", "https://shop.example/dashboard", PageURL}, {"fbp", "fb.1.1.2", BrowserID},
				{"newthing", "x", Raw}}},
		{name: "meta form POST", product: "Meta Pixel", account: "42", event: "Lead",
			req: post("https://www.facebook.com/tr/", "application/x-www-form-urlencoded",
				"id=42&ev=Lead&ud%5Bfn%5D=aa&rqm=formPOST"),
			fields: []wantField{{"ud[fn]", "aa", HashedName}, {"rqm", "formPOST", Technical}}},
		{name: "meta HAR params only", product: "Meta Pixel", account: "43", event: "PageView",
			req: &traffic.Request{Method: "POST", URL: "https://www.facebook.com/tr",
				Params: []traffic.Param{{Name: "id", Value: "43"}, {Name: "ev", Value: "PageView"}}}},
		{name: "meta instagram", product: "Meta Pixel", account: "44", event: "PageView",
			req: get("https://www.instagram.com/tr/?id=44&ev=PageView")},
		{name: "linkedin collect", product: "LinkedIn Insight Tag", account: "123,456", event: "collect",
			req:    get("https://px.ads.linkedin.com/collect?v=2&fmt=js&pid=123,456&time=1&url=https%3A%2F%2Fa.example%2F&li_fat_id=zz"),
			fields: []wantField{{"url", "https://a.example/", PageURL}, {"li_fat_id", "zz", ClickID}}},
		{name: "linkedin attribution", product: "LinkedIn Insight Tag", account: "9", event: "attribution_trigger",
			req: get("https://px.ads.linkedin.com/attribution_trigger?pid=9&time=1&url=u")},
		{name: "linkedin wa base64 gzip", product: "LinkedIn Insight Tag", account: "77", event: "CLICK",
			req: post("https://px.ads.linkedin.com/wa/", "text/plain", gzipB64(t,
				`{"pids":[77],"url":"https://a.example/account","pageTitle":"Jane's account","hem":"`+testEmailHash+
					`","signalType":"CLICK","domAttributes":{"innerText":"221B Baker Street"}}`)),
			fields: []wantField{{"pids.0", "77", AccountID}, {"pageTitle", "Jane's account", Title},
				{"hem", testEmailHash, HashedEmail}, {"domAttributes.innerText", "221B Baker Street", CustomData}}},
		{name: "linkedin wa json", product: "LinkedIn Insight Tag", account: "78", event: "PAGE_VISIT",
			req: post("https://px.ads.linkedin.com/wa/", "application/json", `{"pids":[78],"signalType":"PAGE_VISIT"}`)},
		{name: "snap", product: "Snap Pixel", account: "p-1", event: "PURCHASE",
			req: post("https://tr.snapchat.com/p", "application/x-www-form-urlencoded",
				"pid=p-1&ev=PURCHASE&pl=https%3A%2F%2Fa.example%2F&u_hem="+testEmailHash+"&u_hpn=ab&e_ss=shoes&u_c1=c1"),
			fields: []wantField{{"u_hem", testEmailHash, HashedEmail}, {"u_hpn", "ab", HashedPhone},
				{"e_ss", "shoes", CustomData}, {"pl", "https://a.example/", PageURL}, {"u_c1", "c1", BrowserID}}},
		{name: "uet custom", product: "Microsoft UET", account: "555", event: "purchase",
			req:    get("https://bat.bing.com/action/0?ti=555&Ver=2&evt=custom&ea=purchase&gv=10&p=https%3A%2F%2Fa.example%2F&tl=T&msclkid=m1"),
			fields: []wantField{{"gv", "10", CustomData}, {"tl", "T", Title}, {"msclkid", "m1", ClickID}}},
		{name: "ga4 batched lines", product: "Google Analytics 4", account: "G-ABC", event: "purchase", hit: 1, hits: 2,
			req: post("https://region1.google-analytics.com/g/collect?v=2&tid=G-ABC&cid=1.2&dl=https%3A%2F%2Fa.example%2F&en=page_view",
				"text/plain", "en=scroll&epn.percent=90\r\nen=purchase&ep.search_term=jane%40example.com&uid=u-9\n"),
			fields: []wantField{{"ep.search_term", "jane@example.com", CustomData}, {"uid", "u-9", UserID},
				{"dl", "https://a.example/", PageURL}, {"cid", "1.2", BrowserID}}},
		{name: "ga4 GET", product: "Google Analytics 4", account: "G-XYZ", event: "page_view",
			req:    get("https://analytics.google.com/g/collect?v=2&tid=G-XYZ&en=page_view&dt=Title&up.plan=gold"),
			fields: []wantField{{"dt", "Title", Title}, {"up.plan", "gold", CustomData}}},
		{name: "ga4 server container", product: "Google Analytics 4", account: "G-SRV", event: "x",
			req: get("https://metrics.shop.example/g/collect?v=2&tid=G-SRV&en=x")},
		{name: "ga4 enhanced conversions", product: "Google Analytics 4", account: "G-EC", event: "purchase",
			req: get("https://www.google-analytics.com/g/collect?v=2&tid=G-EC&en=purchase&em=tv.1~em." + exampleEmailB64 +
				"~pn." + testEmailHash + "~fn0." + exampleEmailB64 + "~pc0.94577~co0.us"),
			fields: []wantField{{"em>tv.1~em", exampleEmailB64, HashedEmail}, {"em>tv.1~pn", testEmailHash, HashedPhone},
				{"em>tv.1~fn0", exampleEmailB64, HashedName}, {"em>tv.1~pc0", "94577", PlainPII},
				{"em>tv.1~co0", "us", PlainPII}}},
		{name: "universal analytics batch", product: "Universal Analytics", account: "UA-1-1", event: "signup", hit: 1, hits: 2,
			req: post("https://www.google-analytics.com/batch", "text/plain",
				"v=1&tid=UA-1-1&cid=5&t=pageview&dp=%2Fa\nv=1&tid=UA-1-1&cid=5&t=event&ea=signup&uid=jane&cd3=x"),
			fields: []wantField{{"uid", "jane", UserID}, {"cd3", "x", CustomData}}},
		{name: "google ads conversion", product: "Google Ads", account: "987654", event: "purchase",
			req: get("https://www.googleadservices.com/pagead/conversion/987654/?label=AbC&value=9&currency_code=USD" +
				"&data=event%3Dpurchase%3Btransaction_id%3Dt1&url=https%3A%2F%2Fa.example%2F&tiba=Thanks&em=tv.1~em." + exampleEmailB64),
			fields: []wantField{{"data>event", "purchase", EventName}, {"data>transaction_id", "t1", CustomData},
				{"tiba", "Thanks", Title}, {"em>tv.1~em", exampleEmailB64, HashedEmail}, {"label", "AbC", AccountID}}},
		{name: "google ads remarketing", product: "Google Ads", account: "989842629", event: "remarketing",
			req: get("https://td.doubleclick.net/td/rul/989842629?random=1&url=https%3A%2F%2Fa.example%2F")},
		{name: "google ads user list", product: "Google Ads", account: "111", event: "1p-user-list",
			req: get("https://www.google.com/pagead/1p-user-list/111/?random=1")},
		{name: "floodlight", product: "Floodlight", account: "12345", event: "sale",
			req:    get("https://ad.doubleclick.net/activity;src=12345;type=grp;cat=sale;u1=jane%40example.com;ord=1;~oref=https%3A%2F%2Fa.example%2F?"),
			fields: []wantField{{"u1", "jane@example.com", CustomData}, {"~oref", "https://a.example/", PageURL}}},
		{name: "pinterest", product: "Pinterest Tag", account: "261", event: "checkout",
			req: get("https://ct.pinterest.com/v3/?tid=261&event=checkout&ad=%7B%22loc%22%3A%22https%3A%2F%2Fa.example%2F%22%7D" +
				"&pd=%7B%22em%22%3A%22" + testEmailHash + "%22%7D&ed=%7B%22value%22%3A5%7D&cb=1"),
			fields: []wantField{{"ad>loc", "https://a.example/", PageURL}, {"pd>em", testEmailHash, HashedEmail},
				{"ed>value", "5", CustomData}}},
		{name: "pinterest noscript", product: "Pinterest Tag", account: "262", event: "pagevisit",
			req:    get("https://ct.pinterest.com/v3/?tid=262&event=pagevisit&pd[em]=" + testEmailHash + "&noscript=1"),
			fields: []wantField{{"pd[em]", testEmailHash, HashedEmail}}},
		{name: "tiktok", product: "TikTok Pixel", account: "CXYZ", event: "CompletePayment",
			req: post("https://analytics.tiktok.com/api/v2/pixel/track", "text/plain;charset=UTF-8",
				`{"event":"CompletePayment","context":{"pixel":{"code":"CXYZ"},"page":{"url":"https://a.example/"},`+
					`"user":{"sha256_email":"`+testEmailHash+`"}},"properties":{"value":3}}`),
			fields: []wantField{{"context.page.url", "https://a.example/", PageURL},
				{"context.user.sha256_email", testEmailHash, HashedEmail}, {"properties.value", "3", CustomData}}},
		{name: "x", product: "X Pixel", account: "o1", event: "pageview",
			req:    get("https://t.co/1/i/adsct?txn_id=o1&p_id=Twitter&events=%5B%5B%22pageview%22%2Cnull%5D%5D&tw_document_href=https%3A%2F%2Fa.example%2F&pt=T"),
			fields: []wantField{{"events>0.0", "pageview", EventName}, {"tw_document_href", "https://a.example/", PageURL}}},
		{name: "reddit", product: "Reddit Pixel", account: "t2_x", event: "Purchase",
			req:    get("https://alb.reddit.com/rp.gif?ts=1&id=t2_x&event=Purchase&m.itemCount=2&uuid=u1&em=" + testEmailHash),
			fields: []wantField{{"m.itemCount", "2", CustomData}, {"em", testEmailHash, HashedEmail}}},
		{name: "criteo", product: "Criteo OneTag", account: "1", event: "vh,ce",
			req:    get("https://sslwidget.criteo.com/event?a=1&v=5&p0=e%3Dvh&p1=e%3Dce%26m%3D%255Bjane%2540example.com%255D"),
			fields: []wantField{{"p0>e", "vh", EventName}, {"p1>m", "[jane@example.com]", PlainPII}}},
		{name: "adobe context data", product: "Adobe Analytics", account: "rsid1", event: "purchase",
			req: get("https://metrics.shop.example/b/ss/rsid1/1/JS-2.0/s123?pageName=Home&g=https%3A%2F%2Fa.example%2F" +
				"&events=purchase&v1=jane&c.=&a.=&zip=94577&.a=&myEmail=j%40e.com&.c=&zip=10001"),
			fields: []wantField{{"pageName", "Home", Title}, {"v1", "jane", CustomData},
				{"c.a.zip", "94577", CustomData}, {"c.myEmail", "j@e.com", CustomData}, {"zip", "10001", PlainPII}}},
		{name: "adobe POST text/plain", product: "Adobe Analytics", account: "rs2", event: "event1",
			req: post("https://x.sc.omtrdc.net/b/ss/rs2/0/JS-2.22.0/s1", "text/plain;charset=UTF-8",
				"AQB=1&pageName=Checkout&events=event1&v2=jane%40example.com&AQE=1"),
			fields: []wantField{{"pageName", "Checkout", Title}, {"v2", "jane@example.com", CustomData}}},
		{name: "uet beacon query body", product: "Microsoft UET", account: "8", event: "pageLoad",
			req:    post("https://bat.bing.com/action/0", "text/plain", "ti=8&evt=pageLoad&p=https%3A%2F%2Fa.example%2F"),
			fields: []wantField{{"p", "https://a.example/", PageURL}}},
		{name: "yandex", product: "Yandex Metrica", account: "4444", event: "watch",
			req: get("https://mc.yandex.ru/watch/4444?page-url=https%3A%2F%2Fa.example%2F&browser-info=pv%3A1%3Ats%3A2%3At%3AMy%3A%20Title" +
				"&site-info=%7B%22email%22%3A%22j%40e.com%22%7D"),
			fields: []wantField{{"browser-info>t", "My: Title", Title}, {"browser-info>pv", "1", Technical},
				{"site-info>email", "j@e.com", CustomData}, {"page-url", "https://a.example/", PageURL}}},
		{name: "clarity gzip", product: "Microsoft Clarity", account: "proj1", event: "upload",
			req: post("https://k.clarity.ms/collect", "application/x-clarity-gzip",
				gzipBytes(`{"e":["0.7",1,0,100,"proj1","user1","sess1",1,1,0],"a":[[5,4,"x"]],"p":[]}`)),
			fields: []wantField{{"e.5", "user1", BrowserID}, {"a.0.2", "x", CustomData}}},
		{name: "fullstory", product: "FullStory", account: "o-1", event: "rec/page",
			req: post("https://rs.fullstory.com/rec/page", "application/json",
				`{"OrgId":"o-1","UserId":"u","Url":"https://a.example/","Uid":"jane","email":"j@e.com"}`),
			fields: []wantField{{"Url", "https://a.example/", PageURL}, {"email", "j@e.com", PlainPII}}},
		{name: "hotjar", product: "Hotjar", account: "3210", event: "visit-data",
			req: post("https://in.hotjar.com/api/v2/client/sites/3210/visit-data?sv=7", "application/json",
				`{"window_width":1,"url":"https://a.example/"}`),
			fields: []wantField{{"url", "https://a.example/", PageURL}, {"sv", "7", Raw}}},
		{name: "segment batch", product: "Segment", account: "wk", event: "Order Completed", hit: 1, hits: 2,
			req: post("https://api.segment.io/v1/batch", "application/json",
				`{"batch":[{"type":"page","context":{"page":{"url":"https://a.example/"}}},`+
					`{"type":"track","event":"Order Completed","userId":"u7","properties":{"total":3}}],"writeKey":"wk"}`),
			fields: []wantField{{"batch.1.userId", "u7", UserID}, {"batch.1.properties.total", "3", CustomData},
				{"writeKey", "wk", AccountID}}},
		{name: "amplitude v1 form", product: "Amplitude", account: "key1", event: "Viewed", hit: 1, hits: 2,
			req: post("https://api2.amplitude.com/", "application/x-www-form-urlencoded",
				"client=key1&e="+url.QueryEscape(`[{"event_type":"Open"},{"event_type":"Viewed","user_id":"jane","event_properties":{"q":"x"}}]`)+"&v=2"),
			fields: []wantField{{"e>1.user_id", "jane", UserID}, {"e>1.event_properties.q", "x", CustomData}}},
		{name: "amplitude httpapi", product: "Amplitude", account: "k2", event: "Buy",
			req: post("https://api2.amplitude.com/2/httpapi", "application/json",
				`{"api_key":"k2","events":[{"event_type":"Buy","device_id":"d"}]}`),
			fields: []wantField{{"events.0.device_id", "d", BrowserID}}},
		{name: "mixpanel base64", product: "Mixpanel", account: "tok", event: "Signed Up",
			req: get("https://api-js.mixpanel.com/track/?data=" + base64.StdEncoding.EncodeToString(
				[]byte(`{"event":"Signed Up","properties":{"token":"tok","distinct_id":"d1","$current_url":"https://a.example/"}}`)) + "&ip=1"),
			fields: []wantField{{"data>event", "Signed Up", EventName}, {"data>properties.token", "tok", AccountID},
				{"data>properties.$current_url", "https://a.example/", PageURL}}},
		{name: "mixpanel engage form", product: "Mixpanel", account: "tok2", event: "",
			req: post("https://api.mixpanel.com/engage", "application/x-www-form-urlencoded",
				"data="+url.QueryEscape(`[{"$token":"tok2","$set":{"$email":"j@e.com"}}]`)),
			fields: []wantField{{"data>0.$set.$email", "j@e.com", PlainPII}}},
		{name: "posthog lz64", product: "PostHog", account: "phc_TEST", event: "$pageview",
			req: post("https://us.i.posthog.com/e/?compression=lz64", "application/x-www-form-urlencoded",
				"data="+url.QueryEscape(lzPostHogEvent)+"&compression=lz64"),
			fields: []wantField{{"data>0.properties.$set.email", "jane@example.com", PlainPII},
				{"data>0.properties.$current_url", "https://shop.example/account?email=a@b.c", PageURL}}},
		{name: "posthog gzip-js", product: "PostHog", account: "phc_G", event: "$autocapture",
			req: post("https://eu.i.posthog.com/batch/?compression=gzip-js", "text/plain",
				gzipBytes(`{"api_key":"phc_G","batch":[{"event":"$autocapture","properties":{"distinct_id":"d"}}]}`)),
			fields: []wantField{{"batch.0.properties.distinct_id", "d", BrowserID}}},
		{name: "posthog base64 form", product: "PostHog", account: "phc_B", event: "$identify",
			req: post("https://app.posthog.com/i/v0/e/", "application/x-www-form-urlencoded",
				"data="+url.QueryEscape(base64.StdEncoding.EncodeToString([]byte(`{"event":"$identify","api_key":"phc_B"}`))))},
		{name: "snowplow GET", product: "Snowplow", account: "shop", event: "add_to_cart",
			req: get("https://collector.shop.example/i?e=ue&tv=js-3&aid=shop&url=https%3A%2F%2Fa.example%2F&uid=jane&ue_px=" +
				b64url(`{"schema":"iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0","data":{"schema":"iglu:com.acme/add_to_cart/jsonschema/1-0-0","data":{"sku":"s1"}}}`)),
			fields: []wantField{{"ue_px>data.data.sku", "s1", CustomData}, {"uid", "jane", UserID}}},
		{name: "snowplow tp2", product: "Snowplow", account: "app2", event: "pv", hit: 1, hits: 2,
			req: post("https://c.shop.example/com.snowplowanalytics.snowplow/tp2", "application/json",
				`{"schema":"iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4","data":[`+
					`{"e":"se","aid":"app1","se_ac":"click"},{"e":"pv","aid":"app2","url":"https://a.example/","cx":"`+
					b64url(`{"data":[{"data":{"email":"j@e.com"}}]}`)+`"}]}`),
			fields: []wantField{{"cx>data.0.data.email", "j@e.com", CustomData}, {"url", "https://a.example/", PageURL}}},
		{name: "klaviyo track multipart", product: "Klaviyo", account: "Kx1", event: "Viewed Product",
			req: post("https://a.klaviyo.com/api/track", "multipart/form-data; boundary=B",
				"--B\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\n"+
					`{"event":"Viewed Product","token":"Kx1","properties":{"Url":"https://a.example/p"},"customer_properties":{"$email":"j@e.com"}}`+
					"\r\n--B--\r\n"),
			fields: []wantField{{"data>customer_properties.$email", "j@e.com", PlainPII},
				{"data>properties.Url", "https://a.example/p", PageURL}}},
		{name: "klaviyo identify mislabelled JSON", product: "Klaviyo", account: "Kx2", event: "onsite/identify",
			req: post("https://a.klaviyo.com/api/onsite/identify?c=Kx2", "application/x-www-form-urlencoded",
				`{"token":"Kx2","properties":{"$email":"j@e.com","$exchange_id":"ex1"}}`),
			fields: []wantField{{"properties.$email", "j@e.com", PlainPII}, {"properties.$exchange_id", "ex1", BrowserID}}},
		{name: "quantcast", product: "Quantcast Measure", account: "p-AbC123", event: "pixel",
			req:    get("https://pixel.quantserve.com/pixel/p-AbC123.gif?labels=Campaign.0,Publisher.1"),
			fields: []wantField{{"labels", "Campaign.0,Publisher.1", CustomData}}},
		{name: "quantcast matrix", product: "Quantcast Measure", account: "p-Z9", event: "pixel",
			req:    get("https://pixel.quantserve.com/pixel;r=1;a=p-Z9;fpa=P0-1-2;url=https%3A%2F%2Fa.example%2F;ref="),
			fields: []wantField{{"fpa", "P0-1-2", BrowserID}, {"url", "https://a.example/", PageURL}}},
		{name: "ad manager audience", product: "Google Ad Manager audience pixel", account: "/1/Pixel", event: "audience",
			req:    get("https://pubads.g.doubleclick.net/activity;dc_iu=/1/Pixel;ord=1.5;dc_seg=42"),
			fields: []wantField{{"dc_seg", "42", CustomData}}},
		{name: "ga audiences", product: "Google Analytics audiences", account: "UA-9-1", event: "sr",
			req:    get("https://www.google.se/ads/ga-audiences?t=sr&v=1&tid=UA-9-1&cid=1.2&jid=3"),
			fields: []wantField{{"cid", "1.2", BrowserID}}},
		{name: "oracle infinity", product: "Oracle Infinity", account: "acct1", event: "0",
			req: get("https://dc.oracleinfinity.io/acct1/dcs.gif?dcsuri=%2Faccount&wt.ti=My%20Account&wt.dl=0&wt.co_f=abc&pagename=x"),
			fields: []wantField{{"dcsuri", "/account", PageURL}, {"wt.ti", "My Account", Title},
				{"wt.co_f", "abc", BrowserID}, {"pagename", "x", Raw}}},
	}
}

func TestDecoders(t *testing.T) {
	t.Parallel()
	for _, c := range decodeCases(t) {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			hits := Decode(c.req)
			want := c.hits
			if want == 0 {
				want = 1
			}
			if len(hits) != want {
				t.Fatalf("got %d hits, want %d: %+v", len(hits), want, hits)
			}
			h := hits[c.hit]
			if h.Product != c.product || h.Account != c.account || h.Event != c.event {
				t.Errorf("got product %q account %q event %q; want %q %q %q",
					h.Product, h.Account, h.Event, c.product, c.account, c.event)
			}
			if h.RequestIndex != c.req.Index {
				t.Errorf("RequestIndex = %d, want %d", h.RequestIndex, c.req.Index)
			}
			for _, w := range c.fields {
				if !hasField(h.Fields, w) {
					t.Errorf("missing field %s=%q (%s); fields: %s", w.name, w.value, w.meaning, fieldList(h.Fields))
				}
			}
		})
	}
}

func hasField(fs []Field, w wantField) bool {
	for _, f := range fs {
		if f.Name == w.name && f.Value == w.value && f.Meaning == w.meaning {
			return true
		}
	}
	return false
}

func fieldList(fs []Field) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(f.Name + "=" + f.Value + "(" + string(f.Meaning) + ") ")
	}
	return b.String()
}

// TestEveryDecoderTested makes adding a vendor without a test case fail.
func TestEveryDecoderTested(t *testing.T) {
	t.Parallel()
	tested := map[string]bool{}
	for _, c := range decodeCases(t) {
		tested[c.product] = true
	}
	for _, d := range Decoders() {
		if !tested[d.Product] {
			t.Errorf("decoder %s has no test case", d.Product)
		}
	}
}

// TestMatchNeedsPath: scripts served from tracker hosts are not hits.
func TestMatchNeedsPath(t *testing.T) {
	t.Parallel()
	for _, u := range []string{
		"https://connect.facebook.net/en_US/fbevents.js", "https://www.facebook.com/plugins/like.php?href=x",
		"https://snap.licdn.com/li.lms-analytics/insight.min.js", "https://bat.bing.com/bat.js",
		"https://www.google-analytics.com/analytics.js", "https://www.googletagmanager.com/gtag/js?id=G-1",
		"https://s.pinimg.com/ct/core.js", "https://analytics.tiktok.com/i18n/pixel/events.js?sdkid=X",
		"https://static.ads-twitter.com/uwt.js", "https://static.criteo.net/js/ld/ld.js",
		"https://mc.yandex.ru/metrika/tag.js", "https://www.clarity.ms/tag/abc", "https://static.hotjar.com/c/hotjar-1.js?sv=6",
		"https://cdn.segment.com/analytics.js/v1/k/analytics.min.js", "https://cdn.amplitude.com/libs/x.js",
		"https://cdn.mxpnl.com/libs/mixpanel.js", "https://us-assets.i.posthog.com/static/array.js",
		"https://px.ads.linkedin.com/favicon.ico", "https://shop.example/i?x=1",
		"https://cdn.krxd.net/controltag?confid=ITb_4eqO", "https://static.chartbeat.com/js/chartbeat.js",
		"https://z.moatads.com/addthismoatframe568911941483/moatframe.js", "https://cdn.taboola.com/libtrc/unip/1977/tfa.js",
		"https://widgets.outbrain.com/outbrain.js", "https://amplify.outbrain.com/cp/obtp.js",
		"https://js.adsrvr.org/up_loader.1.1.0.js", "https://acdn.adnxs.com/dmp/up/pixie.js",
		"https://static.adsafeprotected.com/main.19.8.52.js", "https://cdn.demdex.net/dm/3/demdex.js",
		"https://analytics.tiktok.com/i18n/pixel/config.js?sdkid=C25EUNFMU8Q03RAI4CE0&hostname=a.example",
		"https://www.googleadservices.com/pagead/conversion_async.js", "https://adservice.google.se/adsid/integrator.js",
		"https://sb.scorecardresearch.com/beacon.js", "https://js-agent.newrelic.com/nr-1167.min.js",
		"https://www.google.com/recaptcha/api2/anchor?k=x", "https://google.github.io/pagead/1p-user-list/1/?x=1",
		"https://shop.example/b?c1=2&c2=abc", "https://shop.example/p?c1=2&c2=1", "https://ib.adnxs.com/getuid?x",
		"https://s.amazon-adsystem.com/iu3?cm3ppd=1&d=dtb-pub&csif=t&dl=rbd_kg", "https://us.creativecdn.com/cm-notify?pi=districtm",
		"https://b1sync.zemanta.com/usersync/gumgum/?puid=u_1",
	} {
		if hits := Decode(get(u)); len(hits) != 0 {
			t.Errorf("%s decoded as %s", u, hits[0].Product)
		}
	}
}

func TestHostIs(t *testing.T) {
	t.Parallel()
	cases := []struct {
		host, name string
		want       bool
	}{
		{"facebook.com", "facebook.com", true}, {"www.facebook.com", "facebook.com", true},
		{"WWW.Facebook.COM.", "facebook.com", true}, {"notfacebook.com", "facebook.com", false},
		{"facebook.com.evil.example", "facebook.com", false}, {"com", "facebook.com", false},
	}
	for _, c := range cases {
		u, _ := url.Parse("https://" + c.host + "/x")
		if got := hostIs(u, c.name); got != c.want {
			t.Errorf("hostIs(%q, %q) = %v", c.host, c.name, got)
		}
	}
}

// lzPostHogEvent is a PostHog batch compressed by the lz-string 1.5.0 npm
// package (compressToBase64), as posthog-js sends it with compression=lz64.
const lzPostHogEvent = "NobwRApgbhB2AuYBcYAkAHAhgc2gSwgHcwAaMdAJwHt0IL4CBnZceKgazmXIAsBjAPoAVAKIBlIaTAATPIwaw+8AXmncArozoBaAIxTUfdRQpxlxgDbce8eOkZIA9I8Y8aAOggAPTAFt0FhCOmHx8VOoIAPwQvph4FgC8mAACAEbufAZaiEjgMXFWKABWmLAQyd5+ARAZVL5gAL5NALpAA=="
