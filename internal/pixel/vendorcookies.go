package pixel

import "strings"

// vendorCookie is a vendor's own identifier cookie: a cookie-name pattern
// and the company and registrable domains that receive it as part of the
// vendor's own service. Such a cookie's value going to one of those domains
// is the vendor reading its own identifier (an identifier-cookie finding),
// not a cookie sync; going to any other company it is a sync.
//
// Patterns are exact names, or globs with one '*' ("_ga_*", "ph_*_posthog").
// Names come from the vendors' cookie documentation and cookie databases
// (Open Cookie Database, vendors' consent-management cookie lists).
type vendorCookie struct {
	patterns []string
	company  string
	domains  []string // registrable domains; "google.*" matches any suffix
}

var (
	googleDomains = []string{"google-analytics.com", "googletagmanager.com", "doubleclick.net",
		"googleadservices.com", "googlesyndication.com", "googletagservices.com", "gstatic.com",
		"googleapis.com", "google.*", "youtube.com", "urchin.com", "app-measurement.com"}
	metaDomains = []string{"facebook.com", "facebook.net", "fbcdn.net", "fb.com", "instagram.com",
		"meta.com", "messenger.com"}
	microsoftDomains = []string{"bing.com", "bing.net", "clarity.ms", "microsoft.com", "msn.com",
		"live.com", "microsoftonline.com"}
)

