package pixel

import (
	"bytes"
	"mime"
	"mime/multipart"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/traffic"
)

// wantHit is an expected hit: request index, account and event.
type wantHit struct {
	index          int
	account, event string
}

// productHits returns the (index, account, event) of every hit of product.
func productHits(reqs []*traffic.Request, product string) []wantHit {
	var out []wantHit
	for _, r := range reqs {
		for _, h := range Decode(r) {
			if h.Product == product {
				out = append(out, wantHit{h.RequestIndex, h.Account, h.Event})
			}
		}
	}
	return out
}

// The expected hits below were read from the HAR files with a separate
// Python script (urllib.parse over each entry's URL and postData).
var healthShopWant = map[string]map[string][]wantHit{
	"health-shop-mylabbox.har": {
		"Meta Pixel": hitsOf("1790176861228431", 5, "PageView", 7, "PageView", 15, "SubscribedButtonClick",
			16, "Microdata", 18, "PageView", 26, "ViewContent", 29, "SubscribedButtonClick", 31, "Microdata",
			56, "PageView", 62, "AddToCart", 66, "Microdata", 70, "SubscribedButtonClick", 72, "PageView",
			75, "InitiateCheckout", 80, "Microdata", 89, "SubscribedButtonClick"),
		"Google Analytics 4": hitsOf("G-37ZNM9SYHH", 39, "view_item", 88, "begin_checkout", 88, "page_view",
			90, "scroll"),
		"Microsoft UET": hitsOf("17130725", 42, "pageLoad", 43, "view_item", 44, "add_to_cart", 81, "pageLoad"),
		"Criteo OneTag": hitsOf("103480", 37, "exd,vp,ce,dis", 38, "exd,vp,ce,dis"),
		"TikTok Pixel":  nil,
	},
	"health-shop-oraquick.har": {
		"Meta Pixel": hitsOf("504825774037444", 5, "PageView", 11, "SubscribedButtonClick", 19, "PageView",
			28, "PageView", 38, "PageView", 48, "ViewProductContent", 49, "PageView", 54, "Microdata",
			62, "SubscribedButtonClick", 71, "PageView", 74, "SubscribedButtonClick", 85, "PageView",
			90, "PageView", 99, "Microdata", 104, "SubscribedButtonClick", 105, "PageView"),
		"Google Analytics 4": hitsOf("G-LVHB9N5SXM", 2, "page_view", 14, "scroll", 24, "page_view",
			34, "page_view", 42, "scroll", 46, "page_view", 59, "scroll", 67, "page_view", 76, "scroll",
			77, "PROCEED_TO_CHECKOUT", 81, "page_view", 103, "scroll"),
		"Microsoft UET": nil,
		"Criteo OneTag": nil,
		"TikTok Pixel":  nil,
	},
	"health-shop-personalabs.har": {
		"Meta Pixel": append(hitsOf("1912024018950554", 11, "PageView"),
			append(hitsOf("2454266524874418", 29, "PageView"),
				hitsOf("1912024018950554", 33, "Microdata", 37, "SubscribedButtonClick", 43, "PageView")...)...),
		"Google Analytics 4": hitsOf("G-ZTQZJ08Z2Q", 191, "page_view", 191, "begin_checkout"),
		"Universal Analytics": hitsOf("UA-55270555-1", 8, "pageview", 12, "dc", 44, "pageview",
			79, "pageview", 91, "prodDetailView", 113, "pageview", 116, "checkout"),
		"Microsoft UET": hitsOf("211013717", 16, "pageLoad", 55, "pageLoad", 89, "pageLoad", 125, "pageLoad"),
		"TikTok Pixel": hitsOf("CA8ELM3C77U5A931T9GG", 31, "Pageview", 49, "Pageview", 87, "Pageview",
			119, "InitiateCheckout", 120, "Pageview", 213, "EnrichAM"),
		"Criteo OneTag": nil,
	},
}

// personalabsMetaRest are the personalabs Meta hits after request 43.
var personalabsMetaRest = []wantHit{
	{46, "2454266524874418", "PageView"}, {65, "1912024018950554", "Microdata"},
	{71, "1912024018950554", "SubscribedButtonClick"}, {78, "1912024018950554", "PageView"},
	{81, "2454266524874418", "PageView"}, {103, "1912024018950554", "Microdata"},
	{112, "1912024018950554", "PageView"}, {115, "2454266524874418", "PageView"},
	{134, "1912024018950554", "Microdata"}, {214, "1912024018950554", "SubscribedButtonClick"},
}

