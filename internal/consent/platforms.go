package consent

// PlatformRule says how one consent platform is recognised and answered.
// Hosts and Paths match request URLs (a host matches itself and its
// subdomains; a path matches as a substring); Cookies match cookies sent;
// Globals are the JavaScript APIs a page exposes (for a live scan);
// CMPIDs are the platform's registered IAB TCF CMP ids, matched against
// the CMP id of TC strings seen; Signals are the signal kinds that show a
// framework (TCF, GPP, USP) in use.
type PlatformRule struct {
	Name string `json:"name"`
	// Kind is "cmp" for a consent management platform, "framework" for an
	// industry signalling standard CMPs implement.
	Kind    string       `json:"kind"`
	Hosts   []string     `json:"hosts,omitempty"`
	Paths   []string     `json:"paths,omitempty"`
	Cookies []CookieRule `json:"cookies,omitempty"`
	Globals []string     `json:"globals,omitempty"`
	CMPIDs  []int        `json:"cmp_ids,omitempty"`
	Signals []Kind       `json:"signals,omitempty"`
	// Banner are selectors of the platform's banner, for a live scan to
	// tell whether it is shown.
	Banner []string `json:"banner,omitempty"`
	Reject Action   `json:"reject"`
	Accept Action   `json:"accept"`
}

// CookieRule matches a cookie by name (a trailing "*" matches a prefix)
// and, when Contains is set, a substring of its value, for names other
// software uses too.
type CookieRule struct {
	Name     string `json:"name"`
	Contains string `json:"contains,omitempty"`
}

// Action is how a live scan answers a banner: a JavaScript expression
// calling the platform's own API, tried first, else a click on the first
// of Selectors present (inside Frame, a selector of an iframe, when set).
type Action struct {
	API       string   `json:"api,omitempty"`
	Selectors []string `json:"selectors,omitempty"`
	Frame     string   `json:"frame,omitempty"`
}

// Rules returns a copy of the platform table, for a live scan.
func Rules() []PlatformRule {
	out := make([]PlatformRule, len(platformRules))
	copy(out, platformRules)
	return out
}