// vendorCookies is the table of vendors' own identifier cookies.
var vendorCookies = []vendorCookie{
	{[]string{"_ga", "_gid", "_ga_*", "__utma", "__utmb", "__utmz", "__utmv", "_gat_*", "FPID", "FPLC",
		"_gcl_*", "__gads", "__gpi", "__gsas", "IDE", "DSID", "NID", "AEC", "1P_JAR", "test_cookie"},
		"Google", googleDomains},
	{[]string{"_fbp", "_fbc", "datr", "c_user"}, "Meta", metaDomains},
	{[]string{"_uetvid", "_uetsid", "_uetmsclkid", "MUID", "ANONCHK", "_clck", "_clsk", "CLID",
		"MSPTC"}, "Microsoft", microsoftDomains},
	{[]string{"_pin_unauth", "_pinterest_ct_ua", "_pinterest_sess", "_pinterest_ct", "_pinterest_ct_rt",
		"_epik", "_derived_epik", "_routing_id"}, "Pinterest", []string{"pinterest.*", "pinimg.com"}},
	{[]string{"_scid", "_scid_r", "_sctr", "_schn", "sc_at", "X-AB"}, "Snap",
		[]string{"snapchat.com", "sc-static.net", "snap.com", "snapads.com"}},
	{[]string{"_ttp", "_tt_enable_cookie", "ttcsid", "ttcsid_*", "tt_sessionId", "tt_appInfo",
		"tt_pixel_session_index", "ttwid", "tt_chain_token"}, "TikTok",
		[]string{"tiktok.com", "tiktokw.us", "tiktokcdn.com", "tiktokcdn-us.com", "tiktokv.com",
			"byteoversea.com", "ttwstatic.com", "ibytedtos.com"}},
	{[]string{"_rdt_uuid", "_rdt_em", "_rdt_cid", "loid", "session_tracker"}, "Reddit",
		[]string{"reddit.com", "redditstatic.com", "redditmedia.com"}},
	{[]string{"ajs_anonymous_id", "ajs_user_id", "ajs_group_id"}, "Segment",
		[]string{"segment.io", "segment.com", "segmentapis.com"}},
	{[]string{"_hj*"}, "Hotjar", []string{"hotjar.com", "hotjar.io"}},
	{[]string{"mp_*"}, "Mixpanel", []string{"mixpanel.com", "mxpnl.com", "mxpnl.net"}},
	{[]string{"amp_*", "AMP_*"}, "Amplitude", []string{"amplitude.com"}},
	{[]string{"_li*", "li_*", "lidc", "bcookie", "bscookie", "UserMatchHistory", "AnalyticsSyncHistory",
		"lms_ads", "lms_analytics"}, "LinkedIn", []string{"linkedin.com", "licdn.com", "lnkd.in"}},
	{[]string{"TDID", "TDCPM", "TTDOptOut", "_ttd*", "__ttd*"}, "The Trade Desk",
		[]string{"adsrvr.org", "thetradedesk.com"}},
	{[]string{"cto_bundle", "cto_bidid", "cto_dna_bundle", "cto_axid", "cto_optout", "cto_idcpy",
		"cto_clc", "cto_pxsig"}, "Criteo", []string{"criteo.com", "criteo.net"}},
	{[]string{"AMCV_*", "AMCVS_*", "s_ecid", "s_vi", "s_fid", "demdex", "dpm", "mbox", "dextp"}, "Adobe",
		[]string{"omtrdc.net", "demdex.net", "adobe.com", "adobedtm.com", "everesttech.net", "2o7.net"}},
	{[]string{"_ym_*", "yandexuid", "yuidss", "ymex"}, "Yandex",
		[]string{"yandex.*", "yandex.net", "yastatic.net"}},
	{[]string{"hubspotutk", "__hstc", "__hssc", "__hssrc", "messagesUtk"}, "HubSpot",
		[]string{"hubspot.com", "hubspot.net", "hs-analytics.net", "hs-scripts.com", "hsforms.com",
			"hscollectedforms.net", "hsadspixel.net", "hs-banner.com", "usemessages.com"}},
	{[]string{"__qca"}, "Quantcast", []string{"quantserve.com", "quantcount.com", "quantcast.com"}},
	{[]string{"t_gid", "t_pt_gid", "taboola_*"}, "Taboola", []string{"taboola.com", "taboolasyndication.com"}},
	{[]string{"obuid", "_obid", "outbrain_cid_fetch"}, "Outbrain", []string{"outbrain.com", "outbrainimg.com"}},
	{[]string{"_hp2_id.*", "_hp2_ses_props.*", "_hp2_props.*"}, "Heap",
		[]string{"heapanalytics.com", "heap.io"}},
	{[]string{"ph_*_posthog"}, "PostHog", []string{"posthog.com"}},
	{[]string{"__kla_id"}, "Klaviyo", []string{"klaviyo.com"}},
	{[]string{"fs_uid", "fs_lua", "fs_cid"}, "FullStory", []string{"fullstory.com"}},
	{[]string{"intercom-id-*", "intercom-session-*", "intercom-device-id-*"}, "Intercom",
		[]string{"intercom.io", "intercom.com", "intercomcdn.com"}},
	{[]string{"driftt_aid", "drift_aid", "drift_campaign_refresh"}, "Drift", []string{"drift.com", "driftt.com"}},
	{[]string{"optimizelyEndUserId"}, "Optimizely", []string{"optimizely.com"}},
	{[]string{"_twitter_sess", "guest_id", "guest_id_ads", "guest_id_marketing", "personalization_id",
		"muc_ads", "_twclid"}, "X", []string{"twitter.com", "x.com", "t.co", "ads-twitter.com", "twimg.com"}},
	{[]string{"_pk_id.*", "_pk_ses.*"}, "Matomo", []string{"matomo.cloud", "innocraft.cloud"}},
	{[]string{"_mkto_trk"}, "Adobe Marketo", []string{"marketo.com", "marketo.net", "mktoresp.com"}},
	{[]string{"_sp_id.*", "_sp_ses.*"}, "Snowplow", []string{"snowplowanalytics.com"}},
	{[]string{"_cs_id", "_cs_s", "_cs_c", "_cs_mk"}, "Contentsquare", []string{"contentsquare.net",
		"contentsquare.com"}},
	{[]string{"__atuvc", "__atuvs", "__atssc", "_at.*"}, "Oracle (AddThis)",
		[]string{"addthis.com", "addthisedge.com"}},
	{[]string{"_kuid_", "_kuiduuid_*"}, "Salesforce (Krux)", []string{"krxd.net"}},
	{[]string{"utag_main", "utag_main_*", "TAPID"}, "Tealium", []string{"tealiumiq.com", "tiqcdn.com",
		"tealium.com"}},
	{[]string{"cqcid", "cquid", "__cq_uuid", "__cq_seg", "__cq_dnt", "__anact", "__cq_bc"},
		"Salesforce (Commerce Cloud Einstein)", []string{"cquotient.com"}},
	{[]string{"visitor_id*", "pardot", "lpv*"}, "Salesforce (Pardot)", []string{"pardot.com"}},
	{[]string{"LPVID", "LPSID-*", "LPSessionID", "LPCKEY-*"}, "LivePerson", []string{"liveperson.net",
		"lpsnmedia.net", "liveperson.com"}},
	{[]string{"invoca_session", "invoca_id"}, "Invoca", []string{"invoca.net", "invocacdn.com"}},
	{[]string{"nmstat", "siteimproveses"}, "Siteimprove", []string{"siteimproveanalytics.io",
		"siteimproveanalytics.com", "siteimprove.com"}},
	{[]string{"monsido", "_monsido*"}, "Monsido", []string{"monsido.com"}},
	{[]string{"da_sid", "da_lid", "da_intState", "da_leadscore"}, "Decibel", []string{"decibelinsight.net"}},
	{[]string{"_svsid", "_svs"}, "SecuredVisit", []string{"securedvisit.com"}},
	{[]string{"smtrrmkr", "smtrrmkr_*"}, "SmarterHQ", []string{"smarterhq.io", "smarterhq.com"}},
	{[]string{"a1ashgd", "a1ashid"}, "AgilOne", []string{"agilone.com"}},
	{[]string{"_chartbeat2", "_cb", "_cb_ls", "_cb_svref", "_chartbeat4"}, "Chartbeat",
		[]string{"chartbeat.net", "chartbeat.com"}},
	{[]string{"__vrf"}, "Visual Revenue", []string{"visualrevenue.com"}},
	{[]string{"leadid_token-*", "leadid_token"}, "Jornaya", []string{"leadid.com"}},
	{[]string{"tk_ai", "tk_qs", "tk_tc", "tk_lr", "tk_or", "tk_r3d"}, "Automattic", []string{"wp.com",
		"wordpress.com", "gravatar.com"}},
	{[]string{"__stripe_mid", "__stripe_sid"}, "Stripe", []string{"stripe.com", "stripe.network"}},
	{[]string{"bc_pv_end", "bc_v", "bc_ses"}, "LogMeIn (BoldChat)", []string{"boldchat.com"}},
	{[]string{"bSession", "svSession", "hs", "XSRF-TOKEN"}, "Wix", []string{"wix.com", "wixstatic.com",
		"parastorage.com"}},
	{[]string{"_cc_id", "_cc_dc", "_cc_aud", "_cc_cc"}, "Lotame", []string{"crwdcntrl.net", "lotame.com"}},
	{[]string{"addshoppers.com", "_as_*"}, "AddShoppers", []string{"addshoppers.com", "shop.pe"}},
	{[]string{"mmapi.*"}, "Oracle (Maxymiser)", []string{"maxymiser.net"}},
	{[]string{"ORA_FPC", "WTPERSIST"}, "Oracle (Infinity)", []string{"oracleinfinity.io"}},
	{[]string{"BVBRANDID", "BVBRANDSID", "BVImplmain_site"}, "Bazaarvoice", []string{"bazaarvoice.com"}},
	{[]string{"__glmrid"}, "Glimr", []string{"glimr.io"}},
	{[]string{"sailthru_visitor", "sailthru_content", "sailthru_hid", "sailthru_pageviews"}, "Sailthru",
		[]string{"sailthru.com", "sail-personalize.com", "sail-horizon.com", "sail-track.com"}},
	{[]string{"lystra_guid"}, "Lystra", []string{"lystra.se"}},
	{[]string{"_burt*", "burtAgency"}, "Burt", []string{"richmetrics.com", "burt.io", "burtcorp.com"}},
	{[]string{"_lr_uf_*", "_lr_hb_*", "_lr_tabs_*"}, "LogRocket", []string{"lr-ingest.io", "lr-ingest.com",
		"lr-in.com", "lr-in-prod.com", "logrocket.com"}},
}

