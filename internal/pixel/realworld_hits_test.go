package pixel_test

import (
	"context"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/leakwatch/leakwatch/internal/har"
	"github.com/leakwatch/leakwatch/internal/pixel"
	"github.com/leakwatch/leakwatch/internal/sharedtest"
)

// realworldWant are the expected hits of the products added for the
// endpoints measured on real sites, per capture in realworld/: vendor and
// product, how many hits, and the sorted distinct accounts and events
// ("|"-joined; an empty account is a hit whose vendor sends none, e.g. Krux
// user matches). Counts
// were checked against the requests' URLs listed with a separate awk pass
// over the captures (e.g. cityofhope: 11 insight.adsrvr.org/track calls with
// a query; everydayhealth: 44 adsafeprotected.com calls that are neither
// scripts nor parameterless).
var realworldWant = []struct {
	file, vendor, product string
	count                 int
	accounts, events      string
}{
	{"chrome-devtools-brightcheck-optout", "Google", "Google tag", 1, "", "page_view"},
	{"chrome-devtools-gryphon-contact-form", "Google", "Google Ads", 2, "11049623621", "generate_lead"},
	{"chrome-devtools-kidsa-z-button-click", "New Relic", "New Relic Browser", 5, "1808120481", "events|jserrors|page view"},
	{"chrome-devtools-ncssinc-contact-form", "Google", "Google Ads", 2, "338520577", "1p-user-list|viewthroughconversion"},
	{"chrome-devtools-xtramath", "Google", "Google Ads", 3, "10880958156", "gtag.config"},
	{"chrome-devtools-xtramath", "HubSpot", "HubSpot Analytics", 1, "8348326", "page view"},
	{"chrome-har-capturer-cnn", "Adobe", "Adobe Audience Manager", 2, "66757", "id sync"},
	{"chrome-har-capturer-cnn", "Chartbeat", "Chartbeat", 6, "|37612", "mab|ping"},
	{"chrome-har-capturer-cnn", "Comscore", "Comscore", 2, "6035748", "ad"},
	{"chrome-har-capturer-cnn", "Google", "Google Ads", 5, "925133270|986255830", "user-list|viewthroughconversion"},
	{"chrome-har-capturer-cnn", "Integral Ad Science", "Integral Ad Science", 1, "925660", "pub"},
	{"chrome-har-capturer-cnn", "Nielsen", "Nielsen DCR", 2, "us-204044h", "page view"},
	{"chrome-har-capturer-cnn", "Outbrain", "Outbrain Pixel", 2, "006eb1f8dded486e0974a6b4a7b9805f5f", "PAGE_VIEW"},
	{"chrome-har-capturer-cnn", "Salesforce", "Salesforce Krux", 21, "|ITb_4eqO", "data.gif|report|usermatch.gif|v2"},
	{"chrome-har-cityofhope", "Adobe", "Adobe Audience Manager", 4, "903", "id sync"},
	{"chrome-har-cityofhope", "Adobe", "Adobe Target", 2, "cityofhope", "target-global-mbox"},
	{"chrome-har-cityofhope", "Comscore", "Comscore", 2, "18896682", "pixel"},
	{"chrome-har-cityofhope", "Google", "Google Ads", 14, "405492523|677291143|709843537", "1p-conversion|conversion|gtag.config|viewthroughconversion"},
	{"chrome-har-cityofhope", "Outbrain", "Outbrain Pixel", 2, "00553a191fe4a0896cd58114c58de28769", "PAGE_VIEW"},
	{"chrome-har-cityofhope", "The Trade Desk", "The Trade Desk pixel", 11, "b5cuztj|bifqzzq|veejov4|ycwhf6j", "conv|evnt|pxl"},
	{"chrome-har-cityofhope", "Microsoft", "Xandr pixel", 5, "1155242|1157970|19661fcf-fd23-4249-9d52-81c618e4489d", "PageView|conversion"},
	{"chrome-har-connectforhealthco", "Adobe", "Adobe Audience Manager", 2, "903", "id sync"},
	{"chrome-har-connectforhealthco", "Google", "Google Ads", 6, "11008580020", "form_start|gtag.config"},
	{"chrome-har-connectforhealthco", "Google", "Google tag", 1, "AW-11008580020", "page_view"},
	{"chrome-har-connectforhealthco", "The Trade Desk", "The Trade Desk pixel", 2, "9b84kfz|l35vzgk", "pxl|up"},
	{"chrome-har-domesticshelters", "Adobe", "Adobe Audience Manager", 2, "420", "id sync"},
	{"chrome-har-domesticshelters", "Google", "Google Ads", 8, "696448608", "gtag.config"},
	{"chrome-har-domesticshelters", "New Relic", "New Relic Browser", 4, "222546979", "page view"},
	{"chrome-har-everydayhealth", "Adobe", "Adobe Audience Manager", 4, "266306|540|903", "id sync"},
	{"chrome-har-everydayhealth", "Comscore", "Comscore", 5, "6035818", "pixel"},
	{"chrome-har-everydayhealth", "Integral Ad Science", "Integral Ad Science", 44, "|366741|8002|8008", "dt|jload|mon|skeleton.js"},
	{"chrome-har-everydayhealth", "Outbrain", "Outbrain Pixel", 8, "003cce4b8a7ed2d6ba38bcd07c67bdf56e", "PAGE_VIEW"},
	{"chrome-har-everydayhealth", "Salesforce", "Salesforce Krux", 2, "", "usermatch.gif|v2"},
	{"chrome-har-everydayhealth", "Taboola", "Taboola", 12, "1977", "page_view|pre_d_eng_tb|recommendations"},
	{"chrome-har-everydayhealth", "The Trade Desk", "The Trade Desk pixel", 3, "0ofee5v", "up"},
	{"chrome-har-mahealthconnector", "Google", "Google Ads", 3, "999124043", "gtag.config"},
	{"chrome-har-mahealthconnector", "Google", "Google tag", 1, "DC-12478002", "page_view"},
	{"chrome-har-mahealthconnector", "Microsoft", "Xandr pixel", 1, "", "segment"},
	{"chrome-har-marchofdimes", "Adobe", "Adobe Audience Manager", 4, "28645|903", "id sync"},
	{"chrome-har-marchofdimes", "Google", "Google Ads", 8, "1071894384|794610601", "gtag.config"},
	{"chrome-har-marchofdimes", "Optimizely", "Optimizely", 4, "7780304902", "client_activation|view_activated"},
	{"chrome-har-marchofdimes", "Taboola", "Taboola", 5, "1335104", "pre_d_eng_tb|recommendations"},
	{"chrome-har-marchofdimes", "The Trade Desk", "The Trade Desk pixel", 9, "neosmcd|nzx1z26|ya7qt38", "conv|evnt|up"},
	{"chrome-har-marylandhealthconnection", "Google", "Google Ads", 14, "953853616", "1p-conversion|conversion|gtag.config|remarketing|viewthroughconversion"},
	{"chrome-har-marylandhealthconnection", "Google", "Google tag", 1, "DC-5156370", "page_view"},
	{"chrome-har-marylandhealthconnection", "Taboola", "Taboola", 2, "1612304", "pre_d_eng_tb|recommendations"},
	{"chrome-har-marylandhealthconnection", "The Trade Desk", "The Trade Desk pixel", 1, "qo0e4s0", "up"},
	{"chrome-har-nevadahealthlink", "Adobe", "Adobe Audience Manager", 2, "903", "id sync"},
	{"chrome-har-nevadahealthlink", "Google", "Google Ads", 10, "1026675585|388099485", "1p-conversion|conversion|gtag.config|remarketing|viewthroughconversion"},
	{"chrome-har-nevadahealthlink", "Google", "Google tag", 1, "", "page_view"},
	{"chrome-har-nevadahealthlink", "HubSpot", "HubSpot Analytics", 2, "20852371", "page view"},
	{"chrome-har-nevadahealthlink", "New Relic", "New Relic Browser", 2, "1502915114", "events|page view"},
	{"chrome-har-nevadahealthlink", "The Trade Desk", "The Trade Desk pixel", 5, "j0fttr3|u3ok9qt|vbvkpdd", "conv|pxl|up"},
	{"chrome-har-nj-gov", "Google", "Google Ads", 24, "11234399146|11319769527|11468904873|16450039080|16526961021|16535396049|16692063921|16743459667", "gtag.config"},
	{"chrome-har-nj-gov", "Google", "Google tag", 1, "", "page_view"},
	{"chrome-har-nsvrc", "Adobe", "Adobe Audience Manager", 2, "420", "id sync"},
	{"chrome-har-nsvrc", "New Relic", "New Relic Browser", 4, "91162169", "page view"},
	{"chrome-har-nystateofhealth", "Google", "Google Ads", 3, "830549875", "1p-user-list|remarketing|viewthroughconversion"},
	{"chrome-har-nystateofhealth", "Google", "Google tag", 1, "", "page_view"},
	{"chrome-har-nystateofhealth", "The Trade Desk", "The Trade Desk pixel", 1, "sx9o09y", "up"},
	{"chrome-har-nystateofhealth", "Microsoft", "Xandr pixel", 3, "3a038b05-1f60-4c47-be35-93c4b8d220b2", "PageView|pixie"},
	{"chrome-har-plannedparenthood", "Adobe", "Adobe Audience Manager", 4, "1121", "id sync"},
	{"chrome-har-plannedparenthood", "Google", "Google Ads", 24, "644728173|792381940|800828946|937979198|952276156|976842496", "1p-user-list|viewthroughconversion"},
	{"chrome-har-plannedparenthood", "Google", "Google Analytics (ga.js)", 2, "UA-8867852-42", "page"},
	{"chrome-har-plannedparenthood", "Salesforce", "Salesforce Krux", 3, "", "usermatch.gif"},
	{"chrome-har-plannedparenthood", "Tealium", "Tealium Collect", 2, "plannedparenthood", "dataLayer_initialized"},
	{"chrome-har-plannedparenthood", "The Trade Desk", "The Trade Desk pixel", 5, "6u9rx4h|7rgft46|o3a123n", "pxl|up"},
	{"chrome-har-ppgulfcoast", "Adobe", "Adobe Audience Manager", 3, "1121", "id sync"},
	{"chrome-har-ppgulfcoast", "Google", "Google Ads", 24, "644728173|792381940|800828946|937979198|952276156|976842496", "1p-user-list|viewthroughconversion"},
	{"chrome-har-ppgulfcoast", "Google", "Google Analytics (ga.js)", 2, "UA-8867852-42", "page"},
	{"chrome-har-ppgulfcoast", "Salesforce", "Salesforce Krux", 2, "", "usermatch.gif"},
	{"chrome-har-ppgulfcoast", "Teads", "Teads Pixel", 2, "1842", "pageView"},
	{"chrome-har-ppgulfcoast", "Tealium", "Tealium Collect", 2, "plannedparenthood", "dataLayer_initialized"},
	{"chrome-har-ppgulfcoast", "The Trade Desk", "The Trade Desk pixel", 6, "6u9rx4h|7rgft46|o3a123n", "pxl|up"},
	{"chrome-har-savethechildren", "Adobe", "Adobe Audience Manager", 5, "28645|411|903", "id sync"},
	{"chrome-har-savethechildren", "Adobe", "Adobe Experience Cloud ID", 4, "6B0E659F56A9E70D7F000101@AdobeOrg", "id"},
	{"chrome-har-savethechildren", "Adobe", "Adobe Target", 2, "savethechildrenfeder", "mbox"},
	{"chrome-har-savethechildren", "Comscore", "Comscore", 2, "18896682", "pixel"},
	{"chrome-har-savethechildren", "Medallia", "Medallia DXA", 18, "13874", "session data"},
	{"chrome-har-savethechildren", "Outbrain", "Outbrain Pixel", 2, "00569da938e06cb48f6f60ece5ae3d324c", "PAGE_VIEW"},
	{"chrome-har-savethechildren", "Salesforce", "Salesforce Krux", 2, "", "usermatch.gif|v2"},
	{"chrome-har-savethechildren", "The Trade Desk", "The Trade Desk pixel", 11, "0ugbyxx|a6t02yu|f35s4e0", "conv|evnt|pxl|up"},
	{"chrome-har-suntrust", "Adobe", "Adobe Audience Manager", 7, "22054|30646|390122|411|477|771|992", "id sync"},
	{"chrome-har-suntrust", "Adobe", "Adobe Experience Cloud ID", 4, "AA7A3BC75245B3BC0A490D4D@AdobeOrg", "id"},
	{"chrome-har-suntrust", "Adobe", "Adobe Target", 2, "suntrust", "target-global-mbox"},
	{"chrome-har-suntrust", "Google", "Google Ads", 42, "1029148939|1029943699|1038004927|729854728|752886072|862537282|973377087|987007181|992292463", "1p-conversion|1p-user-list|conversion|viewthroughconversion"},
	{"chrome-har-suntrust", "Outbrain", "Outbrain Pixel", 2, "00124aff2cd076e9bda60b0b362aa400f1", "PAGE_VIEW"},
	{"chrome-har-suntrust", "Taboola", "Taboola", 5, "1005736", "pre_d_eng_tb|recommendations"},
	{"chrome-har-suntrust", "Microsoft", "Xandr pixel", 1, "997500", "conversion"},
	{"chrome-har-theclinickc", "Adobe", "Adobe Audience Manager", 3, "127444|411|771", "id sync"},
	{"chrome-har-theclinickc", "Adobe", "Adobe Experience Cloud ID", 3, "3B6E35F15A82BBB00A495D91@AdobeOrg", "id"},
	{"chrome-har-theclinickc", "Adobe", "Adobe Target", 2, "mcclatchy", "mbox"},
	{"chrome-har-theclinickc", "Comscore", "Comscore", 1, "6035363", "beacon"},
	{"chrome-har-theclinickc", "Nielsen", "Nielsen DCR", 2, "us-203838h", "page view"},
	{"chrome-har-usmint", "Adobe", "Adobe Audience Manager", 2, "1121|411", "id sync"},
	{"chrome-har-usmint", "Adobe", "Adobe Experience Cloud ID", 1, "7A9335DD5CF935CA0A495FCD@AdobeOrg", "id"},
	{"chrome-har-usmint", "Google", "Google Ads", 6, "980056527", "1p-conversion|conversion|viewthroughconversion"},
	{"chrome-har-usmint", "Google", "Google Analytics (ga.js)", 2, "UA-36309544-1", "page"},
	{"chrome-har-usmint", "Salesforce", "Salesforce Krux", 1, "", "usermatch.gif"},
	{"chrome-har-usmint", "Taboola", "Taboola", 6, "1207982", "page_view|pre_d_eng_tb|recommendations"},
	{"firebug-cnn", "Chartbeat", "Chartbeat", 1, "37612", "ping"},
	{"firebug-cnn", "Comscore", "Comscore", 2, "6035748", "ad"},
	{"firebug-cnn", "Google", "Google Ads", 1, "986255830", "viewthroughconversion"},
	{"firebug-cnn", "Nielsen", "Nielsen DCR", 2, "us-204044h", "page view"},
	{"chrome-devtools-abcmouse-login", "Microsoft", "Microsoft UET", 2, "4021041", "pageHide|pageLoad"},
	{"chrome-har-marchofdimes", "Heap", "Heap", 3, "2111332626", "page view"},
	{"chrome-har-marchofdimes", "Yahoo", "Yahoo Dot", 1, "10028862", "page view"},
	{"chrome-har-nystateofhealth", "Yahoo", "Yahoo Dot", 1, "10176718", "page view"},
	{"chrome-har-ppgulfcoast", "Yahoo", "Yahoo Dot", 4, "10015862|10095773", "page view"},
}

