package lab

import (
	"encoding/json"
	"net/http"
	"time"
)

// Cookies the lab CMP keeps the visitor's choice in: the TC string, as
// TCF CMPs store it, and the plain choice for the CMP's own use.
const (
	tcCookie     = "euconsent-v2"
	choiceCookie = "pp_consent"
)

// gpcWellKnown is the site's /.well-known/gpc.json: the site claims to
// honour Global Privacy Control (while one of its tags does not).
const gpcWellKnown = `{"gpc": true, "lastUpdate": "2026-11-01"}` + "\n"

// tagPolicy is how a vendor's tag on the demo pages treats the visitor's
// choices. The zero value honours both a reject and GPC.
type tagPolicy struct {
	IgnoresReject bool `json:"ignoresReject,omitempty"`
	IgnoresGPC    bool `json:"ignoresGPC,omitempty"`
}

// Kinds of ConsentViolation.
const (
	ViolationAfterReject = "after-reject"
	ViolationDespiteGPC  = "despite-gpc"
)

// ConsentViolation is a lab tag that breaks a visitor's choice on purpose:
// the truth a consent audit of the lab must find, and nothing else.
type ConsentViolation struct {
	Vendor string
	// Kind is ViolationAfterReject (it keeps sending the persona's data on
	// pages loaded after "Reject all") or ViolationDespiteGPC (it sends
	// although navigator.globalPrivacyControl is true and Sec-GPC: 1 went
	// with every request).
	Kind string
	// Collectors are the vendor's collector hosts, sorted.
	Collectors []string
}

// ConsentViolations returns the lab's misbehaving tags, in table order.
func ConsentViolations() []ConsentViolation {
	var out []ConsentViolation
	for _, v := range vendors {
		var hosts []string
		for _, r := range v.Routes {
			if r.Script == "" && !containsString(hosts, r.Host) {
				hosts = append(hosts, r.Host)
			}
		}
		if v.Consent.IgnoresReject {
			out = append(out, ConsentViolation{Vendor: v.Name, Kind: ViolationAfterReject, Collectors: hosts})
		}
		if v.Consent.IgnoresGPC {
			out = append(out, ConsentViolation{Vendor: v.Name, Kind: ViolationDespiteGPC, Collectors: hosts})
		}
	}
	return out
}

func containsString(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// tagPolicies maps vendor names to their policies, for the page's gate.
func tagPolicies() map[string]tagPolicy {
	out := map[string]tagPolicy{}
	for _, v := range vendors {
		out[v.Name] = v.Consent
	}
	return out
}

// CMP describes the lab's consent banner as a scanner's platform table
// would: how it is recognised and answered. The lab imports nothing of the
// analysis, so the caller turns this into its own rule type.
type CMP struct {
	Name string
	// Global is the JavaScript object the CMP defines besides __tcfapi.
	Global string
	// Banner is the banner's host element; the buttons are in its open
	// shadow root.
	Banner string
	// Cookies hold the choice once made.
	Cookies []string
	// RejectAPI and AcceptAPI answer the banner through the CMP's API;
	// RejectSelector and AcceptSelector are its buttons.
	RejectAPI, AcceptAPI           string
	RejectSelector, AcceptSelector string
}

// ConsentPlatform returns the lab CMP's description.
func ConsentPlatform() CMP {
	return CMP{Name: "ParcelPost consent (lab CMP)", Global: "__ppcmp", Banner: "#pp-cmp",
		Cookies:   []string{tcCookie, choiceCookie},
		RejectAPI: "__ppcmp.rejectAll()", AcceptAPI: "__ppcmp.acceptAll()",
		RejectSelector: "#pp-cmp-reject", AcceptSelector: "#pp-cmp-accept"}
}

// consent records the visitor's choice: POST /consent with choice=accept
// or reject sets the TC string and the choice cookies and answers both.
func (a *siteApp) consent(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "the consent form could not be read", http.StatusBadRequest)
		return
	}
	choice := r.PostForm.Get("choice")
	if choice != "accept" && choice != "reject" {
		http.Error(w, `choice must be "accept" or "reject"`, http.StatusBadRequest)
		return
	}
	tc := tcString(tcChoice{Accept: choice == "accept", At: time.Now()})
	for _, c := range [][2]string{{tcCookie, tc}, {choiceCookie, choice}} {
		http.SetCookie(w, &http.Cookie{Name: c[0], Value: c[1], Path: "/", Domain: "." + SiteApex,
			MaxAge: 390 * 86400, Secure: true, SameSite: http.SameSiteLaxMode})
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(map[string]string{"choice": choice, "tcString": tc})
}

// gpc serves /.well-known/gpc.json.
func (a *siteApp) gpc(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(gpcWellKnown))
}