// vendorIndex is vendorCookies indexed for lookups: built once from the
// table, read only.
type vendorIndex struct {
	exact   map[string]int // cookie name → vendor
	globs   []vendorGlob
	domains map[string][]int // registrable domain → vendors
	wild    []vendorGlob     // "google.*": prefix "google."
}

type vendorGlob struct {
	prefix, suffix string
	vendor         int
}

var vendors = indexVendors(vendorCookies)

func indexVendors(table []vendorCookie) *vendorIndex {
	x := &vendorIndex{exact: map[string]int{}, domains: map[string][]int{}}
	for i, v := range table {
		for _, p := range v.patterns {
			prefix, suffix, glob := strings.Cut(p, "*")
			if !glob {
				if _, dup := x.exact[p]; !dup {
					x.exact[p] = i
				}
				continue
			}
			x.globs = append(x.globs, vendorGlob{prefix, suffix, i})
		}
		for _, d := range v.domains {
			if base, ok := strings.CutSuffix(d, ".*"); ok {
				x.wild = append(x.wild, vendorGlob{prefix: base + ".", vendor: i})
				continue
			}
			x.domains[d] = append(x.domains[d], i)
		}
	}
	return x
}

// vendorOfCookie returns the index in vendorCookies of the vendor whose
// own cookie name is, or -1. An exact name wins over a pattern.
func vendorOfCookie(name string) int {
	if i, ok := vendors.exact[name]; ok {
		return i
	}
	for _, g := range vendors.globs {
		if len(name) > len(g.prefix)+len(g.suffix) && strings.HasPrefix(name, g.prefix) &&
			strings.HasSuffix(name, g.suffix) {
			return g.vendor
		}
	}
	return -1
}

// vendorOwnsDomain reports whether domain (registrable) is one of the
// vendor's own.
func vendorOwnsDomain(vendor int, domain string) bool {
	for _, i := range vendors.domains[domain] {
		if i == vendor {
			return true
		}
	}
	for _, w := range vendors.wild {
		if w.vendor == vendor && countryDomain(domain, w.prefix) {
			return true
		}
	}
	return false
}

// vendorsShareDomains reports whether one vendor owns both domains.
func vendorsShareDomains(x, y string) bool {
	for _, i := range vendors.domains[x] {
		if vendorOwnsDomain(i, y) {
			return true
		}
	}
	for _, w := range vendors.wild {
		if countryDomain(x, w.prefix) && vendorOwnsDomain(w.vendor, y) {
			return true
		}
	}
	return false
}

// countryDomain reports prefix followed by a public suffix of a country
// ("google." + "de", "co.uk").
func countryDomain(domain, prefix string) bool {
	rest, ok := strings.CutPrefix(domain, prefix)
	return ok && rest != "" && len(rest) <= 6 && !strings.Contains(rest, "-")
}