func hitsOf(account string, pairs ...any) []wantHit {
	var out []wantHit
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, wantHit{pairs[i].(int), account, pairs[i+1].(string)})
	}
	return out
}

func TestHealthShopHARs(t *testing.T) {
	t.Parallel()
	for file, products := range healthShopWant {
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			reqs := loadHAR(t, file)
			for product, want := range products {
				if file == "health-shop-personalabs.har" && product == "Meta Pixel" {
					want = append(append([]wantHit(nil), want...), personalabsMetaRest...)
				}
				got := productHits(reqs, product)
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s: got %d hits %v\nwant %d %v", product, len(got), got, len(want), want)
				}
			}
		})
	}
}

// TestHealthShopNothingDropped checks that every query and body parameter
// of every decoded request appears as a field (decoded JSON parameters
// appear as their nested fields).
func TestHealthShopNothingDropped(t *testing.T) {
	t.Parallel()
	for file := range healthShopWant {
		reqs := loadHAR(t, file)
		for _, r := range reqs {
			hits := Decode(r)
			if len(hits) == 0 || hits[0].Product == "Criteo OneTag" {
				continue
			}
			u, _ := url.Parse(r.URL)
			names := map[string]bool{}
			for _, h := range hits {
				for _, f := range h.Fields {
					base, _, _ := strings.Cut(f.Name, ">")
					names[base] = true
					names[f.Name] = true
				}
			}
			for _, p := range allParams(r, u) {
				if !names[p.Name] {
					t.Errorf("%s #%d: parameter %q not in any field", file, r.Index, p.Name)
				}
			}
		}
	}
}

// TestMetaMultipartMatchesGET re-sends the parts of every multipart /tr
// beacon as an image GET and as a form POST: all three decode alike.
func TestMetaMultipartMatchesGET(t *testing.T) {
	t.Parallel()
	reqs := loadHAR(t, "health-shop-oraquick.har")
	n := 0
	for _, r := range reqs {
		if !strings.HasPrefix(r.BodyMIME, "multipart/") || !strings.Contains(r.URL, "facebook.com/tr") {
			continue
		}
		n++
		q := independentMultipart(t, r)
		get := &traffic.Request{Index: r.Index, Method: "GET", URL: "https://www.facebook.com/tr/?" + q}
		post := &traffic.Request{Index: r.Index, Method: "POST", URL: "https://www.facebook.com/tr/",
			BodyMIME: "application/x-www-form-urlencoded", Body: []byte(q)}
		want := Decode(r)
		if len(want) != 1 || want[0].Account != "504825774037444" || fieldValue(want[0].Fields, "fbp") == "" {
			t.Fatalf("#%d: multipart decode = %+v", r.Index, want)
		}
		for _, other := range []*traffic.Request{get, post} {
			if got := Decode(other); !reflect.DeepEqual(got, want) {
				t.Errorf("#%d %s: decodes differently:\n got %+v\nwant %+v", r.Index, other.Method, got, want)
			}
		}
	}
	if n != 5 {
		t.Errorf("multipart /tr requests = %d, want 5", n)
	}
}

// independentMultipart re-encodes a multipart body as a query string using
// only the standard library.
func independentMultipart(t *testing.T, r *traffic.Request) string {
	t.Helper()
	_, params, err := mime.ParseMediaType(r.BodyMIME)
	if err != nil {
		t.Fatal(err)
	}
	mr := multipart.NewReader(bytes.NewReader(r.Body), params["boundary"])
	var parts []string
	for {
		p, err := mr.NextPart()
		if err != nil {
			break
		}
		var buf bytes.Buffer
		_, _ = buf.ReadFrom(p)
		parts = append(parts, url.QueryEscape(p.FormName())+"="+url.QueryEscape(buf.String()))
	}
	return strings.Join(parts, "&")
}

