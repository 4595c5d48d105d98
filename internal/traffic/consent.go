package traffic

import "time"

// Consent modes of a live scan: what the scanner did with consent banners.
const (
	ConsentNone   = "none"   // left every banner alone
	ConsentReject = "reject" // answered every banner with reject all
	ConsentAccept = "accept" // answered every banner with accept all
)

// Results of answering a banner.
const (
	// ConsentAnswered: the choice was made and took (the consent cookie or
	// the platform's API state changed).
	ConsentAnswered = "answered"
	// ConsentNotFound: a platform was detected and its banner shown, but
	// nothing to answer it with was found (no API, no button present).
	ConsentNotFound = "not-found"
	// ConsentFailed: the API was called or the button clicked, but the
	// choice did not take before the wait ran out.
	ConsentFailed = "failed"
	// ConsentNotShown: a platform was detected with no banner showing,
	// typically because a choice made earlier in the scan holds.
	ConsentNotShown = "not-shown"
	// ConsentShown: in mode none, the banner was shown and left alone.
	ConsentShown = "shown"
)

// ConsentAction is what a live scan did about a consent platform on a page.
type ConsentAction struct {
	// Platform is the consent platform's name, as in the scanner's table.
	Platform string
	// Action is ConsentNone, ConsentReject or ConsentAccept.
	Action string
	// Time is when the choice was made (the API call or click), or when
	// the page was examined when nothing was done.
	Time time.Time
	// Index is the Request.Index the next request got at Time: requests
	// with a lower index left before the choice.
	Index int
	// Result is one of ConsentAnswered, ConsentNotFound, ConsentFailed,
	// ConsentNotShown, ConsentShown.
	Result string
	// Detail says how it was answered ("api: X()", "click: #sel") or why
	// it could not be.
	Detail string
}

// OptOut records the opt-out signals a live scan sent.
type OptOut struct {
	// GPC: Sec-GPC: 1 on every request and navigator.globalPrivacyControl.
	GPC bool
	// DNT: DNT: 1 on every request and navigator.doNotTrack "1".
	DNT bool
	// WellKnown are the sites' /.well-known/gpc.json answers, by origin.
	WellKnown []GPCSupport
}

// GPCSupport is one origin's /.well-known/gpc.json, as fetched during the
// scan.
type GPCSupport struct {
	Origin string
	// Status is the HTTP status; 0 when the fetch failed (Error says why).
	Status int
	// GPC is the file's "gpc" member; nil when absent or unreadable.
	GPC *bool
	// LastUpdate is the file's "lastUpdate" member, as written.
	LastUpdate string
	Error      string
}