// platformRules is the table of consent platforms. Facts (hosts, cookie
// names, APIs, button selectors) were learnt from the platforms' own
// documentation and public rule sets (DuckDuckGo autoconsent,
// Consent-O-Matic); the table is our own.
var platformRules = []PlatformRule{
	{Name: "IAB TCF", Kind: "framework", Globals: []string{"__tcfapi"}, Signals: []Kind{KindTCF},
		Cookies: []CookieRule{{Name: "euconsent-v2"}}},
	{Name: "IAB GPP", Kind: "framework", Globals: []string{"__gpp"}, Signals: []Kind{KindGPP, KindGPPSID},
		Cookies: []CookieRule{{Name: "__gpp"}, {Name: "__gpp_sid"}}},
	{Name: "IAB US Privacy (CCPA)", Kind: "framework", Globals: []string{"__uspapi"}, Signals: []Kind{KindUSP},
		Cookies: []CookieRule{{Name: "usprivacy"}, {Name: "us_privacy"}}},
	{Name: "OneTrust", Kind: "cmp", CMPIDs: []int{28},
		Hosts:   []string{"cookielaw.org", "onetrust.com", "cookiepro.com", "optanon.blob.core.windows.net"},
		Paths:   []string{"/otSDKStub.js", "/otBannerSdk.js", "/OtAutoBlock.js"},
		Cookies: []CookieRule{{Name: "OptanonConsent"}, {Name: "OptanonAlertBoxClosed"}, {Name: "OTGPPConsent"}},
		Globals: []string{"OneTrust", "Optanon", "OnetrustActiveGroups"},
		Banner:  []string{"#onetrust-banner-sdk", ".optanon-alert-box-wrapper"},
		Reject:  Action{API: "OneTrust.RejectAll()", Selectors: []string{"#onetrust-reject-all-handler", ".ot-pc-refuse-all-handler"}},
		Accept:  Action{API: "OneTrust.AllowAll()", Selectors: []string{"#onetrust-accept-btn-handler", "#accept-recommended-btn-handler"}}},
	{Name: "Cookiebot", Kind: "cmp", CMPIDs: []int{134},
		Hosts:   []string{"cookiebot.com", "cookiebot.eu"},
		Cookies: []CookieRule{{Name: "CookieConsent", Contains: "stamp:"}, {Name: "CookieConsentBulkSetting-*"}},
		Globals: []string{"Cookiebot", "CookieConsent"},
		Banner:  []string{"#CybotCookiebotDialog"},
		Reject: Action{API: "Cookiebot.submitCustomConsent(false, false, false)",
			Selectors: []string{"#CybotCookiebotDialogBodyButtonDecline", "#CybotCookiebotDialogBodyLevelButtonLevelOptinDeclineAll"}},
		Accept: Action{API: "Cookiebot.submitCustomConsent(true, true, true)",
			Selectors: []string{"#CybotCookiebotDialogBodyLevelButtonLevelOptinAllowAll", "#CybotCookiebotDialogBodyButtonAccept"}}},
	{Name: "Didomi", Kind: "cmp", CMPIDs: []int{7},
		Hosts:   []string{"privacy-center.org"},
		Cookies: []CookieRule{{Name: "didomi_token"}},
		Globals: []string{"Didomi", "didomiOnReady"},
		Banner:  []string{"#didomi-host", "#didomi-notice", "#didomi-popup"},
		Reject:  Action{API: "Didomi.setUserDisagreeToAll()", Selectors: []string{"#didomi-notice-disagree-button", ".didomi-continue-without-agreeing"}},
		Accept:  Action{API: "Didomi.setUserAgreeToAll()", Selectors: []string{"#didomi-notice-agree-button"}}},
	{Name: "Quantcast Choice", Kind: "cmp", CMPIDs: []int{10},
		Hosts:   []string{"cmp.quantcast.com", "quantcast.mgr.consensu.org"},
		Globals: []string{"__qc", "__tcfapi"},
		Banner:  []string{".qc-cmp2-container", "#qc-cmp2-ui"},
		Reject:  Action{Selectors: []string{".qc-cmp2-summary-buttons button[mode=\"secondary\"]", "#qc-cmp2-ui button[mode=\"secondary\"]"}},
		Accept:  Action{Selectors: []string{".qc-cmp2-summary-buttons button[mode=\"primary\"]", "#qc-cmp2-ui button[mode=\"primary\"]"}}},
	{Name: "Usercentrics", Kind: "cmp", CMPIDs: []int{5},
		Hosts:   []string{"usercentrics.eu", "usercentrics.com"},
		Cookies: []CookieRule{{Name: "uc_user_interaction"}, {Name: "uc_settings"}},
		Globals: []string{"UC_UI", "usercentrics"},
		Banner:  []string{"#usercentrics-root", "#usercentrics-cmp-ui"},
		Reject:  Action{API: "UC_UI.denyAllConsents()", Selectors: []string{"[data-testid=\"uc-deny-all-button\"]"}},
		Accept:  Action{API: "UC_UI.acceptAllConsents()", Selectors: []string{"[data-testid=\"uc-accept-all-button\"]"}}},
	{Name: "TrustArc", Kind: "cmp", CMPIDs: []int{21},
		// Only the consent manager's hosts: privacy-policy.truste.com serves
		// TRUSTe's certification seal, which is not a consent banner.
		Hosts: []string{"consent.trustarc.com", "consent.truste.com", "consent-pref.trustarc.com",
			"consent-pref.truste.com", "consent-st.trustarc.com"},
		Cookies: []CookieRule{{Name: "notice_behavior"}, {Name: "notice_gdpr_prefs"}, {Name: "notice_preferences"}, {Name: "cmapi_cookie_privacy"}, {Name: "TAconsentID"}},
		Globals: []string{"truste", "PrivacyManagerAPI"},
		Banner:  []string{"#truste-consent-track", "#consent_blackbar", ".truste_box_overlay"},
		Reject:  Action{Selectors: []string{"#truste-consent-required", "#truste-consent-required2"}},
		Accept:  Action{Selectors: []string{"#truste-consent-button"}}},
	{Name: "Sourcepoint", Kind: "cmp", CMPIDs: []int{6},
		Hosts:   []string{"privacy-mgmt.com", "sp-prod.net", "sourcepoint.mgr.consensu.org"},
		Cookies: []CookieRule{{Name: "consentUUID"}, {Name: "_sp_v1_*"}, {Name: "_sp_su"}, {Name: "ccpaUUID"}},
		Globals: []string{"_sp_", "_sp_queue"},
		Banner:  []string{"[id^=\"sp_message_container\"]", "[id^=\"sp_message_iframe\"]"},
		Reject:  Action{Frame: "[id^=\"sp_message_iframe\"]", Selectors: []string{"button.sp_choice_type_13", "button[title=\"Reject All\"]"}},
		Accept:  Action{Frame: "[id^=\"sp_message_iframe\"]", Selectors: []string{"button.sp_choice_type_11", "button[title=\"Accept All\"]"}}},
	{Name: "CookieYes", Kind: "cmp",
		Hosts:   []string{"cookieyes.com", "cdn-cookieyes.com"},
		Cookies: []CookieRule{{Name: "cookieyes-consent"}},
		Globals: []string{"getCkyConsent"},
		Banner:  []string{".cky-consent-container"},
		Reject:  Action{Selectors: []string{".cky-consent-container [data-cky-tag=reject-button]", ".cky-btn-reject"}},
		Accept:  Action{Selectors: []string{".cky-consent-container [data-cky-tag=accept-button]", ".cky-btn-accept"}}},
	{Name: "Osano", Kind: "cmp",
		Hosts:   []string{"osano.com"},
		Cookies: []CookieRule{{Name: "osano_consentmanager"}, {Name: "osano_consentmanager_uuid"}},
		Globals: []string{"Osano"},
		Banner:  []string{".osano-cm-window", ".osano-cm-dialog"},
		Reject:  Action{Selectors: []string{".osano-cm-denyAll", ".osano-cm-deny"}},
		Accept:  Action{Selectors: []string{".osano-cm-accept-all", ".osano-cm-accept"}}},
	{Name: "Termly", Kind: "cmp",
		Hosts:   []string{"termly.io"},
		Globals: []string{"Termly"},
		Banner:  []string{"#termly-code-snippet-support"},
		Reject:  Action{Selectors: []string{"[data-tid=\"banner-decline\"]", ".t-declineAllButton"}},
		Accept:  Action{Selectors: []string{"[data-tid=\"banner-accept\"]"}}},
	{Name: "Complianz", Kind: "cmp",
		Paths:   []string{"/wp-content/plugins/complianz-gdpr", "/wp-content/plugins/complianz-gdpr-premium"},
		Cookies: []CookieRule{{Name: "cmplz_*"}},
		Globals: []string{"complianz", "cmplz_set_category"},
		Banner:  []string{"#cmplz-cookiebanner-container .cmplz-cookiebanner"},
		Reject:  Action{Selectors: []string{".cmplz-cookiebanner .cmplz-deny"}},
		Accept:  Action{Selectors: []string{".cmplz-cookiebanner .cmplz-accept"}}},
	{Name: "Google Funding Choices", Kind: "cmp", CMPIDs: []int{300},
		Hosts:   []string{"fundingchoicesmessages.google.com"},
		Cookies: []CookieRule{{Name: "FCCDCF"}, {Name: "FCNEC"}},
		Globals: []string{"googlefc"},
		Banner:  []string{".fc-consent-root", ".fc-dialog-container"},
		Reject:  Action{Selectors: []string{".fc-cta-do-not-consent", "button.fc-cta-do-not-consent"}},
		Accept:  Action{Selectors: []string{".fc-cta-consent", "button.fc-cta-consent"}}},
}