func TestOtherHARs(t *testing.T) {
	t.Parallel()
	cases := []struct {
		file    string
		product string
		want    []wantHit
	}{
		{"pagexray-ferguson.har", "LinkedIn Insight Tag", hitsOf("2801748", 98, "collect", 126, "collect")},
		{"pagexray-ferguson.har", "Meta Pixel", hitsOf("608795229329835", 112, "PageView", 143, "Microdata")},
		{"pagexray-verizon.har", "Meta Pixel", append(hitsOf("703658086400632", 88, "viewcontent"),
			hitsOf("1764154920567330", 95, "PageView")...)},
		{"pagexray-verizon.har", "Microsoft UET", hitsOf("4000289", 110, "pageLoad")},
		{"pagexray-verizon.har", "Pinterest Tag", hitsOf("2615708841426", 97, "se_gridwall")},
		{"pagexray-verizon.har", "Adobe Analytics", hitsOf("vzwiglobal", 111, "event6,event33")},
		{"pagexray-verizon.har", "Floodlight", hitsOf("685973", 112, "vzwvp0", 118, "vzwvp0")},
		{"pagexray-ferguson.har", "Oracle Infinity", hitsOf("evey2dnr2r", 119, "0", 120, "0")},
		{"pagexray-ferguson.har", "Google Analytics audiences", append(hitsOf("G-D8LRHP9HJ8", 103, "sr"),
			hitsOf("UA-643778-1", 115, "sr", 116, "sr")...)},
		{"pagexray-expressen.har", "Quantcast Measure", hitsOf("p-P7x87XHnVfbWr", 191, "pixel", 395, "pixel", 597, "pixel")},
		{"pagexray-expressen.har", "Google Ad Manager audience pixel",
			hitsOf("/34405621/DFPAudiencePixel", 182, "audience", 362, "audience", 588, "audience")},
		{"health-shop-mylabbox.har", "Klaviyo", hitsOf("UsRnv6", 4, "__activity__", 10, "__activity__",
			20, "__activity__", 23, "Viewed Product", 24, "onsite/identify", 58, "__activity__", 79, "$started_checkout")},
		{"health-shop-personalabs.har", "Google Analytics audiences", hitsOf("UA-55270555-1", 20, "sr")},
	}
	for _, c := range cases {
		t.Run(c.file+"/"+c.product, func(t *testing.T) {
			t.Parallel()
			got := productHits(loadHAR(t, c.file), c.product)
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

// TestRealFieldMeanings pins meanings of fields as they occur in real
// captures (values read from the HAR files).
func TestRealFieldMeanings(t *testing.T) {
	t.Parallel()
	cases := []struct {
		file  string
		index int
		want  wantField
	}{
		{"health-shop-mylabbox.har", 29, wantField{"udff[fn]", "b1d6b91b67c2afa5e322988d9462638d354ddf8a1ef79dba987f815c22b4baee", HashedName}},
		{"health-shop-mylabbox.har", 29, wantField{"udff[ln]", "315d0e7df1b4bbfcfa1e50e01dcc17a110b06e96470f18e8ccb21b61d67f0ae5", HashedName}},
		{"health-shop-mylabbox.har", 37, wantField{"p2>m", "[e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855]", HashedEmail}},
		{"health-shop-personalabs.har", 213, wantField{"context.user.auto_phone_number", "6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b", HashedPhone}},
		{"health-shop-personalabs.har", 31, wantField{"context.page.url", "https://www.personalabs.com/shop/", PageURL}},
		{"health-shop-personalabs.har", 191, wantField{"pr1>nm", "Quantitative Pregnancy Blood Test - LabCorp", CustomData}},
		{"health-shop-personalabs.har", 3, wantField{"tiba", "Order Your Own Labs | Easy and Affordable", Title}},
		{"health-shop-oraquick.har", 11, wantField{"cd[buttonFeatures]>innerText", "LEARN MORE", CustomData}},
		{"health-shop-oraquick.har", 5, wantField{"fbp", "fb.1.1682453443999.657330272", BrowserID}},
		{"health-shop-mylabbox.har", 24, wantField{"properties.$email", "test@gmail.com", PlainPII}},
		{"health-shop-mylabbox.har", 23, wantField{"data>customer_properties.$email", "test@gmail.com", PlainPII}},
		{"pagexray-ferguson.har", 98, wantField{"url", "https://www.ferguson.com/", PageURL}},
		{"pagexray-verizon.har", 111, wantField{"pageName", "/desktop store/devices/grid view/smartphones", Title}},
		{"pagexray-verizon.har", 112, wantField{"u12", "f4dac64d703243369dc7ef677d10190c", CustomData}},
	}
	loaded := map[string][]*traffic.Request{}
	for _, c := range cases {
		reqs, ok := loaded[c.file]
		if !ok {
			reqs = loadHAR(t, c.file)
			loaded[c.file] = reqs
		}
		hits := Decode(reqs[c.index])
		found := false
		for _, h := range hits {
			found = found || hasField(h.Fields, c.want)
		}
		if !found {
			t.Errorf("%s #%d: no field %s=%q (%s)", c.file, c.index, c.want.name, c.want.value, c.want.meaning)
		}
	}
}
