package consent

import (
	"net/url"
	"strings"

	"github.com/leakwatch/leakwatch/internal/pixel"
	"github.com/leakwatch/leakwatch/internal/traffic"
)

// Kind names what a Signal carries.
type Kind string

// Signal kinds.
const (
	KindTCF          Kind = "tcf"           // an IAB TCF TC string
	KindGDPRApplies  Kind = "gdpr_applies"  // gdpr=0|1: whether the sender says GDPR applies
	KindGPP          Kind = "gpp"           // an IAB GPP string
	KindGPPSID       Kind = "gpp_sid"       // the GPP section ids that apply
	KindUSP          Kind = "usp"           // an IAB US Privacy string
	KindAddtlConsent Kind = "addtl_consent" // Google's Additional Consent string
	KindConsentMode  Kind = "consent_mode"  // Google Consent Mode state of a Google hit
	KindMetaLDU      Kind = "meta_ldu"      // Meta's Limited Data Use options on a Meta hit
	KindGPC          Kind = "gpc"           // the Sec-GPC request header
	KindDNT          Kind = "dnt"           // the DNT request header
)

// Signal is one consent or opt-out signal a request carried. Raw is the
// value as sent; at most one of the decoded fields is set, per Kind; Err
// says why a value in a consent field could not be decoded.
type Signal struct {
	Kind    Kind   `json:"kind"`
	Request int    `json:"request"`
	Host    string `json:"host"`
	// Source is where in the request: "query", "path", "body", "json body",
	// "cookie", "header" or "pixel" (read from a decoded vendor hit).
	Source string `json:"source"`
	// Field is the parameter, cookie, header or JSON key as on the wire.
	Field string `json:"field"`
	Raw   string `json:"raw"`

	TC          *TCString       `json:"tc,omitempty"`
	GPP         *GPP            `json:"gpp,omitempty"`
	USP         *USP            `json:"usp,omitempty"`
	ConsentMode *ConsentMode    `json:"consent_mode,omitempty"`
	LDU         *LimitedDataUse `json:"limited_data_use,omitempty"`
	// Applies is set for gdpr_applies, GPC and DNT signals.
	Applies *bool `json:"applies,omitempty"`
	// SectionIDs are the ids of a gpp_sid signal.
	SectionIDs []int `json:"section_ids,omitempty"`
	// ACProviders are the Google ad technology provider ids an
	// Additional Consent string consents to.
	ACProviders []int  `json:"ac_providers,omitempty"`
	Err         string `json:"error,omitempty"`
}

// ConsentMode is the Google Consent Mode state a Google hit declares, as
// internal/pixel decodes it (gcs, gcd, npa, dma, dma_cps).
type ConsentMode struct {
	Product string `json:"product"`
	pixel.GoogleConsent
}

// LimitedDataUse is Meta's data processing options on a Meta hit: dpo
// "LDU" enables Limited Data Use; dpoco and dpost say where it applies.
type LimitedDataUse struct {
	Enabled bool   `json:"enabled"`
	Options string `json:"options"`
	Country string `json:"country,omitempty"`
	State   string `json:"state,omitempty"`
}

// Request is what Observe and Detect read of one request: enough for audit
// or a live scan to feed without this package importing them.
type Request struct {
	// Index is the request's position in its capture.
	Index  int
	URL    string
	Method string
	// Headers as sent; the Cookie header is read for cookies too.
	Headers traffic.Headers
	// Cookies sent with the request, when recorded apart from the header.
	Cookies []traffic.Cookie
	// Body is the request body as text (not Content-Encoded), if any.
	Body string
	// BodyMIME is the body's content type.
	BodyMIME string
	// ResourceType is the browser's classification ("script", "xhr"...).
	ResourceType string
}

// FromTraffic converts a captured request. A Content-Encoded body is left
// out (consent fields are never sent compressed by the tags it reads);
// form parameters recorded apart (HAR postData.params) become the body.
func FromTraffic(r *traffic.Request) Request {
	out := Request{Index: r.Index, URL: r.URL, Method: r.Method, Headers: r.Headers, Cookies: r.Cookies,
		BodyMIME: r.BodyMIME, ResourceType: r.ResourceType}
	switch enc := r.Headers.Get("Content-Encoding"); {
	case len(r.Body) > 0 && (enc == "" || strings.EqualFold(enc, "identity")):
		out.Body = string(r.Body)
	case len(r.Body) == 0 && len(r.Params) > 0:
		v := url.Values{}
		for _, p := range r.Params {
			v.Add(p.Name, p.Value)
		}
		out.Body = v.Encode()
		if out.BodyMIME == "" {
			out.BodyMIME = "application/x-www-form-urlencoded"
		}
	}
	return out
}

// Requests converts every request of a capture, in order.
func Requests(c *traffic.Capture) []Request {
	out := make([]Request, 0, len(c.Requests))
	for _, r := range c.Requests {
		if r != nil {
			out = append(out, FromTraffic(r))
		}
	}
	return out
}

// toTraffic rebuilds the traffic.Request pixel decoders read.
func (r Request) toTraffic() *traffic.Request {
	return &traffic.Request{Index: r.Index, URL: r.URL, Method: r.Method, Headers: r.Headers,
		Cookies: r.Cookies, Body: []byte(r.Body), BodyMIME: r.BodyMIME, ResourceType: r.ResourceType}
}