func TestRealworldHits(t *testing.T) {
	t.Parallel()
	dir := sharedtest.Dir(t)
	byFile := map[string][]int{}
	for i, w := range realworldWant {
		byFile[w.file] = append(byFile[w.file], i)
	}
	for file, idx := range byFile {
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			c, err := har.ReadFile(context.Background(), filepath.Join(dir, "realworld", file+".har.gz"), har.Options{MaxResponseBody: 1})
			if err != nil {
				t.Fatal(err)
			}
			type agg struct {
				n        int
				vendor   string
				acc, evs map[string]bool
			}
			got := map[string]*agg{}
			for _, r := range c.Requests {
				for _, h := range pixel.Decode(r) {
					a := got[h.Product]
					if a == nil {
						a = &agg{vendor: h.Vendor, acc: map[string]bool{}, evs: map[string]bool{}}
						got[h.Product] = a
					}
					a.n++
					a.acc[h.Account] = true
					a.evs[h.Event] = true
				}
			}
			for _, i := range idx {
				w := realworldWant[i]
				a := got[w.product]
				if a == nil {
					t.Errorf("%s: no hits, want %d", w.product, w.count)
					continue
				}
				if a.vendor != w.vendor {
					t.Errorf("%s: vendor %q, want %q", w.product, a.vendor, w.vendor)
				}
				if a.n != w.count || joinKeys(a.acc) != w.accounts || joinKeys(a.evs) != w.events {
					t.Errorf("%s: got %d hits accounts %q events %q; want %d %q %q", w.product,
						a.n, joinKeys(a.acc), joinKeys(a.evs), w.count, w.accounts, w.events)
				}
			}
		})
	}
}

func joinKeys(m map[string]bool) string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return strings.Join(out, "|")
}
